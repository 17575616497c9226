import type { RequestContext } from '../framework/define.ts';
import type { Table } from '../../state/types.ts';
import { invalidParameter, markedForDeletion, notFound } from './errors.ts';
import { SECRETS, type SecretRecord } from './records.ts';

const NAME = /^[a-zA-Z0-9/_+=.@-]+$/;
const ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;
const SUFFIX_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function secrets(ctx: RequestContext): Table<SecretRecord> {
  return ctx.table<SecretRecord>(SECRETS);
}

export function checkName(name: string): void {
  if (!NAME.test(name) || name.length > 512) {
    throw invalidParameter('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
  }
}

/** A new secret's ARN: the name, a hyphen and six random characters, as AWS forms them. */
export function newArn(ctx: RequestContext, name: string): string {
  const suffix = [...ctx.ids.bytes(6)].map((b) => SUFFIX_CHARS[b % SUFFIX_CHARS.length]).join('');
  return `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:${name}-${suffix}`;
}

/**
 * The secret a SecretId names: its name, its full ARN, or a partial ARN (the ARN without the
 * random suffix).
 */
export function lookup(ctx: RequestContext, secretId: string): SecretRecord | undefined {
  const table = secrets(ctx);
  const arn = ARN.exec(secretId);
  if (!arn) return table.get(secretId);
  if (arn[1] !== ctx.region || arn[2] !== ctx.account) return undefined;
  const tail = arn[3]!;
  const full = tail.length > 7 ? table.get(tail.slice(0, -7)) : undefined;
  if (full?.arn === secretId) return full;
  const partial = table.get(tail);
  return partial;
}

export function findSecret(ctx: RequestContext, secretId: string): SecretRecord {
  const s = lookup(ctx, secretId);
  if (!s) throw notFound();
  return s;
}

/** A secret that is not waiting out a recovery window. */
export function liveSecret(ctx: RequestContext, secretId: string): SecretRecord {
  const s = findSecret(ctx, secretId);
  if (s.deletedAt !== undefined) throw markedForDeletion();
  return s;
}
