/** Ordering and matching of attribute values as conditions see them. */
import { typeOf, type AttributeValue } from '../attribute-value.ts';
import { compareNumbers } from '../decimal.ts';

function compareBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/**
 * Orders two values of the same scalar type (S by UTF-8 bytes, N numerically, B by unsigned
 * bytes); undefined when they are not comparable.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const t = typeOf(a);
  if (t !== typeOf(b)) return undefined;
  if (t === 'S') return compareBytes(Buffer.from(a.S!, 'utf8'), Buffer.from(b.S!, 'utf8'));
  if (t === 'N') return compareNumbers(a.N!, b.N!);
  if (t === 'B') return compareBytes(a.B!, b.B!);
  return undefined;
}
