import type {
  DataKeyPairSpec, DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, EncryptionAlgorithmSpec,
  GenerateDataKeyPairRequest, GenerateDataKeyPairResponse, GenerateDataKeyPairWithoutPlaintextRequest,
  GenerateDataKeyPairWithoutPlaintextResponse, GenerateDataKeyRequest, GenerateDataKeyResponse,
  GenerateDataKeyWithoutPlaintextRequest, GenerateDataKeyWithoutPlaintextResponse, ReEncryptRequest, ReEncryptResponse,
} from '../../generated/kms.ts';
import type { RequestContext } from '../framework/define.ts';
import { blobHeader, generatePair, open, randomBytes, rsaDecrypt, rsaEncrypt, seal } from './crypto.ts';
import { incorrectKey, invalidCiphertext, invalidKeyUsage, validation } from './errors.ts';
import { materialId } from './metadata.ts';
import type { KeyRecord } from './records.ts';
import { checkUsable, findKey, requestScope, usableKey, type Scope } from './scope.ts';

type Context = Record<string, string> | undefined;

function usageCheck(key: KeyRecord, operation: string): void {
  if (key.usage !== 'ENCRYPT_DECRYPT') throw invalidKeyUsage(`${key.arn} key usage is ${key.usage} which is not valid for ${operation}.`);
}

function symmetricOnly(key: KeyRecord, operation: string): void {
  usageCheck(key, operation);
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw invalidKeyUsage(`${key.arn} key spec is ${key.spec} which is not valid for ${operation}.`);
}

export interface Sealed {
  blob: Buffer;
  key: KeyRecord;
  algorithm: EncryptionAlgorithmSpec;
}

/** Encrypts under a key: AES-256-GCM for symmetric keys, RSA-OAEP for RSA keys (no context, as in AWS). */
export function encryptWith(scope: Scope, keyId: string, plaintext: Buffer, context: Context, algorithm: EncryptionAlgorithmSpec | undefined, operation = 'Encrypt'): Sealed {
  const key = usableKey(scope, keyId);
  usageCheck(key, operation);
  if (key.spec === 'SYMMETRIC_DEFAULT') {
    if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') throw invalidKeyUsage(`The encryption algorithm ${algorithm} is not valid for ${key.arn}.`);
    const index = key.materials.length - 1;
    return { blob: seal(key.id, index, key.materials[index]!, plaintext, context), key, algorithm: 'SYMMETRIC_DEFAULT' };
  }
  if (algorithm !== 'RSAES_OAEP_SHA_1' && algorithm !== 'RSAES_OAEP_SHA_256') {
    throw invalidKeyUsage(`The encryption algorithm ${algorithm ?? 'SYMMETRIC_DEFAULT'} is not valid for ${key.arn}.`);
  }
  if (context && Object.keys(context).length > 0) throw validation('EncryptionContext is not supported with asymmetric KMS keys.');
  return { blob: rsaEncrypt(key.publicKey!, algorithm, plaintext), key, algorithm };
}

export interface Opened {
  plaintext: Buffer;
  key: KeyRecord;
  algorithm: EncryptionAlgorithmSpec;
  materialIndex?: number;
}

/**
 * Decrypts a blob. Symmetric blobs name their key; RSA ciphertexts need the KeyId. A blob
 * kumo did not seal, or whose key this kumo does not hold, is an InvalidCiphertextException.
 */
export function decryptWith(scope: Scope, blob: Buffer, context: Context, keyId: string | undefined, algorithm: EncryptionAlgorithmSpec | undefined): Opened {
  const header = blobHeader(blob);
  const named = keyId === undefined ? undefined : findKey(scope, keyId);
  if (header && (algorithm === undefined || algorithm === 'SYMMETRIC_DEFAULT')) {
    const key = scope.keys.get(header.keyId);
    if (!key) throw invalidCiphertext();
    if (named && named.id !== key.id) throw incorrectKey();
    checkUsable(key);
    const material = key.materials[header.materialIndex];
    if (!material) throw invalidCiphertext();
    return { plaintext: open(blob, material, context), key, algorithm: 'SYMMETRIC_DEFAULT', materialIndex: header.materialIndex };
  }
  if (!named || named.spec === 'SYMMETRIC_DEFAULT') throw invalidCiphertext();
  checkUsable(named);
  usageCheck(named, 'Decrypt');
  if (algorithm !== 'RSAES_OAEP_SHA_1' && algorithm !== 'RSAES_OAEP_SHA_256') {
    throw invalidKeyUsage(`The encryption algorithm ${algorithm ?? 'SYMMETRIC_DEFAULT'} is not valid for ${named.arn}.`);
  }
  return { plaintext: rsaDecrypt(named.privateKey!, algorithm, blob), key: named, algorithm };
}

function blobOf(b: Buffer | undefined): Buffer {
  if (b === undefined || b.length === 0) throw validation('1 validation error detected: Value null at \'ciphertextBlob\' failed to satisfy constraint: Member must not be null');
  return Buffer.from(b);
}

export function Encrypt(input: EncryptRequest, ctx: RequestContext): EncryptResponse {
  const s = encryptWith(requestScope(ctx), input.KeyId, Buffer.from(input.Plaintext), input.EncryptionContext, input.EncryptionAlgorithm);
  return { CiphertextBlob: s.blob, KeyId: s.key.arn, EncryptionAlgorithm: s.algorithm };
}

export function Decrypt(input: DecryptRequest, ctx: RequestContext): DecryptResponse {
  const o = decryptWith(requestScope(ctx), blobOf(input.CiphertextBlob), input.EncryptionContext, input.KeyId, input.EncryptionAlgorithm);
  return {
    KeyId: o.key.arn, Plaintext: o.plaintext, EncryptionAlgorithm: o.algorithm,
    ...(o.materialIndex !== undefined ? { KeyMaterialId: materialId(o.key, o.materialIndex) } : {}),
  };
}

export function ReEncrypt(input: ReEncryptRequest, ctx: RequestContext): ReEncryptResponse {
  const scope = requestScope(ctx);
  const o = decryptWith(scope, blobOf(input.CiphertextBlob), input.SourceEncryptionContext, input.SourceKeyId, input.SourceEncryptionAlgorithm);
  const s = encryptWith(scope, input.DestinationKeyId, o.plaintext, input.DestinationEncryptionContext, input.DestinationEncryptionAlgorithm, 'ReEncrypt');
  return {
    CiphertextBlob: s.blob, SourceKeyId: o.key.arn, KeyId: s.key.arn,
    SourceEncryptionAlgorithm: o.algorithm, DestinationEncryptionAlgorithm: s.algorithm,
  };
}

function dataKeyLength(spec: string | undefined, bytes: number | undefined): number {
  if (spec !== undefined && bytes !== undefined) throw validation('Please specify either number of bytes or key spec.');
  if (spec === 'AES_256') return 32;
  if (spec === 'AES_128') return 16;
  if (bytes === undefined) throw validation('Please specify either number of bytes or key spec.');
  return bytes;
}

export interface DataKey {
  plaintext: Buffer;
  blob: Buffer;
  key: KeyRecord;
}

export function generateDataKeyWith(scope: Scope, keyId: string, length: number, context: Context, operation = 'GenerateDataKey'): DataKey {
  const key = usableKey(scope, keyId);
  symmetricOnly(key, operation);
  const plaintext = randomBytes(length);
  return { plaintext, blob: encryptWith(scope, key.id, plaintext, context, undefined, operation).blob, key };
}

export function GenerateDataKey(input: GenerateDataKeyRequest, ctx: RequestContext): GenerateDataKeyResponse {
  const d = generateDataKeyWith(requestScope(ctx), input.KeyId, dataKeyLength(input.KeySpec, input.NumberOfBytes), input.EncryptionContext);
  return { CiphertextBlob: d.blob, Plaintext: d.plaintext, KeyId: d.key.arn, KeyMaterialId: materialId(d.key, d.key.materials.length - 1) };
}

export function GenerateDataKeyWithoutPlaintext(input: GenerateDataKeyWithoutPlaintextRequest, ctx: RequestContext): GenerateDataKeyWithoutPlaintextResponse {
  const d = generateDataKeyWith(
    requestScope(ctx), input.KeyId, dataKeyLength(input.KeySpec, input.NumberOfBytes), input.EncryptionContext, 'GenerateDataKeyWithoutPlaintext',
  );
  return { CiphertextBlob: d.blob, KeyId: d.key.arn, KeyMaterialId: materialId(d.key, d.key.materials.length - 1) };
}

function dataKeyPair(ctx: RequestContext, keyId: string, spec: DataKeyPairSpec, context: Context, operation: string) {
  if (spec === 'SM2') throw validation('KeyPairSpec SM2 is only available in China Regions.');
  const scope = requestScope(ctx);
  const key = usableKey(scope, keyId);
  symmetricOnly(key, operation);
  const pair = generatePair(spec);
  const blob = encryptWith(scope, key.id, pair.privateKey, context, undefined, operation).blob;
  return { key, pair, blob };
}

export function GenerateDataKeyPair(input: GenerateDataKeyPairRequest, ctx: RequestContext): GenerateDataKeyPairResponse {
  const { key, pair, blob } = dataKeyPair(ctx, input.KeyId, input.KeyPairSpec, input.EncryptionContext, 'GenerateDataKeyPair');
  return {
    KeyId: key.arn, KeyPairSpec: input.KeyPairSpec, PrivateKeyCiphertextBlob: blob, PrivateKeyPlaintext: pair.privateKey,
    PublicKey: pair.publicKey, KeyMaterialId: materialId(key, key.materials.length - 1),
  };
}

export function GenerateDataKeyPairWithoutPlaintext(
  input: GenerateDataKeyPairWithoutPlaintextRequest, ctx: RequestContext,
): GenerateDataKeyPairWithoutPlaintextResponse {
  const { key, pair, blob } = dataKeyPair(ctx, input.KeyId, input.KeyPairSpec, input.EncryptionContext, 'GenerateDataKeyPairWithoutPlaintext');
  return {
    KeyId: key.arn, KeyPairSpec: input.KeyPairSpec, PrivateKeyCiphertextBlob: blob, PublicKey: pair.publicKey,
    KeyMaterialId: materialId(key, key.materials.length - 1),
  };
}
