/**
 * KMS's cryptography, on node:crypto. Key material and GenerateRandom bytes come from
 * crypto.randomBytes, not from the engine's ids: the engine's randomness may be seeded for
 * reproducible runs, and key material that a seed could reproduce would not be secret.
 */
import crypto from 'node:crypto';
import type { DataKeyPairSpec, KeySpec, MacAlgorithmSpec, SigningAlgorithmSpec } from '../../generated/kms.ts';
import { signDigest, verifyDigest } from './ecdsa-digest.ts';
import { invalidCiphertext, validation } from './errors.ts';

const MAGIC = Buffer.from('kumo', 'ascii');
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function randomBytes(n: number): Buffer {
  return crypto.randomBytes(n);
}

const CURVES: Partial<Record<KeySpec, string>> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
};

const RSA_BITS: Partial<Record<KeySpec, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

const HMAC_BYTES: Partial<Record<KeySpec, number>> = { HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64 };

export interface KeyPair {
  privateKey: Buffer;
  publicKey: Buffer;
}

/** A new key pair as DER (PKCS#8 private, SPKI public), the encodings KMS hands out. */
export function generatePair(spec: KeySpec | DataKeyPairSpec): KeyPair {
  const bits = RSA_BITS[spec as KeySpec];
  const curve = CURVES[spec as KeySpec];
  let pair: crypto.KeyPairKeyObjectResult;
  if (bits) pair = crypto.generateKeyPairSync('rsa', { modulusLength: bits });
  else if (curve) pair = crypto.generateKeyPairSync('ec', { namedCurve: curve });
  else if (spec === 'ECC_NIST_EDWARDS25519') pair = crypto.generateKeyPairSync('ed25519');
  else throw validation(`KeySpec ${spec} is not supported by kumo`);
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }),
  };
}

export function isAsymmetric(spec: KeySpec): boolean {
  return spec in RSA_BITS || spec in CURVES || spec === 'ECC_NIST_EDWARDS25519';
}

export function isRsa(spec: KeySpec): boolean {
  return spec in RSA_BITS;
}

export function hmacBytes(spec: KeySpec): number | undefined {
  return HMAC_BYTES[spec];
}

export function supportedSpec(spec: KeySpec): boolean {
  return spec === 'SYMMETRIC_DEFAULT' || isAsymmetric(spec) || spec in HMAC_BYTES;
}

/** The encryption context as bound into a ciphertext: order-independent, like AWS's. */
function contextBytes(context: Record<string, string> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

/**
 * A symmetric ciphertext blob: `kumo`, version, key id length, key id, material index (u16),
 * IV, GCM tag, ciphertext. Header and encryption context are authenticated, so a changed key
 * id, material index or context fails to open.
 */
export function seal(keyId: string, materialIndex: number, material: Buffer, plaintext: Buffer, context?: Record<string, string>): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  const header = Buffer.alloc(MAGIC.length + 2 + id.length + 2);
  MAGIC.copy(header, 0);
  header[4] = VERSION;
  header[5] = id.length;
  id.copy(header, 6);
  header.writeUInt16BE(materialIndex, 6 + id.length);
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([header, contextBytes(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

export interface BlobHeader {
  keyId: string;
  materialIndex: number;
}

/** The key a symmetric blob names; undefined for anything kumo did not seal. */
export function blobHeader(blob: Buffer): BlobHeader | undefined {
  if (blob.length < 6 || !blob.subarray(0, 4).equals(MAGIC) || blob[4] !== VERSION) return undefined;
  const idLen = blob[5]!;
  if (blob.length < 6 + idLen + 2 + IV_BYTES + TAG_BYTES) return undefined;
  return { keyId: blob.subarray(6, 6 + idLen).toString('ascii'), materialIndex: blob.readUInt16BE(6 + idLen) };
}

export function open(blob: Buffer, material: Buffer, context?: Record<string, string>): Buffer {
  const idLen = blob[5]!;
  const headerLen = 6 + idLen + 2;
  const iv = blob.subarray(headerLen, headerLen + IV_BYTES);
  const tag = blob.subarray(headerLen + IV_BYTES, headerLen + IV_BYTES + TAG_BYTES);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(Buffer.concat([blob.subarray(0, headerLen), contextBytes(context)]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(headerLen + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw invalidCiphertext();
  }
}

const OAEP_HASH = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' } as const;

export function rsaEncrypt(publicKey: Buffer, algorithm: keyof typeof OAEP_HASH, plaintext: Buffer): Buffer {
  const key = crypto.createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
  try {
    return crypto.publicEncrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] }, plaintext);
  } catch {
    throw validation(`Plaintext is too long for ${algorithm} with this key`);
  }
}

export function rsaDecrypt(privateKey: Buffer, algorithm: keyof typeof OAEP_HASH, ciphertext: Buffer): Buffer {
  const key = crypto.createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' });
  try {
    return crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] }, ciphertext);
  } catch {
    throw invalidCiphertext();
  }
}

interface SigningScheme {
  hash: 'sha256' | 'sha384' | 'sha512';
  kind: 'pss' | 'pkcs1' | 'ecdsa' | 'eddsa';
}

export const SIGNING: Partial<Record<SigningAlgorithmSpec, SigningScheme>> = {
  RSASSA_PSS_SHA_256: { hash: 'sha256', kind: 'pss' },
  RSASSA_PSS_SHA_384: { hash: 'sha384', kind: 'pss' },
  RSASSA_PSS_SHA_512: { hash: 'sha512', kind: 'pss' },
  RSASSA_PKCS1_V1_5_SHA_256: { hash: 'sha256', kind: 'pkcs1' },
  RSASSA_PKCS1_V1_5_SHA_384: { hash: 'sha384', kind: 'pkcs1' },
  RSASSA_PKCS1_V1_5_SHA_512: { hash: 'sha512', kind: 'pkcs1' },
  ECDSA_SHA_256: { hash: 'sha256', kind: 'ecdsa' },
  ECDSA_SHA_384: { hash: 'sha384', kind: 'ecdsa' },
  ECDSA_SHA_512: { hash: 'sha512', kind: 'ecdsa' },
  ED25519_SHA_512: { hash: 'sha512', kind: 'eddsa' },
};

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1): PKCS#1 v1.5 signs DigestInfo || digest. */
const DIGEST_INFO = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
} as const;

export function digestLength(scheme: SigningScheme): number {
  return HASH_BYTES[scheme.hash];
}

function rsaOptions(scheme: SigningScheme) {
  return scheme.kind === 'pss'
    ? { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[scheme.hash] }
    : { padding: crypto.constants.RSA_PKCS1_PADDING };
}

/** MGF1 (RFC 8017 B.2.1). */
function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const out: Buffer[] = [];
  for (let i = 0, got = 0; got < length; i++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(i);
    const block = crypto.createHash(hash).update(seed).update(c).digest();
    out.push(block);
    got += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

function modulusBits(key: crypto.KeyObject): number {
  return key.asymmetricKeyDetails!.modulusLength!;
}

/** EMSA-PSS encoding of a digest (RFC 8017 §9.1.1), for signing a digest node would otherwise hash again. */
function pssEncode(digest: Buffer, hash: SigningScheme['hash'], emBits: number): Buffer {
  const hLen = HASH_BYTES[hash];
  const emLen = Math.ceil(emBits / 8);
  const salt = crypto.randomBytes(hLen);
  const h = crypto.createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

function pssVerify(digest: Buffer, em: Buffer, hash: SigningScheme['hash'], emBits: number): boolean {
  const hLen = HASH_BYTES[hash];
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || em[emLen - 1] !== 0xbc) return false;
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const sep = emLen - 2 * hLen - 2;
  if (!db.subarray(0, sep).every((b) => b === 0) || db[sep] !== 1) return false;
  const salt = db.subarray(sep + 1);
  return crypto.createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest().equals(h);
}

/** Left-pads (or strips leading zeros of) an RSA block to the modulus length. */
function fit(block: Buffer, bytes: number): Buffer {
  if (block.length === bytes) return block;
  if (block.length > bytes) return block.subarray(block.length - bytes);
  return Buffer.concat([Buffer.alloc(bytes - block.length), block]);
}

export function sign(privateKeyDer: Buffer, scheme: SigningScheme, message: Buffer, digest: boolean): Buffer {
  const key = crypto.createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
  if (!digest) {
    if (scheme.kind === 'eddsa') return crypto.sign(null, message, key);
    return crypto.sign(scheme.hash, message, scheme.kind === 'ecdsa' ? key : { key, ...rsaOptions(scheme) });
  }
  if (scheme.kind === 'pkcs1') {
    return crypto.privateEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO[scheme.hash], message]));
  }
  if (scheme.kind === 'pss') {
    const bits = modulusBits(key);
    const em = fit(pssEncode(message, scheme.hash, bits - 1), Math.ceil(bits / 8));
    return crypto.privateEncrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, em);
  }
  if (scheme.kind === 'ecdsa') return signDigest(key, message);
  throw validation('ED25519_SHA_512 signs RAW messages only.');
}

/** Verifies with the public key; ECDSA over a caller's digest needs the private key (see ecdsa-digest.ts). */
export function verify(pair: KeyPair, scheme: SigningScheme, message: Buffer, digest: boolean, signature: Buffer): boolean {
  const key = crypto.createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' });
  try {
    if (!digest) {
      if (scheme.kind === 'eddsa') return crypto.verify(null, message, key, signature);
      return crypto.verify(scheme.hash, message, scheme.kind === 'ecdsa' ? key : { key, ...rsaOptions(scheme) }, signature);
    }
    if (scheme.kind === 'pkcs1') {
      const em = crypto.publicDecrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
      return em.equals(Buffer.concat([DIGEST_INFO[scheme.hash], message]));
    }
    if (scheme.kind === 'pss') {
      const bits = modulusBits(key);
      const em = crypto.publicDecrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, signature);
      const emLen = Math.ceil((bits - 1) / 8);
      return pssVerify(message, fit(em, emLen), scheme.hash, bits - 1);
    }
    if (scheme.kind === 'ecdsa') return verifyDigest(crypto.createPrivateKey({ key: pair.privateKey, format: 'der', type: 'pkcs8' }), message, signature);
  } catch {
    return false;
  }
  throw validation('ED25519_SHA_512 verifies RAW messages only.');
}

const MAC_HASH: Record<MacAlgorithmSpec, { hash: string; spec: KeySpec }> = {
  HMAC_SHA_224: { hash: 'sha224', spec: 'HMAC_224' },
  HMAC_SHA_256: { hash: 'sha256', spec: 'HMAC_256' },
  HMAC_SHA_384: { hash: 'sha384', spec: 'HMAC_384' },
  HMAC_SHA_512: { hash: 'sha512', spec: 'HMAC_512' },
};

export function macSpecOf(algorithm: MacAlgorithmSpec): KeySpec | undefined {
  return MAC_HASH[algorithm]?.spec;
}

export function mac(material: Buffer, algorithm: MacAlgorithmSpec, message: Buffer): Buffer {
  return crypto.createHmac(MAC_HASH[algorithm].hash, material).update(message).digest();
}

export function macEquals(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
