/** Function names, ARNs and qualifiers as Lambda accepts them. */
import { invalidParameter } from './errors.ts';

export interface Scope {
  account: string;
  region: string;
}

export interface FunctionRef {
  name: string;
  /** `$LATEST`, a version number or an alias name; undefined when none was given. */
  qualifier?: string;
}

export function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function functionArn(scope: Scope, name: string, qualifier?: string): string {
  const base = `arn:${partition(scope.region)}:lambda:${scope.region}:${scope.account}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

export function layerArn(scope: Scope, name: string, version?: number): string {
  const base = `arn:${partition(scope.region)}:lambda:${scope.region}:${scope.account}:layer:${name}`;
  return version === undefined ? base : `${base}:${version}`;
}

const FULL = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const PARTIAL = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const PLAIN = /^([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/**
 * Resolves a FunctionName (name, partial or full ARN, optionally qualified) and the separate
 * Qualifier parameter into one reference; undefined when the name belongs to another account.
 */
export function parseFunctionName(scope: Scope, input: string, qualifier?: string): FunctionRef | undefined {
  let name: string | undefined;
  let derived: string | undefined;
  let account = scope.account;
  let m = FULL.exec(input);
  if (m) {
    if (m[1] !== scope.region) throw invalidParameter(`Functions from '${m[1]}' are not reachable in this region ('${scope.region}')`);
    account = m[2]!;
    name = m[3];
    derived = m[4];
  } else if ((m = PARTIAL.exec(input))) {
    account = m[1]!;
    name = m[2];
    derived = m[3];
  } else if ((m = PLAIN.exec(input))) {
    name = m[1];
    derived = m[2];
  }
  if (name === undefined || name.length > 64) throw invalidParameter(`1 validation error detected: Value '${input}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`);
  if (derived !== undefined && qualifier !== undefined && derived !== qualifier) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  if (account !== scope.account) return undefined;
  const q = qualifier ?? derived;
  return q === undefined ? { name } : { name, qualifier: q };
}

export function isVersionNumber(q: string): boolean {
  return /^[0-9]+$/.test(q);
}

/** Lambda's timestamp format: `2024-05-01T12:00:00.000+0000`. */
export function lambdaTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
