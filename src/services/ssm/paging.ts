import { invalidNextToken } from './errors.ts';

/** Tokens carry the last name returned, so pages stay right when parameters change in between. */
export function encodeToken(after: string): string {
  return Buffer.from(JSON.stringify({ a: after }), 'utf8').toString('base64url');
}

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown };
    if (typeof v.a === 'string') return v.a;
  } catch {
    // fall through: any undecodable token is refused the same way
  }
  throw invalidNextToken();
}

export function pageOf<T>(items: T[], keyOf: (t: T) => string, max: number, token: string | undefined): { items: T[]; NextToken?: string } {
  const after = decodeToken(token);
  const rest = after === undefined ? items : items.filter((t) => keyOf(t) > after);
  const page = rest.slice(0, max);
  return rest.length > max ? { items: page, NextToken: encodeToken(keyOf(page[page.length - 1]!)) } : { items: page };
}
