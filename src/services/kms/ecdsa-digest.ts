/**
 * ECDSA over a digest the caller computed (Sign/Verify with MessageType DIGEST): node signs
 * messages only, hashing them itself, so the scalar arithmetic is done here, with node's ECDH
 * as the point multiplier (it answers k·G for a private scalar k). KMS holds the private key,
 * so verification computes (u1 + u2·d)·G, which equals u1·G + u2·Q, without point addition.
 */
import crypto from 'node:crypto';

interface Curve {
  ecdh: string;
  n: bigint;
  bytes: number;
}

/** Group orders (SEC 2 / FIPS 186-4; as `openssl ecparam -param_enc explicit -text` prints them). */
const CURVES: Record<string, Curve> = {
  'P-256': { ecdh: 'prime256v1', n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, bytes: 32 },
  'P-384': {
    ecdh: 'secp384r1',
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
  },
  'P-521': {
    ecdh: 'secp521r1',
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    bytes: 66,
  },
  secp256k1: { ecdh: 'secp256k1', n: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n, bytes: 32 },
};

function toBig(b: Buffer): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${b.toString('hex')}`);
}

function toBuf(x: bigint, bytes: number): Buffer {
  return Buffer.from(x.toString(16).padStart(bytes * 2, '0'), 'hex');
}

function mod(a: bigint, n: bigint): bigint {
  const r = a % n;
  return r < 0n ? r + n : r;
}

/** Modular inverse by the extended Euclidean algorithm (n is prime). */
function inverse(a: bigint, n: bigint): bigint {
  let [r0, r1, t0, t1] = [mod(a, n), n, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return mod(t0, n);
}

/** x of k·G. */
function baseX(c: Curve, k: bigint): bigint {
  const ecdh = crypto.createECDH(c.ecdh);
  ecdh.setPrivateKey(toBuf(k, c.bytes));
  const pub = ecdh.getPublicKey();
  return toBig(pub.subarray(1, 1 + c.bytes));
}

/** The digest as an integer, keeping its leftmost bits when it is longer than the order. */
function digestInt(c: Curve, digest: Buffer): bigint {
  const bits = c.n.toString(2).length;
  const z = toBig(digest);
  const extra = digest.length * 8 - bits;
  return extra > 0 ? z >> BigInt(extra) : z;
}

function derInt(x: bigint): Buffer {
  let hex = x.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

function derLength(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : Buffer.from([0x81, n]);
}

function parseDer(sig: Buffer): [bigint, bigint] | undefined {
  let i = 0;
  if (sig[i++] !== 0x30) return undefined;
  let len = sig[i++]!;
  if (len === 0x81) len = sig[i++]!;
  if (len !== sig.length - i) return undefined;
  const ints: bigint[] = [];
  for (let k = 0; k < 2; k++) {
    if (sig[i++] !== 0x02) return undefined;
    const l = sig[i++]!;
    if (l === undefined || i + l > sig.length) return undefined;
    ints.push(toBig(sig.subarray(i, i + l)));
    i += l;
  }
  return i === sig.length ? [ints[0]!, ints[1]!] : undefined;
}

function curveAndScalar(privateKey: crypto.KeyObject): { c: Curve; d: bigint } {
  const jwk = privateKey.export({ format: 'jwk' });
  return { c: CURVES[jwk.crv!]!, d: toBig(Buffer.from(jwk.d!, 'base64url')) };
}

export function signDigest(privateKey: crypto.KeyObject, digest: Buffer): Buffer {
  const { c, d } = curveAndScalar(privateKey);
  const z = digestInt(c, digest);
  for (;;) {
    const k = mod(toBig(crypto.randomBytes(c.bytes + 8)), c.n - 1n) + 1n;
    const r = mod(baseX(c, k), c.n);
    if (r === 0n) continue;
    const s = mod(inverse(k, c.n) * (z + r * d), c.n);
    if (s === 0n) continue;
    const body = Buffer.concat([derInt(r), derInt(s)]);
    return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  }
}

export function verifyDigest(privateKey: crypto.KeyObject, digest: Buffer, signature: Buffer): boolean {
  const { c, d } = curveAndScalar(privateKey);
  const rs = parseDer(signature);
  if (!rs) return false;
  const [r, s] = rs;
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const w = inverse(s, c.n);
  const k = mod(digestInt(c, digest) * w + r * w * d, c.n);
  return k !== 0n && mod(baseX(c, k), c.n) === r;
}
