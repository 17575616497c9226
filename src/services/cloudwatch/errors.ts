import { AwsError } from '../framework/define.ts';

/** CloudWatch's errors: codes are the model's error shape names (the codecs map them to query codes). */

export function invalidValue(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message);
}

export function invalidCombination(message: string): AwsError {
  return new AwsError('InvalidParameterCombinationException', message);
}

export function missingParameter(message: string): AwsError {
  return new AwsError('MissingRequiredParameterException', message);
}

export function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFound', message, 404);
}

export function invalidNextToken(): AwsError {
  return new AwsError('InvalidNextToken', 'The service cannot process the next token.');
}

export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededFault', message);
}

/** AWS's wording for a parameter's bad value. */
export function badParameter(value: unknown, parameter: string): AwsError {
  return invalidValue(`The value ${String(value)} for parameter ${parameter} is invalid.`);
}
