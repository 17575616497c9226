/**
 * Order-preserving, prefix-free string encodings of key values, so that an ordered table of
 * strings serves Query by range scans. Strings are their UTF-8 bytes as latin1 code units
 * (byte order = code-unit order), binaries likewise, numbers per decimal.ts. NUL is escaped to
 * NUL 0xFF and every value ends in NUL 0x01, so no encoding is a prefix of another and a
 * shorter value sorts first.
 */
import type { AttributeValue } from './attribute-value.ts';
import { encodeDecimal, parseDecimal } from './decimal.ts';

const TERMINATOR = '\u0000\u0001';

function escape(latin1: string): string {
  return latin1.includes('\u0000') ? latin1.replaceAll('\u0000', '\u0000\u00ff') : latin1;
}

/** The unterminated encoding of a string or binary: what a `begins_with` prefix scans for. */
export function encodePrefix(v: AttributeValue): string {
  if (v.S !== undefined) return escape(Buffer.from(v.S, 'utf8').toString('latin1'));
  return escape(v.B!.toString('latin1'));
}

/** The encoding of one key attribute value (S, N or B). */
export function encodeKeyValue(v: AttributeValue): string {
  if (v.N !== undefined) return encodeDecimal(parseDecimal(v.N)!) + TERMINATOR;
  return encodePrefix(v) + TERMINATOR;
}
