import { AwsError } from '../../protocol/aws-error.ts';

/** Lambda's client errors carry `Type: User`. */
const user = { Type: 'User' };

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message, 400, user);
}

export function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, 404, user);
}

export function functionNotFound(arn: string): AwsError {
  return notFound(`Function not found: ${arn}`);
}

export function conflict(message: string): AwsError {
  return new AwsError('ResourceConflictException', message, 409, user);
}

export function preconditionFailed(): AwsError {
  return new AwsError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412, user);
}

/** Coral's message for one constraint violation, as Lambda reports limits the model does not carry. */
export function constraint(value: unknown, path: string, rule: string): AwsError {
  return new AwsError('ValidationException', `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${rule}`, 400);
}

export function tooManyRequests(message: string, reason: string): AwsError {
  return new AwsError('TooManyRequestsException', message, 429, { Type: 'User', Reason: reason });
}

export function requestTooLarge(message: string): AwsError {
  return new AwsError('RequestTooLargeException', message, 413, user);
}
