/**
 * Request-level checks DynamoDB performs itself (the service opts out of generic model
 * validation because its messages are its own), in the Coral wording AWS uses.
 */
import { validation } from './errors.ts';

export function required<T>(value: T | undefined | null, field: string): T {
  if (value === undefined || value === null) {
    throw validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]+$/;

/** Table names (3-255 of `[a-zA-Z0-9_.-]`); data-plane operations also accept the table's ARN. */
export function tableName(value: string | undefined, acceptArn = true, field = 'tableName'): string {
  const name = required(value, field);
  if (acceptArn && name.startsWith('arn:')) {
    const slash = name.indexOf(':table/');
    if (slash > 0) return name.slice(slash + 7);
  }
  const errors: string[] = [];
  if (name.length < 3) errors.push('Member must have length greater than or equal to 3');
  if (name.length > 255) errors.push('Member must have length less than or equal to 255');
  if (!TABLE_NAME.test(name)) errors.push('Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  if (errors.length === 0) return name;
  const parts = errors.map((e) => `Value '${name}' at '${field}' failed to satisfy constraint: ${e}`);
  throw validation(`${parts.length} validation error${parts.length > 1 ? 's' : ''} detected: ${parts.join('; ')}`);
}

export function limit(value: number | undefined, field = 'limit'): number | undefined {
  if (value !== undefined && value < 1) {
    throw validation(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  return value;
}

export function oneOf<T extends string>(value: string | undefined, field: string, allowed: readonly T[]): T | undefined {
  if (value !== undefined && !allowed.includes(value as T)) {
    throw validation(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T | undefined;
}
