/**
 * Function URLs served over HTTP: the request becomes Lambda's payload format 2.0 event, the
 * function runs synchronously, and its result becomes the HTTP response (a `statusCode` object
 * is mapped field by field; any other JSON value is a 200 `application/json` body). AWS_IAM
 * URLs accept any request, signed or not: kumo does not check signatures here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { AwsError } from '../../protocol/aws-error.ts';
import type { ServiceRuntime } from '../framework/define.ts';
import { admit, execute, type Caller } from './execution.ts';
import { pickVersion, SYNC_LIMIT } from './invoke.ts';
import { functionArn } from './names.ts';
import type { UrlConfigRecord } from './records.ts';
import { runtimeOf } from './store.ts';
import type { FunctionUrlTarget } from './url-routing.ts';

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

function findUrl(rt: ServiceRuntime, urlId: string): { account: string; region: string; rec: UrlConfigRecord } | undefined {
  for (const [key, rec] of rt.state.table<UrlConfigRecord>('urls').entries()) {
    if (rec.urlId !== urlId) continue;
    const [account, region] = key.split('/');
    return { account: account!, region: region!, rec };
  }
  return undefined;
}

function send(res: Response, status: number, headers: Record<string, string | string[]>, body: Buffer | string): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

const jsonError = (res: Response, status: number, message: string) => send(res, status, { 'content-type': 'application/json' }, JSON.stringify({ Message: message }));

async function readBody(req: Request): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > SYNC_LIMIT) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Lambda's payload format 2.0 for function URLs. */
function urlEvent(req: Request, target: FunctionUrlTarget, query: string, body: Buffer, requestId: string, now: number): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.startsWith(':') || v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  const cookies = headers.cookie ? headers.cookie.split(/;\s*/).filter(Boolean) : undefined;
  delete headers.cookie;
  const params = new URLSearchParams(query);
  const queryStringParameters: Record<string, string> = {};
  for (const k of new Set(params.keys())) queryStringParameters[k] = params.getAll(k).join(',');
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  const domain = headers.host ?? '';
  const time = new Date(now);
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: '$default',
    rawPath: target.path,
    rawQueryString: query,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: target.urlId,
      domainName: domain,
      domainPrefix: target.urlId,
      http: {
        method: req.method ?? 'GET',
        path: target.path,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket?.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: clfTime(time),
      timeEpoch: now,
    },
    isBase64Encoded: body.length > 0 && !text,
  };
  if (body.length > 0) event.body = text ? body.toString('utf8') : body.toString('base64');
  return event;
}

/** `22/Nov/2026:01:57:50 +0000`, as the event's requestContext.time. */
function clfTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Maps the function's result to the HTTP response as function URLs do. */
function respond(res: Response, payload: Buffer): void {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString('utf8'));
  } catch {
    return jsonError(res, 502, 'Internal Server Error');
  }
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
    return send(res, 200, { 'content-type': 'application/json' }, typeof result === 'string' ? result : JSON.stringify(result));
  }
  const r = result as { statusCode?: unknown; headers?: unknown; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return jsonError(res, 502, 'Internal Server Error');
  const headers: Record<string, string | string[]> = { 'content-type': 'application/json' };
  if (r.headers && typeof r.headers === 'object') {
    for (const [k, v] of Object.entries(r.headers)) if (v !== null && v !== undefined) headers[k.toLowerCase()] = String(v);
  }
  if (Array.isArray(r.cookies) && r.cookies.length) headers['set-cookie'] = r.cookies.map(String);
  const raw = r.body === undefined || r.body === null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  send(res, status, headers, r.isBase64Encoded === true ? Buffer.from(raw, 'base64') : raw);
}

/** Serves one HTTP request to a function URL (the server hands these over before AWS routing). */
export async function serveFunctionUrl(rt: ServiceRuntime, target: FunctionUrlTarget, query: string, req: Request, res: Response, requestId: string): Promise<void> {
  const found = findUrl(rt, target.urlId);
  if (!found) return jsonError(res, 403, 'Forbidden');
  const lr = runtimeOf(rt);
  const scope = lr.scope(found.account, found.region);
  const fn = scope.functions.get(found.rec.functionName);
  if (!fn) return jsonError(res, 403, 'Forbidden');
  const body = await readBody(req);
  if (!body) return jsonError(res, 413, 'Request must be smaller than 6291456 bytes for the InvokeFunction operation');
  const caller: Caller = { account: found.account, region: found.region, clock: rt.clock, ids: rt.ids };
  let release: () => void;
  try {
    release = admit(caller, fn);
  } catch {
    return jsonError(res, 429, 'Rate Exceeded.');
  }
  try {
    const v = pickVersion(scope, caller, fn, found.rec.qualifier);
    const event = urlEvent(req, target, query, body, requestId, rt.clock.now());
    const r = await execute(caller, fn, v, { requestId, payload: Buffer.from(JSON.stringify(event)), invokedArn: functionArn(scope, fn.name, found.rec.qualifier) });
    if (r.functionError) return jsonError(res, 502, 'Internal Server Error');
    respond(res, r.payload);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    jsonError(res, 502, 'Internal Server Error');
  } finally {
    release();
  }
}
