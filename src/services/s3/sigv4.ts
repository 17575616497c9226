/**
 * SigV4 as S3 checks it: presigned URLs (query authentication: expiry always enforced on
 * kumo's clock, signatures when KUMO_S3_VERIFY_SIGNATURES=1) and, with verification on,
 * Authorization headers. Chunk signatures of aws-chunked bodies are not verified.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { accessDenied } from './errors.ts';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_EXPIRES = 604800;

function queryAuthError(message: string): AwsError {
  return new AwsError('AuthorizationQueryParametersError', message, 400);
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

/** RFC 3986 encoding, as SigV4 canonicalizes query parameters. */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function decodeStrict(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Query pairs as sent (`+` is a literal plus in signed URLs). */
function queryPairs(query: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? [decodeStrict(part), ''] : [decodeStrict(part.slice(0, eq)), decodeStrict(part.slice(eq + 1))]);
  }
  return out;
}

export interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

export function parseCredential(raw: string): Credential | undefined {
  const m = CREDENTIAL.exec(raw);
  return m ? { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! } : undefined;
}

/** `yyyyMMddTHHmmssZ` -> ms. */
export function parseAmzDate(raw: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(raw);
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(t) ? undefined : t;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Signed {
  credential: Credential;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  /** Query parameters that are part of the canonical query (the signature itself is not). */
  query: Array<[string, string]>;
  payloadHash: string;
}

/** Checks a request's SigV4 authentication as S3 would; a no-op for unsigned requests. */
export function checkSignature(ctx: RequestContext): void {
  const raw = ctx.rawRequest;
  if (!raw) return;
  const pairs = queryPairs(raw.query);
  const q = new Map(pairs);
  let signed: Signed | undefined;
  if (q.has('X-Amz-Signature') || q.has('X-Amz-Credential') || q.has('X-Amz-Algorithm')) {
    signed = presigned(ctx, pairs, q);
  } else if (ctx.settings?.s3VerifySignatures && raw.headers['authorization']?.startsWith(ALGORITHM)) {
    signed = headerSigned(raw.headers, pairs);
  }
  if (signed && ctx.settings?.s3VerifySignatures) verify(ctx, signed);
}

function presigned(ctx: RequestContext, pairs: Array<[string, string]>, q: Map<string, string>): Signed {
  const names = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
  if (names.some((n) => !q.has(n))) {
    throw queryAuthError('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  if (q.get('X-Amz-Algorithm') !== ALGORITHM) throw queryAuthError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const amzDate = q.get('X-Amz-Date')!;
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) throw queryAuthError('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const expiresRaw = q.get('X-Amz-Expires')!;
  if (!/^-?\d+$/.test(expiresRaw)) throw queryAuthError('X-Amz-Expires should be a number');
  const expires = Number(expiresRaw);
  if (expires < 0) throw queryAuthError('X-Amz-Expires must be non-negative');
  if (expires > MAX_EXPIRES) throw queryAuthError('X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
  const credential = parseCredential(q.get('X-Amz-Credential')!);
  if (!credential) {
    throw queryAuthError('Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const now = ctx.clock.now();
  if (now > signedAt + expires * 1000) {
    throw accessDenied('Request has expired', { 'X-Amz-Expires': expires, Expires: iso(signedAt + expires * 1000), ServerTime: iso(now) });
  }
  return {
    credential,
    amzDate,
    signedHeaders: q.get('X-Amz-SignedHeaders')!.split(';'),
    signature: q.get('X-Amz-Signature')!,
    query: pairs.filter(([k]) => k !== 'X-Amz-Signature'),
    payloadHash: q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  };
}

function headerSigned(headers: Readonly<Record<string, string>>, pairs: Array<[string, string]>): Signed {
  const auth = headers['authorization']!;
  const field = (name: string) => new RegExp(`${name}=([^,\\s]+)`).exec(auth)?.[1];
  const credential = parseCredential(field('Credential') ?? '');
  const signedHeaders = field('SignedHeaders');
  const signature = field('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw new AwsError('AuthorizationHeaderMalformed', 'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".', 400);
  }
  return {
    credential,
    amzDate: headers['x-amz-date'] ?? '',
    signedHeaders: signedHeaders.split(';'),
    signature,
    query: pairs,
    payloadHash: headers['x-amz-content-sha256'] ?? 'UNSIGNED-PAYLOAD',
  };
}

function canonicalHeaderValue(v: string | undefined): string {
  return (v ?? '').trim().replace(/\s+/g, ' ');
}

function verify(ctx: RequestContext, s: Signed): void {
  const raw = ctx.rawRequest!;
  const secret = ctx.settings!.s3Credentials[s.credential.accessKeyId];
  if (secret === undefined) {
    throw new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, { AWSAccessKeyId: s.credential.accessKeyId });
  }
  const query = s.query
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = s.signedHeaders.map((h) => `${h}:${canonicalHeaderValue(raw.headers[h])}\n`).join('');
  const canonical = [raw.method, raw.path || '/', query, headers, s.signedHeaders.join(';'), s.payloadHash].join('\n');
  const scope = `${s.credential.date}/${s.credential.region}/${s.credential.service}/aws4_request`;
  const stringToSign = [ALGORITHM, s.amzDate, scope, createHash('sha256').update(canonical, 'utf8').digest('hex')].join('\n');
  const expected = hmacHex(signingKey(secret, s.credential.date, s.credential.region, s.credential.service), stringToSign);
  if (!sameHex(expected, s.signature)) {
    throw new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403, {
      AWSAccessKeyId: s.credential.accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: s.signature,
      CanonicalRequest: canonical,
    });
  }
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
