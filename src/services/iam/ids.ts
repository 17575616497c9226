import type { Ids } from '../../state/types.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `n` upper-case alphanumerics (the base32 alphabet AWS's unique ids use). */
export function upperAlnum(ids: Ids, n: number): string {
  const bytes = ids.bytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

/** IAM unique ids: AIDA (user), AROA (role), ANPA (policy), AGPA (group), AIPA (instance profile), ASCA (certificate). */
export function uniqueId(ids: Ids, prefix: 'AIDA' | 'AROA' | 'ANPA' | 'AGPA' | 'AIPA' | 'ASCA'): string {
  return prefix + upperAlnum(ids, 17);
}

/** Access key ids: AKIA (long-term, IAM) and ASIA (temporary, STS), 20 characters. */
export function accessKeyId(ids: Ids, prefix: 'AKIA' | 'ASIA'): string {
  return prefix + upperAlnum(ids, 16);
}

/** 40 characters, like AWS secret keys (30 bytes of base64 need no padding). */
export function secretAccessKey(ids: Ids): string {
  return ids.base64(30);
}
