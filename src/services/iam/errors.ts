import { AwsError } from '../framework/define.ts';

/** IAM's error texts name the entity kind in lower case after "The": "The user with name x cannot be found." */
export function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntityException', message);
}

export function alreadyExists(message: string): AwsError {
  return new AwsError('EntityAlreadyExistsException', message);
}

export function deleteConflict(message: string): AwsError {
  return new AwsError('DeleteConflictException', message);
}

export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededException', message);
}

export function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicyDocumentException', message);
}

export function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInputException', message);
}

/** IAM's own parameter checks answer `ValidationError` (not Coral's ValidationException). */
export function validationFailed(message: string): AwsError {
  return new AwsError('ValidationError', message);
}
