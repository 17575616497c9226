import { AwsError } from '../framework/define.ts';

/** Secrets Manager's errors, with AWS's messages. */

export function notFound(message = 'Secrets Manager can\'t find the specified secret.'): AwsError {
  return new AwsError('ResourceNotFoundException', message);
}

export function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequestException', message);
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

export function resourceExists(message: string): AwsError {
  return new AwsError('ResourceExistsException', message);
}

export function markedForDeletion(): AwsError {
  return invalidRequest('You can\'t perform this operation on the secret because it was marked for deletion.');
}

export function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicyDocumentException', message);
}

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}
