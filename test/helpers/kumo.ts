import { startKumo, type Kumo, type KumoOptions } from '../../src/index.ts';

/** A kumo on a free port, quiet unless KUMO_LOG_LEVEL says otherwise. */
export async function startTestKumo(options: KumoOptions = {}): Promise<Kumo> {
  return startKumo({ port: 0, host: '127.0.0.1', logLevel: (process.env.KUMO_LOG_LEVEL as 'warn') ?? 'warn', ...options });
}

/** What any v3 client needs to talk to kumo. */
export function clientConfig(endpoint: string, accessKeyId = 'test') {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'test' },
    maxAttempts: 1,
  };
}

export async function controlPost(endpoint: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(endpoint + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** kumo's clock, in ms since the epoch. */
export async function clockNow(endpoint: string): Promise<number> {
  const res = await fetch(`${endpoint}/kumo/clock`);
  return Date.parse(((await res.json()) as { now: string }).now);
}

/** Moves kumo's clock forward, firing due timers, before resolving. */
export async function clockAdvance(endpoint: string, ms: number): Promise<void> {
  const r = await controlPost(endpoint, '/kumo/clock', { advance: ms });
  if (r.status !== 200) throw new Error(`advance failed: ${JSON.stringify(r.json)}`);
}

/** Asserts that a call fails with this error name (and message, exact or by pattern). */
export async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string };
    if (err.name !== name) throw new Error(`expected ${name}, got ${err.name}: ${err.message}`);
    if (message instanceof RegExp ? !message.test(err.message) : message !== undefined && err.message !== message) {
      throw new Error(`expected message ${String(message)}, got ${err.message}`);
    }
    return;
  }
  throw new Error(`expected ${name}, but the call succeeded`);
}
