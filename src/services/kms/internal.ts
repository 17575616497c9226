/**
 * What other services (Secrets Manager, SSM, S3, SQS, ...) call in-process. The first argument
 * is the caller's request context or runtime: it identifies the kumo whose keys are meant.
 * Errors are KMS's AwsErrors; callers translate them into their own service's errors.
 */
import type { Clock } from '../../state/types.ts';
import { putAlias } from './aliases.ts';
import { decryptWith, encryptWith, generateDataKeyWith } from './cipher.ts';
import { createKey } from './keys.ts';
import { findKey, runtimeOf, scopeOf, type Scope } from './scope.ts';

type Caller = { clock: Clock };
type Context = Record<string, string> | undefined;

const AWS_MANAGED = /^alias\/aws\/([a-z0-9-]+)$/;

function scope(caller: Caller, account: string, region: string): Scope {
  return scopeOf(runtimeOf(caller), account, region);
}

/**
 * `alias/aws/<service>` names the AWS managed key of that service, which AWS creates the first
 * time the service needs it; kumo does the same.
 */
function resolve(s: Scope, keyId: string): string {
  const m = AWS_MANAGED.exec(keyId);
  if (m && !s.aliases.has(keyId)) {
    const key = createKey(s, { manager: 'AWS', description: `Default key that protects my ${m[1]} data when no other key is defined` });
    putAlias(s, keyId, key.id);
  }
  return keyId;
}

export interface KeyRef {
  keyId: string;
  keyArn: string;
}

export function encrypt(caller: Caller, account: string, region: string, keyId: string, plaintext: Buffer, context?: Context): KeyRef & { ciphertext: Buffer } {
  const s = scope(caller, account, region);
  const sealed = encryptWith(s, resolve(s, keyId), plaintext, context, undefined);
  return { ciphertext: sealed.blob, keyId: sealed.key.id, keyArn: sealed.key.arn };
}

export function decrypt(caller: Caller, account: string, region: string, ciphertext: Buffer, context?: Context, keyId?: string): KeyRef & { plaintext: Buffer } {
  const opened = decryptWith(scope(caller, account, region), ciphertext, context, keyId, undefined);
  return { plaintext: opened.plaintext, keyId: opened.key.id, keyArn: opened.key.arn };
}

export function generateDataKey(
  caller: Caller, account: string, region: string, keyId: string, bytes = 32, context?: Context,
): KeyRef & { plaintext: Buffer; ciphertext: Buffer } {
  const s = scope(caller, account, region);
  const d = generateDataKeyWith(s, resolve(s, keyId), bytes, context);
  return { plaintext: d.plaintext, ciphertext: d.blob, keyId: d.key.id, keyArn: d.key.arn };
}

/** The key a KeyId names (creating an AWS managed key on first use), for services that record it; throws NotFoundException. */
export function describeKey(caller: Caller, account: string, region: string, keyId: string): KeyRef & { state: string; usage: string } {
  const s = scope(caller, account, region);
  const key = findKey(s, resolve(s, keyId));
  return { keyId: key.id, keyArn: key.arn, state: key.state, usage: key.usage };
}

export interface KmsApi {
  encrypt: typeof encrypt;
  decrypt: typeof decrypt;
  generateDataKey: typeof generateDataKey;
  describeKey: typeof describeKey;
}
