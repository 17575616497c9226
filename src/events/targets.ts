/**
 * What a delivery hands to: another service's internal API (in-process, never loopback HTTP) or
 * a real HTTP endpoint the user configured. A throw is a failed attempt; `PermanentError`
 * means retrying cannot help (the queue or function is gone), so the DLQ gets it at once.
 */
import type { InternalServices } from '../services/framework/define.ts';
import type { Clock } from '../state/types.ts';

export class PermanentError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer | Uint8Array;
}

export type Target =
  | { kind: 'sqs'; arn: string; body: string; attributes?: Record<string, MessageAttribute>; groupId?: string; dedupId?: string }
  | { kind: 'lambda'; arn: string; payload: string }
  | { kind: 'sns'; arn: string; message: string; subject?: string; attributes?: Record<string, MessageAttribute>; groupId?: string; dedupId?: string }
  | { kind: 'events'; arn: string; entry: { Source: string; DetailType: string; Detail: string; Resources?: string[] } }
  | { kind: 'logs'; arn: string; stream: string; message: string }
  | { kind: 'http'; url: string; method: string; headers: Record<string, string>; body: string; oauth?: OAuthClient }
  | { kind: 'unsupported'; arn: string; body: string };

/** OAuth client credentials: a token is fetched from `url` before each call (connections of API destinations). */
export interface OAuthClient {
  url: string;
  method: string;
  clientId: string;
  clientSecret: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, string>;
}

/** Who delivers: the engine's clock identifies the kumo; account and region the sender's scope. */
export interface Caller {
  clock: Clock;
  account: string;
  region: string;
  services: InternalServices;
}

type Fn = (...args: unknown[]) => unknown;

function api(services: InternalServices, service: string, fn: string): Fn | undefined {
  return services[service]?.[fn] as Fn | undefined;
}

function wrap(err: unknown): never {
  const e = err as { name?: string; code?: string; message?: string; status?: number };
  // A 4xx from the target service (queue deleted, message too large) will not heal by waiting.
  if (typeof e.status === 'number' && e.status < 500) throw new PermanentError(e.code ?? e.name ?? 'ClientError', e.message ?? '');
  throw err;
}

export async function deliver(caller: Caller, t: Target, senderId: string): Promise<void> {
  switch (t.kind) {
    case 'sqs': {
      const send = api(caller.services, 'sqs', 'sendMessage');
      if (!send) throw new PermanentError('QueueDoesNotExist', 'The specified queue does not exist.');
      try {
        send(caller, t.arn, {
          MessageBody: t.body,
          ...(t.attributes && Object.keys(t.attributes).length ? { MessageAttributes: t.attributes } : {}),
          ...(t.groupId !== undefined ? { MessageGroupId: t.groupId } : {}),
          ...(t.dedupId !== undefined ? { MessageDeduplicationId: t.dedupId } : {}),
        }, senderId);
      } catch (err) {
        wrap(err);
      }
      return;
    }
    case 'lambda': {
      const invoke = api(caller.services, 'lambda', 'invokeAsync');
      if (!invoke) throw new PermanentError('ServiceUnavailable', 'Lambda offers no in-process invokeAsync in this kumo: the function was not invoked');
      try {
        await invoke(caller, t.arn, t.payload);
      } catch (err) {
        wrap(err);
      }
      return;
    }
    case 'sns': {
      const publish = api(caller.services, 'sns', 'publish');
      if (!publish) throw new PermanentError('NotFound', 'Topic does not exist');
      try {
        publish(caller, t.arn, {
          Message: t.message, Subject: t.subject, MessageAttributes: t.attributes, MessageGroupId: t.groupId, MessageDeduplicationId: t.dedupId,
        });
      } catch (err) {
        wrap(err);
      }
      return;
    }
    case 'events': {
      const put = api(caller.services, 'events', 'putEvent');
      if (!put) throw new PermanentError('ResourceNotFoundException', `Event bus ${t.arn} does not exist.`);
      try {
        put(caller, t.arn, t.entry);
      } catch (err) {
        wrap(err);
      }
      return;
    }
    case 'logs': {
      const put = api(caller.services, 'logs', 'putLogEvents');
      const m = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(t.arn);
      if (!put || !m) throw new PermanentError('ResourceNotFoundException', 'The specified log group does not exist.');
      try {
        put(caller, m[2], m[1], m[3], t.stream, [{ timestamp: caller.clock.now(), message: t.message }]);
      } catch (err) {
        wrap(err);
      }
      return;
    }
    case 'unsupported':
      throw new PermanentError('UnsupportedTarget', `kumo does not deliver to ${t.arn.split(':')[2]} targets`);
    case 'http': {
      const headers = t.oauth ? { ...t.headers, authorization: `Bearer ${await oauthToken(t.oauth)}` } : t.headers;
      let res: Response;
      try {
        res = await fetch(t.url, { method: t.method, headers, body: t.method === 'GET' ? undefined : t.body, signal: AbortSignal.timeout(15_000) });
        await res.arrayBuffer();
      } catch (err) {
        throw new Error(`Connection to ${t.url} failed: ${(err as Error).message}`);
      }
      // AWS retries 5xx and throttling; other 4xx answers are the endpoint refusing for good.
      if (res.status >= 500 || res.status === 429) throw new Error(`HTTP ${res.status} from ${t.url}`);
      if (res.status >= 400) throw new PermanentError(`HTTP${res.status}`, `HTTP ${res.status} from ${t.url}`);
    }
  }
}

async function oauthToken(o: OAuthClient): Promise<string> {
  const url = new URL(o.url);
  for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
  const basic = Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64');
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...o.body });
  let res: Response;
  try {
    res = await fetch(url, {
      method: o.method,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', ...o.headers },
      body: o.method === 'GET' ? undefined : body.toString(),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new Error(`OAuth token request to ${o.url} failed: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`OAuth token request to ${o.url} answered HTTP ${res.status}`);
  try {
    const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
    if (typeof token === 'string') return token;
  } catch {
    // Falls through to the error below.
  }
  throw new PermanentError('OAuthTokenMissing', `OAuth token response from ${o.url} has no access_token`);
}
