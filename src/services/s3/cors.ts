/**
 * Bucket CORS: configurations (validated, stored) and their evaluation, which answers browser
 * preflights and decorates actual requests for origins the bucket's rules allow.
 */
import type { CORSRule, DeleteBucketCorsRequest, GetBucketCorsOutput, GetBucketCorsRequest, PutBucketCorsRequest } from '../../generated/s3.ts';
import { percentDecode } from '../../protocol/rest-bindings.ts';
import type { CorsRequest, RequestContext, ServiceRuntime } from '../framework/define.ts';
import { getConfig } from './configs.ts';
import { invalidRequest, malformedXml, missingConfig } from './errors.ts';
import { configKey } from './keys.ts';
import { getBucket, tables } from './store.ts';

const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

export function PutBucketCors(input: PutBucketCorsRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const rules = input.CORSConfiguration?.CORSRules;
  if (!rules || rules.length === 0 || rules.length > 100) throw malformedXml();
  for (const r of rules) {
    if (!r.AllowedMethods?.length || !r.AllowedOrigins?.length) throw malformedXml();
    for (const m of r.AllowedMethods) if (!METHODS.has(m)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    for (const o of r.AllowedOrigins) if (o.split('*').length > 2) throw invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    for (const h of r.AllowedHeaders ?? []) if (h.split('*').length > 2) throw invalidRequest(`AllowedHeader "${h}" can not have more than one wildcard.`);
  }
  tables.configs(ctx.state).put(configKey(bucket.name, 'cors'), { CORSRules: rules });
  return {};
}

export function GetBucketCors(input: GetBucketCorsRequest, ctx: RequestContext): GetBucketCorsOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = getConfig<GetBucketCorsOutput>(ctx.state, bucket.name, 'cors');
  if (!conf) throw missingConfig('NoSuchCORSConfiguration', 'The CORS configuration does not exist', bucket.name);
  return conf;
}

export function DeleteBucketCors(input: DeleteBucketCorsRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  tables.configs(ctx.state).delete(configKey(bucket.name, 'cors'));
  return {};
}

/** `*` matches any run of characters (at most one per pattern, as S3 allows). */
function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

function bucketOf(path: string): string | undefined {
  const end = path.indexOf('/', 1);
  const name = percentDecode(end < 0 ? path.slice(1) : path.slice(1, end));
  return name || undefined;
}

/** The headers S3 answers when one of the bucket's CORS rules allows the request. */
export function corsHeaders(req: CorsRequest, rt: ServiceRuntime): Record<string, string> | undefined {
  const bucket = bucketOf(req.path);
  if (!bucket || !tables.buckets(rt.state).has(bucket)) return undefined;
  const conf = getConfig<GetBucketCorsOutput>(rt.state, bucket, 'cors');
  const requested = req.preflight
    ? (req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)
    : [];
  const rule = conf?.CORSRules?.find((r: CORSRule) =>
    r.AllowedOrigins.some((o) => wildcard(o, req.origin, false)) &&
    r.AllowedMethods.includes(req.method.toUpperCase()) &&
    requested.every((h) => (r.AllowedHeaders ?? []).some((a) => wildcard(a, h, true))),
  );
  if (!rule) return undefined;
  const anyOrigin = rule.AllowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : req.origin,
    'access-control-allow-methods': rule.AllowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (requested.length) headers['access-control-allow-headers'] = requested.join(', ');
  if (rule.ExposeHeaders?.length) headers['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.MaxAgeSeconds);
  return headers;
}
