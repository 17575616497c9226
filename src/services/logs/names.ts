import { invalidParameter, invalidToken } from './errors.ts';
import type { Scope } from './store.ts';

/** ARNs, identifiers and page tokens. */

export function groupArn(scope: Scope, group: string): string {
  return `arn:aws:logs:${scope.region}:${scope.account}:log-group:${group}`;
}

export function streamArn(scope: Scope, group: string, stream: string): string {
  return `${groupArn(scope, group)}:log-stream:${stream}`;
}

/** A log group named by `logGroupName` or `logGroupIdentifier` (name or ARN, with or without `:*`). */
export function groupNameOf(input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  const id = input.logGroupName ?? input.logGroupIdentifier;
  if (id === undefined) throw invalidParameter('Should provide either logGroupName or logGroupIdentifier.');
  return identifierToName(id);
}

export function identifierToName(id: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(id);
  return m ? m[1]! : id;
}

/** Offset-based page tokens: opaque to clients, stable enough for an emulator's listings. */
export function page<T>(items: T[], limit: number | undefined, max: number, token: string | undefined): { items: T[]; nextToken?: string } {
  const n = limit ?? max;
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidParameter(`1 validation error detected: Value '${n}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  let start = 0;
  if (token !== undefined) {
    const m = /^o\/(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
    if (!m) throw invalidToken();
    start = Number(m[1]);
  }
  const slice = items.slice(start, start + n);
  return start + n < items.length ? { items: slice, nextToken: Buffer.from(`o/${start + n}`).toString('base64url') } : { items: slice };
}
