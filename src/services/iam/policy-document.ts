/**
 * Policy documents: parsed into a normalized form (every list an array) and validated with the
 * texts IAM answers in MalformedPolicyDocument.
 */
import { malformedPolicy } from './errors.ts';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  /** operator -> context key -> values (strings; booleans and numbers as their JSON text). */
  Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}

/**
 * identity: inline and custom policies; managed: CreatePolicy(Version); trust: a role's
 * AssumeRolePolicyDocument; resource: a resource-based policy (Principal and Resource).
 */
export type PolicyKind = 'identity' | 'managed' | 'trust' | 'resource';

const SYNTAX = 'Syntax errors in policy.';
const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const VERSIONS = new Set(['2008-10-17', '2012-10-17']);
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc', '*']);

/** Parses without validating beyond what evaluation needs (for documents already stored). */
export function parsePolicy(text: string, kind: PolicyKind = 'identity'): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformedPolicy(SYNTAX);
  }
  if (!isObject(raw)) throw malformedPolicy(SYNTAX);
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) throw malformedPolicy(SYNTAX);
  const version = raw['Version'];
  if (version !== undefined && (typeof version !== 'string' || !VERSIONS.has(version))) throw malformedPolicy(SYNTAX);
  if (kind === 'managed' && version !== '2012-10-17') throw malformedPolicy('Policy document must be version 2012-10-17 or greater.');
  if (raw['Id'] !== undefined && typeof raw['Id'] !== 'string') throw malformedPolicy(SYNTAX);
  const list = raw['Statement'];
  const statements = Array.isArray(list) ? list : list === undefined ? [] : [list];
  if (!statements.length) throw malformedPolicy(SYNTAX);
  const out = statements.map((s) => statement(s));
  for (const s of out) checkStatement(s, kind);
  return { Version: version as string | undefined, Statement: out };
}

function statement(raw: unknown): PolicyStatement {
  if (!isObject(raw)) throw malformedPolicy(SYNTAX);
  for (const k of Object.keys(raw)) if (!STATEMENT_KEYS.has(k)) throw malformedPolicy(SYNTAX);
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') throw malformedPolicy(SYNTAX);
  if (raw['Action'] !== undefined && raw['NotAction'] !== undefined) throw malformedPolicy(SYNTAX);
  if (raw['Resource'] !== undefined && raw['NotResource'] !== undefined) throw malformedPolicy(SYNTAX);
  if (raw['Principal'] !== undefined && raw['NotPrincipal'] !== undefined) throw malformedPolicy(SYNTAX);
  if (raw['Sid'] !== undefined && typeof raw['Sid'] !== 'string') throw malformedPolicy(SYNTAX);
  const s: PolicyStatement = { Effect: effect };
  if (raw['Sid'] !== undefined) s.Sid = raw['Sid'] as string;
  for (const k of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (raw[k] !== undefined) s[k] = stringList(raw[k]);
  }
  if (raw['Principal'] !== undefined) s.Principal = principal(raw['Principal']);
  if (raw['NotPrincipal'] !== undefined) s.NotPrincipal = principal(raw['NotPrincipal']);
  if (raw['Condition'] !== undefined) s.Condition = condition(raw['Condition']);
  return s;
}

function checkStatement(s: PolicyStatement, kind: PolicyKind): void {
  const actions = s.Action ?? s.NotAction;
  if (!actions?.length) throw malformedPolicy('Policy statement must contain actions.');
  for (const a of actions) checkAction(a);
  const resources = s.Resource ?? s.NotResource;
  if (kind === 'trust') {
    if (resources) throw malformedPolicy('Has prohibited field Resource.');
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw malformedPolicy('Missing required field Principal.');
    return;
  }
  const hasPrincipal = s.Principal !== undefined || s.NotPrincipal !== undefined;
  if (kind === 'resource' && !hasPrincipal) throw malformedPolicy('Missing required field Principal.');
  if (kind !== 'resource' && hasPrincipal) throw malformedPolicy('Policy document should not specify a principal.');
  if (!resources?.length) throw malformedPolicy('Policy statement must contain resources.');
  for (const r of resources) checkResource(r);
}

function checkAction(a: string): void {
  if (a === '*') return;
  const parts = a.split(':');
  if (parts.length < 2) throw malformedPolicy('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  if (parts.length > 2) throw malformedPolicy('Actions/Condition can contain only one colon.');
  if (!/^[A-Za-z0-9*?-]+$/.test(parts[0]!)) throw malformedPolicy(`Vendor ${parts[0]} is not valid`);
}

function checkResource(r: string): void {
  if (r === '*') return;
  const parts = r.split(':');
  if (parts.length < 2) throw malformedPolicy(`Resource ${r} must be in ARN format or "*".`);
  if (parts[0] === 'arn' && parts.length < 3) throw malformedPolicy('Resource vendor must be fully qualified and cannot contain regexes.');
  // IAM reads anything with a colon as an ARN whose first field it ignores.
  const arnParts = ['arn', ...parts.slice(1)];
  if (!PARTITIONS.has(arnParts[1]!)) {
    const shown = [...arnParts];
    while (shown.length < 6) shown.push('*');
    throw malformedPolicy(`Partition "${arnParts[1]}" is not valid for resource "${shown.join(':')}".`);
  }
  if (arnParts.length < 6) throw malformedPolicy('The policy failed legacy parsing');
}

function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw malformedPolicy(SYNTAX);
}

function principal(v: unknown): unknown {
  if (v === '*') return v;
  if (!isObject(v)) throw malformedPolicy(SYNTAX);
  for (const [k, ids] of Object.entries(v)) {
    if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(k)) throw malformedPolicy('Invalid principal in policy: ' + JSON.stringify({ [k]: ids }));
    stringList(ids);
  }
  return v;
}

function condition(v: unknown): Record<string, Record<string, string[]>> {
  if (!isObject(v)) throw malformedPolicy(SYNTAX);
  const out: Record<string, Record<string, string[]>> = {};
  for (const [op, block] of Object.entries(v)) {
    if (!isObject(block)) throw malformedPolicy(SYNTAX);
    const keys: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(block)) {
      const list = Array.isArray(values) ? values : [values];
      if (!list.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) throw malformedPolicy(SYNTAX);
      keys[key] = list.map((x) => String(x));
    }
    out[op] = keys;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** IAM counts policy size without whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s+/g, '').length;
}
