import { AwsError } from '../framework/define.ts';

/** KMS's errors, with the messages AWS answers. */

export function notFound(message: string): AwsError {
  return new AwsError('NotFoundException', message);
}

export function keyNotFound(arn: string): AwsError {
  return notFound(`Key '${arn}' does not exist`);
}

export function disabled(arn: string): AwsError {
  return new AwsError('DisabledException', `${arn} is disabled.`);
}

export function invalidState(message: string): AwsError {
  return new AwsError('KMSInvalidStateException', message);
}

export function pendingDeletion(arn: string): AwsError {
  return invalidState(`${arn} is pending deletion.`);
}

export function invalidKeyUsage(message: string): AwsError {
  return new AwsError('InvalidKeyUsageException', message);
}

/** AWS gives no detail for a ciphertext it cannot use. */
export function invalidCiphertext(): AwsError {
  return new AwsError('InvalidCiphertextException', '');
}

export function incorrectKey(): AwsError {
  return new AwsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
}

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

/** The generic Coral wording for a value outside its range. */
export function outOfRange(value: number, member: string, bound: 'greater' | 'less', limit: number): AwsError {
  return validation(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value ${bound} than or equal to ${limit}`,
  );
}

export function unsupported(message: string): AwsError {
  return new AwsError('UnsupportedOperationException', message);
}

export function alreadyExists(message: string): AwsError {
  return new AwsError('AlreadyExistsException', message);
}

export function invalidAliasName(message: string): AwsError {
  return new AwsError('InvalidAliasNameException', message);
}

export function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicyDocumentException', message);
}

export function tagError(message: string): AwsError {
  return new AwsError('TagException', message);
}

export function invalidMarker(): AwsError {
  return new AwsError('InvalidMarkerException', 'Invalid marker');
}
