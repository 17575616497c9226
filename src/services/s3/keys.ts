/**
 * How object keys become table keys. S3 lists keys in UTF-8 binary order, while tables order
 * keys by UTF-16 code unit (which differs for characters above U+FFFF). A key is therefore
 * stored as its UTF-8 bytes, one char (U+0000..U+00FF) per byte, so that string order is byte
 * order. Bytes 0x00 and 0x01 are escaped (0x01 0x01, 0x01 0x02) so that U+0000 never occurs in
 * an encoded key and can separate a key from the version or upload that follows it.
 * ASCII keys (the common case) encode to themselves.
 */

const PLAIN = /^[\u0002-\u007f]*$/;
const SEP = '\u0000';
/** Sorts after every char of an encoded key: `prefix + AFTER_ALL` is past every key under `prefix`. */
export const AFTER_ALL = '\u0100';

export function encodeKey(key: string): string {
  if (PLAIN.test(key)) return key;
  const bytes = Buffer.from(key, 'utf8');
  let out = '';
  for (const b of bytes) {
    if (b === 0) out += '\u0001\u0001';
    else if (b === 1) out += '\u0001\u0002';
    else out += String.fromCharCode(b);
  }
  return out;
}

export function decodeKey(encoded: string): string {
  if (PLAIN.test(encoded)) return encoded;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charCodeAt(i);
    if (c === 1) bytes.push(encoded.charCodeAt(++i) - 1);
    else bytes.push(c);
  }
  return Buffer.from(bytes).toString('utf8');
}

export function objectKey(bucket: string, key: string): string {
  return `${bucket}/${encodeKey(key)}`;
}

export function bucketPrefix(bucket: string): string {
  return `${bucket}/`;
}

const MAX_SEQ = 999_999_999_999_999;

/** Versions of a key, newest first: the sequence number is inverted so ascending order is newest first. */
export function versionKey(bucket: string, key: string, seq: number): string {
  return `${objectKey(bucket, key)}${SEP}${String(MAX_SEQ - seq).padStart(15, '0')}`;
}

export function versionsPrefix(bucket: string, key: string): string {
  return `${objectKey(bucket, key)}${SEP}`;
}

export function uploadKey(bucket: string, key: string, uploadId: string): string {
  return `${objectKey(bucket, key)}${SEP}${uploadId}`;
}

/** Splits `<encoded key>\0<rest>` (relative to a bucket prefix). */
export function splitKey(rel: string): [encodedKey: string, rest: string] {
  const i = rel.indexOf(SEP);
  return i < 0 ? [rel, ''] : [rel.slice(0, i), rel.slice(i + 1)];
}

export function partKey(uploadId: string, partNumber: number): string {
  return `${uploadId}/${String(partNumber).padStart(5, '0')}`;
}

export function configKey(bucket: string, kind: string): string {
  return `${bucket}/${kind}`;
}

/** The smallest string greater than `encoded`: encoded keys never contain U+0000. */
export function justAfter(encoded: string): string {
  return encoded + SEP;
}

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
