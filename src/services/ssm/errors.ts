import { AwsError } from '../framework/define.ts';

/** Parameter Store's errors, worded as AWS words them. */

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

/** AWS answers a missing parameter with no message. */
export function parameterNotFound(message = ''): AwsError {
  return new AwsError('ParameterNotFound', message);
}

export function versionNotFound(version: string | number, name: string): AwsError {
  return new AwsError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
}

export function alreadyExists(): AwsError {
  return new AwsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
}

export function invalidKeyId(message: string): AwsError {
  return new AwsError('InvalidKeyId', message);
}

export function invalidNextToken(): AwsError {
  return new AwsError('InvalidNextToken', 'The specified token is not valid.');
}

export function invalidFilterKey(message: string): AwsError {
  return new AwsError('InvalidFilterKey', message);
}

export function invalidFilterOption(message: string): AwsError {
  return new AwsError('InvalidFilterOption', message);
}

export function invalidFilterValue(message: string): AwsError {
  return new AwsError('InvalidFilterValue', message);
}

export function invalidResourceId(): AwsError {
  return new AwsError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.');
}

export function outOfRange(value: number, member: string, bound: 'greater' | 'less', limit: number): AwsError {
  return validation(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value ${bound} than or equal to ${limit}`,
  );
}
