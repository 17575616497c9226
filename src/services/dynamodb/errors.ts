import { AwsError } from '../../protocol/aws-error.ts';

/** DynamoDB answers every malformed request with this code; only the message differs. */
export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** The prefix AWS puts before every complaint about parameter values. */
export function invalidParameter(detail: string): AwsError {
  return validation(`One or more parameter values were invalid: ${detail}`);
}

export function resourceNotFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 'Requested resource not found', 400);
}
