import type { KmsApi } from '../kms/internal.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import type { StoredValue } from './records.ts';

export const DEFAULT_KEY = 'alias/aws/secretsmanager';

function api(ctx: RequestContext): KmsApi | undefined {
  return ctx.services.kms as unknown as KmsApi | undefined;
}

/** AWS binds each version's ciphertext to the secret and version through the encryption context. */
function context(arn: string, versionId: string): Record<string, string> {
  return { SecretARN: arn, SecretVersionId: versionId };
}

/** KMS's refusals as Secrets Manager words them. */
function kmsFailure(err: unknown, decrypting: boolean): never {
  if (!(err instanceof AwsError) || err.status >= 500) throw err;
  if (decrypting) {
    throw new AwsError('DecryptionFailure', `Secrets Manager can't decrypt the protected secret text using the provided KMS key. ${err.message}`.trim());
  }
  throw new AwsError('EncryptionFailure', `Secrets Manager can't encrypt the protected secret text using the provided KMS key. ${err.message}`.trim());
}

/**
 * Seals a value under the secret's key through kumo's KMS. Without a KmsKeyId the value is
 * kept unencrypted while KMS is not loaded: Secrets Manager never shows ciphertext, so only
 * customer keys (which can be disabled or deleted) change what callers see.
 */
export function seal(ctx: RequestContext, keyId: string | undefined, arn: string, versionId: string, kind: StoredValue['kind'], plain: Buffer): { value: StoredValue; keyArn?: string } {
  const kms = api(ctx);
  if (!kms) {
    if (keyId !== undefined) throw new AwsError('InternalServiceError', 'A KmsKeyId needs kumo\'s KMS service, which is disabled (KUMO_SERVICES) or not loaded.', 500);
    return { value: { kind, data: plain, encrypted: false } };
  }
  try {
    const r = kms.encrypt(ctx, ctx.account, ctx.region, keyId ?? DEFAULT_KEY, plain, context(arn, versionId));
    return { value: { kind, data: r.ciphertext, encrypted: true }, keyArn: r.keyArn };
  } catch (err) {
    kmsFailure(err, false);
  }
}

export function unseal(ctx: RequestContext, arn: string, versionId: string, value: StoredValue): Buffer {
  if (!value.encrypted) return value.data;
  const kms = api(ctx);
  if (!kms) throw new AwsError('InternalServiceError', 'This secret was encrypted by kumo\'s KMS service, which is disabled (KUMO_SERVICES) or not loaded.', 500);
  try {
    return kms.decrypt(ctx, ctx.account, ctx.region, value.data, context(arn, versionId)).plaintext;
  } catch (err) {
    kmsFailure(err, true);
  }
}

/** Checks a KmsKeyId names a usable key before it is recorded on a secret. */
export function checkKey(ctx: RequestContext, keyId: string): void {
  const kms = api(ctx);
  if (!kms) throw new AwsError('InternalServiceError', 'A KmsKeyId needs kumo\'s KMS service, which is disabled (KUMO_SERVICES) or not loaded.', 500);
  try {
    kms.describeKey(ctx, ctx.account, ctx.region, keyId);
  } catch (err) {
    kmsFailure(err, false);
  }
}
