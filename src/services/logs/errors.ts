import { AwsError } from '../framework/define.ts';

/** CloudWatch Logs' errors, with AWS's messages. */

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

export function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message);
}

export function alreadyExists(message: string): AwsError {
  return new AwsError('ResourceAlreadyExistsException', message);
}

export function limitExceeded(message = 'Resource limit exceeded.'): AwsError {
  return new AwsError('LimitExceededException', message);
}

export const groupNotFound = () => notFound('The specified log group does not exist.');
export const streamNotFound = () => notFound('The specified log stream does not exist.');
export const invalidToken = () => invalidParameter('The specified nextToken is invalid.');
