import type { GetRandomPasswordRequest, GetRandomPasswordResponse } from '../../generated/secretsmanager.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter } from './errors.ts';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A uniform index below `n` from the engine's random bytes (rejection sampling, no modulo bias). */
function randomIndex(ctx: RequestContext, n: number): number {
  const limit = Math.floor(0x10000 / n) * n;
  for (;;) {
    const x = ctx.ids.bytes(2).readUInt16BE(0);
    if (x < limit) return x % n;
  }
}

export function GetRandomPassword(input: GetRandomPasswordRequest, ctx: RequestContext): GetRandomPasswordResponse {
  const length = input.PasswordLength ?? 32;
  if (length < 1 || length > 4096) throw invalidParameter('PasswordLength must be between 1 and 4096.');
  const excluded = new Set(input.ExcludeCharacters ?? '');
  const keep = (chars: string) => [...chars].filter((c) => !excluded.has(c)).join('');
  const classes = [
    input.ExcludeLowercase ? '' : keep(LOWER),
    input.ExcludeUppercase ? '' : keep(UPPER),
    input.ExcludeNumbers ? '' : keep(DIGITS),
    input.ExcludePunctuation ? '' : keep(PUNCTUATION),
  ].filter((c) => c.length > 0);
  const space = input.IncludeSpace && !excluded.has(' ') ? ' ' : '';
  const pool = classes.join('') + space;
  if (pool.length === 0) throw invalidParameter('The password cannot be generated: every character type is excluded.');
  const required = (input.RequireEachIncludedType ?? true) ? classes : [];
  if (required.length > length) {
    throw invalidParameter(`PasswordLength ${length} is too short to include a character of each of the ${required.length} included types.`);
  }
  const chars = required.map((c) => c[randomIndex(ctx, c.length)]!);
  while (chars.length < length) chars.push(pool[randomIndex(ctx, pool.length)]!);
  // The required characters are placed at random positions, not at the start.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomIndex(ctx, i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return { RandomPassword: chars.join('') };
}
