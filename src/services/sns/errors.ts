import { AwsError } from '../framework/define.ts';

/** SNS's errors, by model shape name (the query codec turns them into `InvalidParameter`, `NotFound`, ...). */

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', `Invalid parameter: ${message}`);
}

export function notFound(message: string): AwsError {
  return new AwsError('NotFoundException', message, 404);
}

export const topicNotFound = () => notFound('Topic does not exist');

export function batchError(code: string, message: string): AwsError {
  return new AwsError(code, message);
}
