import type { KmsApi } from '../kms/internal.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidKeyId } from './errors.ts';

export const DEFAULT_KEY = 'alias/aws/ssm';

function kms(ctx: RequestContext): KmsApi {
  const api = ctx.services.kms as unknown as KmsApi | undefined;
  if (!api) throw new AwsError('InternalServerError', 'SecureString parameters need kumo\'s KMS service, which is disabled (KUMO_SERVICES) or not loaded.', 500);
  return api;
}

/** KMS's refusals reach SSM callers as InvalidKeyId, with KMS's explanation. */
function viaKms<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AwsError && err.status < 500) throw invalidKeyId(err.message || err.code);
    throw err;
  }
}

/** AWS binds a SecureString's ciphertext to the parameter's ARN through the encryption context. */
export function encryptValue(ctx: RequestContext, keyId: string, value: string, arn: string): string {
  return viaKms(() => kms(ctx).encrypt(ctx, ctx.account, ctx.region, keyId, Buffer.from(value, 'utf8'), { PARAMETER_ARN: arn }).ciphertext.toString('base64'));
}

export function decryptValue(ctx: RequestContext, stored: string, arn: string): string {
  return viaKms(() => kms(ctx).decrypt(ctx, ctx.account, ctx.region, Buffer.from(stored, 'base64'), { PARAMETER_ARN: arn }).plaintext.toString('utf8'));
}
