import { AwsError } from '../framework/define.ts';
import { invalidParameter } from './errors.ts';

/** Tokens are positions in the (sorted, filtered) list the same request shape produces. */
export function pageOf<T>(items: T[], max: number, limit: number, token: string | undefined): { items: T[]; NextToken?: string } {
  if (max < 1 || max > limit) throw invalidParameter(`MaxResults must be between 1 and ${limit}.`);
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.');
  }
  const page = items.slice(start, start + max);
  const next = start + max;
  return next < items.length ? { items: page, NextToken: Buffer.from(String(next), 'utf8').toString('base64url') } : { items: page };
}
