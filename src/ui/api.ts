/** Who the page acts as: a 12-digit access key id selects the account, the signing scope the region. */
export const scope = { account: '000000000000', region: 'us-east-1' };

export const STORAGE_KEY = 'kumo-ui-scope';

/** Switches the account and region every view works in (kept for this tab). */
export function setScope(account: string, region: string): void {
  scope.account = account;
  scope.region = region;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(scope));
  window.dispatchEvent(new Event('kumo-scope'));
}

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

/**
 * kumo checks no signatures: this header only tells the router which service and region a
 * request is for, exactly as an SDK's SigV4 credential scope would.
 */
function authorization(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=${scope.account}/20240101/${scope.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

const JSON_TARGETS: Record<string, { prefix: string; version: string }> = {
  sqs: { prefix: 'AmazonSQS', version: '1.0' },
  dynamodb: { prefix: 'DynamoDB_20120810', version: '1.0' },
  secretsmanager: { prefix: 'secretsmanager', version: '1.1' },
  ssm: { prefix: 'AmazonSSM', version: '1.1' },
  events: { prefix: 'AWSEvents', version: '1.1' },
  logs: { prefix: 'Logs_20140328', version: '1.1' },
};

/** An operation of a JSON-protocol service (`X-Amz-Target`). */
export async function awsJson<T = any>(service: keyof typeof JSON_TARGETS, operation: string, input: object = {}): Promise<T> {
  const t = JSON_TARGETS[service]!;
  const res = await fetch('/', {
    method: 'POST',
    headers: {
      'content-type': `application/x-amz-json-${t.version}`,
      'x-amz-target': `${t.prefix}.${operation}`,
      authorization: authorization(service),
    },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : {};
  if (!res.ok) {
    const type = String(body.__type ?? res.headers.get('x-amzn-errortype') ?? 'UnknownError');
    throw new ApiError(type.split('#').pop()!.split(':')[0]!, body.message ?? body.Message ?? text, res.status);
  }
  return body as T;
}

/** An operation of a query-protocol service (form post, XML answer). */
export async function awsQuery(service: string, action: string, version: string, params: Record<string, string> = {}): Promise<Document> {
  const res = await fetch('/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: authorization(service) },
    body: new URLSearchParams({ Action: action, Version: version, ...params }).toString(),
  });
  const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
  if (!res.ok) throw xmlError(doc, res.status);
  return doc;
}

function xmlError(doc: Document, status: number): ApiError {
  return new ApiError(text(doc, 'Code') || 'UnknownError', text(doc, 'Message') || `HTTP ${status}`, status);
}

export function text(node: Document | Element, tag: string): string {
  return node.getElementsByTagName(tag)[0]?.textContent ?? '';
}

export function elements(node: Document | Element, tag: string): Element[] {
  return [...node.getElementsByTagName(tag)];
}

export interface RestOptions {
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: BodyInit;
}

/** A REST-protocol call (S3, Lambda): throws ApiError for XML or JSON error bodies. */
export async function awsRest(service: string, method: string, path: string, opts: RestOptions = {}): Promise<Response> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) q.set(k, v);
  const qs = q.toString();
  const res = await fetch(path + (qs ? `?${qs}` : ''), {
    method,
    headers: { authorization: authorization(service), ...opts.headers },
    body: opts.body ?? null,
  });
  if (res.ok) return res;
  const raw = method === 'HEAD' ? '' : await res.text();
  if (raw.startsWith('<')) throw xmlError(new DOMParser().parseFromString(raw, 'application/xml'), res.status);
  let body: { message?: string; Message?: string; __type?: string } = {};
  try {
    body = raw ? JSON.parse(raw) : {};
  } catch {
    body = { message: raw };
  }
  const code = res.headers.get('x-amzn-errortype') ?? body.__type ?? `HTTP${res.status}`;
  throw new ApiError(code.split(':')[0]!, body.message ?? body.Message ?? res.statusText, res.status);
}

export async function xml(res: Response): Promise<Document> {
  return new DOMParser().parseFromString(await res.text(), 'application/xml');
}

async function kumoAnswer<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: any = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { message: text };
  }
  if (!res.ok) throw new ApiError(body.error ?? `HTTP${res.status}`, body.message ?? text, res.status);
  return body as T;
}

/** kumo's own read-only endpoints (`/kumo/...`). */
export async function kumoGet<T = any>(path: string, query: Record<string, string> = {}): Promise<T> {
  const qs = new URLSearchParams(query).toString();
  return kumoAnswer<T>(await fetch(path + (qs ? `?${qs}` : ''), { headers: { accept: 'application/json' } }));
}

/** State-changing control calls: kumo requires a JSON content type (a plain form cannot send one). */
export async function kumoPost<T = any>(path: string, body: object = {}): Promise<T> {
  return kumoAnswer<T>(await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}

/** Every page of a token-paginated list, up to `cap` items (the UI pages through them locally). */
export async function allPages<T>(fetchPage: (token?: string) => Promise<{ items: T[]; next?: string }>, cap = 1000): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    out.push(...page.items);
    token = page.next;
  } while (token && out.length < cap);
  return out;
}
