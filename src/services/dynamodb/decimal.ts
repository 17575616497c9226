/**
 * DynamoDB numbers: decimal, 38 significant digits, magnitudes 1E-130 .. < 1E126, exact.
 * Held as sign + significant digits (no leading or trailing zeros) + exponent, with
 * value = 0.DIGITS x 10^exp, so comparisons never go through float64.
 */
import { validation } from './errors.ts';

export interface Decimal {
  readonly neg: boolean;
  /** Significant digits; empty for zero. */
  readonly digits: string;
  /** Position of the decimal point relative to the first digit. */
  readonly exp: number;
}

const ZERO: Decimal = { neg: false, digits: '', exp: 0 };
const SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
export const MAX_DIGITS = 38;

/** Parses a number literal without range checks; undefined when it is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = SYNTAX.exec(text);
  if (!m) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  const e = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isFinite(e)) return undefined;
  let digits = int + frac;
  let exp = int.length + e;
  const lead = digits.search(/[1-9]/);
  if (lead < 0) return ZERO;
  digits = digits.slice(lead);
  exp -= lead;
  digits = digits.replace(/0+$/, '');
  return { neg: m[1] === '-', digits, exp };
}

/** Checks AWS's precision and magnitude limits, with AWS's messages. */
export function checkLimits(d: Decimal): Decimal {
  if (d.digits.length > MAX_DIGITS) throw validation('Attempting to store more than 38 significant digits in a Number');
  if (d.digits !== '' && d.exp > 126) {
    throw validation('Number overflow. Attempting to store a number with magnitude larger than supported range');
  }
  if (d.digits !== '' && d.exp < -129) {
    throw validation('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  }
  return d;
}

/** Parses and validates a wire number, as every N in a request is. */
export function toDecimal(text: string): Decimal {
  const d = parseDecimal(text);
  if (!d) throw validation(`The parameter cannot be converted to a numeric value: ${text}`);
  return checkLimits(d);
}

/** AWS's canonical text: plain notation, no leading zeros, no trailing fraction zeros, no `-0`. */
export function formatDecimal(d: Decimal): string {
  if (d.digits === '') return '0';
  const { digits, exp } = d;
  let body: string;
  if (exp <= 0) body = '0.' + '0'.repeat(-exp) + digits;
  else if (exp >= digits.length) body = digits + '0'.repeat(exp - digits.length);
  else body = digits.slice(0, exp) + '.' + digits.slice(exp);
  return d.neg ? '-' + body : body;
}

export function normalizeNumber(text: string): string {
  return formatDecimal(toDecimal(text));
}

function compareMagnitude(a: Decimal, b: Decimal): number {
  if (a.digits === '' || b.digits === '') return (a.digits === '' ? 0 : 1) - (b.digits === '' ? 0 : 1);
  if (a.exp !== b.exp) return a.exp < b.exp ? -1 : 1;
  // Without trailing zeros, plain string order is magnitude order for equal exponents.
  return a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
}

function sign(d: Decimal): number {
  return d.digits === '' ? 0 : d.neg ? -1 : 1;
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const sa = sign(a);
  const sb = sign(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  const m = compareMagnitude(a, b);
  return sa < 0 ? -m : m;
}

/** Compares two canonical number strings exactly. */
export function compareNumbers(a: string, b: string): number {
  return compareDecimal(parseDecimal(a)!, parseDecimal(b)!);
}

/** Unscaled integer and power of ten: value = int x 10^scale. */
function toScaled(d: Decimal): { int: bigint; scale: number } {
  if (d.digits === '') return { int: 0n, scale: 0 };
  const int = BigInt(d.digits);
  return { int: d.neg ? -int : int, scale: d.exp - d.digits.length };
}

function fromScaled(int: bigint, scale: number): Decimal {
  if (int === 0n) return ZERO;
  const neg = int < 0n;
  const text = (neg ? -int : int).toString();
  return parseDecimal(`${neg ? '-' : ''}${text}e${scale}`)!;
}

function align(a: Decimal, b: Decimal): { x: bigint; y: bigint; scale: number } {
  const sa = toScaled(a);
  const sb = toScaled(b);
  const scale = Math.min(sa.scale, sb.scale);
  return {
    x: sa.int * 10n ** BigInt(sa.scale - scale),
    y: sb.int * 10n ** BigInt(sb.scale - scale),
    scale,
  };
}

/** Exact sum, checked against AWS's limits as a stored number would be. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const { x, y, scale } = align(a, b);
  return checkLimits(fromScaled(x + y, scale));
}

export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  const { x, y, scale } = align(a, b);
  return checkLimits(fromScaled(x - y, scale));
}

export function addNumbers(a: string, b: string): string {
  return formatDecimal(addDecimal(parseDecimal(a)!, parseDecimal(b)!));
}

export function subtractNumbers(a: string, b: string): string {
  return formatDecimal(subtractDecimal(parseDecimal(a)!, parseDecimal(b)!));
}

/**
 * A string whose code-unit order is the numeric order: a sign class (0 negative, 1 zero,
 * 2 positive), a three-digit biased exponent, then the digits. Negative numbers invert the
 * exponent and the digits and end in `~` so that a longer mantissa sorts first.
 */
export function encodeDecimal(d: Decimal): string {
  if (d.digits === '') return '1';
  const biased = d.exp + 200;
  if (!d.neg) return '2' + String(biased).padStart(3, '0') + d.digits;
  let inverted = '';
  for (let i = 0; i < d.digits.length; i++) inverted += String(9 - (d.digits.charCodeAt(i) - 48));
  return '0' + String(999 - biased).padStart(3, '0') + inverted + '~';
}

/**
 * AWS's item-size cost of a number: 1 byte, plus one per two significant digits on each side
 * of the decimal point (rounded up per side), plus 1 for a negative sign.
 */
export function decimalSize(d: Decimal): number {
  if (d.digits === '') return 1;
  const { digits, exp } = d;
  let intDigits: number;
  let fracDigits: number;
  if (exp <= 0) {
    intDigits = 0;
    fracDigits = digits.length;
  } else if (exp >= digits.length) {
    intDigits = digits.length;
    fracDigits = 0;
  } else {
    // Zeros inside the integer part count once a fraction follows them.
    intDigits = exp;
    fracDigits = digits.length - exp;
  }
  return 1 + Math.ceil(intDigits / 2) + Math.ceil(fracDigits / 2) + (d.neg ? 1 : 0);
}
