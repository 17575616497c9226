/** AWS's PartiQL error texts (the ones AWS's own PartiQL front end shares with DynamoDB Local). */
import { AwsError } from '../../framework/define.ts';
import { validation } from '../errors.ts';

/** A statement the parser cannot read; `detail` may be empty, as AWS leaves it for lexical errors. */
export function malformed(detail: string): AwsError {
  return validation(`Statement wasn't well formed, can't be processed: ${detail}`);
}

export const INCOMPLETE_KEY = 'Where clause does not contain a mandatory equality on all key attributes';

export function duplicateItem(): AwsError {
  return new AwsError('DuplicateItemException', 'Duplicate primary key exists in table', 400);
}

export function parameterCount(): AwsError {
  return validation("Number of parameters in request and statement don't match.");
}
