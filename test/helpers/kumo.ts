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
