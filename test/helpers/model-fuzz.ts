import type { ServiceModel, Shape, ShapeRef } from '../../src/protocol/model-types.ts';

/** mulberry32: small, seeded, reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:';
const NASTY = ['', ' ', '../../etc/passwd', '%2F..%2F', '\u0000', '\uFFFF', '😀', '<a>&amp;</a>', '{"x":1}', 'x'.repeat(2000), 'arn:aws:sqs:us-east-1:000000000000:q', '-1', 'null'];

export type Mode = 'valid' | 'boundary' | 'wild';

/**
 * Builds an input object for a shape from the model: `valid` keeps to types, enums and lengths;
 * `boundary` picks the edges (min/max lengths and values, empty lists); `wild` breaks rules
 * (missing required members, nasty strings, out-of-range numbers) while staying serializable.
 */
export function generate(model: ServiceModel, ref: ShapeRef, rnd: () => number, mode: Mode, depth = 0): unknown {
  const shape = model.shapes[ref.shape]!;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      if (depth > 5) return out;
      const required = new Set(shape.required ?? []);
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const target = model.shapes[member.shape]!;
        if (member.streaming || target.streaming || target.eventstream) continue;
        const include = required.has(name) ? !(mode === 'wild' && rnd() < 0.15) : rnd() < (mode === 'valid' ? 0.4 : 0.6);
        if (include) out[name] = generate(model, member, rnd, mode, depth + 1);
        if (shape.union && Object.keys(out).length) break;
      }
      return out;
    }
    case 'list': {
      if (depth > 5) return [];
      const n = mode === 'boundary' ? pick([shape.min ?? 0, Math.min(shape.max ?? 3, 3)]) : Math.floor(rnd() * 3);
      return Array.from({ length: n }, () => generate(model, shape.member!, rnd, mode, depth + 1));
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      if (depth > 5) return out;
      const n = Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) out[String(generate(model, shape.key!, rnd, mode, depth + 1)) || `k${i}`] = generate(model, shape.value!, rnd, mode, depth + 1);
      return out;
    }
    case 'string':
      return stringFor(shape, rnd, mode);
    case 'integer':
    case 'long':
      return intFor(shape, rnd, mode);
    case 'float':
    case 'double':
      return mode === 'wild' ? pick([-1e300, 0, 1e300, 0.5]) : Math.round(rnd() * 1000) / 10;
    case 'boolean':
      return rnd() < 0.5;
    case 'timestamp':
      return new Date(mode === 'wild' ? pick([0, 253402300799000, Date.now()]) : Date.UTC(2024, 0, 1) + Math.floor(rnd() * 1e10));
    case 'blob':
      return Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
    default:
      return undefined;
  }
}

function stringFor(shape: Shape, rnd: () => number, mode: Mode): string {
  if (shape.enum && (mode !== 'wild' || rnd() < 0.7)) return shape.enum[Math.floor(rnd() * shape.enum.length)]!;
  if (mode === 'wild' && rnd() < 0.5) return NASTY[Math.floor(rnd() * NASTY.length)]!;
  const min = shape.min ?? 1;
  const max = Math.min(shape.max ?? 24, 64);
  const len = mode === 'boundary' ? (rnd() < 0.5 ? min : max) : min + Math.floor(rnd() * Math.max(1, Math.min(max, 24) - min + 1));
  let s = 'fz';
  while (s.length < len) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
  return s.slice(0, Math.max(len, 0));
}

function intFor(shape: Shape, rnd: () => number, mode: Mode): number {
  const min = shape.min ?? 0;
  const max = Math.min(shape.max ?? 1000, 1_000_000);
  if (mode === 'boundary') return rnd() < 0.5 ? min : max;
  if (mode === 'wild') return [-1, 0, 2147483647, min - 1, max + 1][Math.floor(rnd() * 5)]!;
  return min + Math.floor(rnd() * (max - min + 1));
}
