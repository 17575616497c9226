import autocannon, { type Options } from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  /** A fixed body, or one built per request (unique keys). */
  body?: string | (() => string);
}

/** Drives load from this (bench) process, never from the server under test. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  const { body } = spec;
  const options = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    method: spec.method ?? 'POST',
    headers: spec.headers,
    ...(typeof body === 'function'
      ? { requests: [{ setupRequest: (req: object) => ({ ...req, body: body() }) }] }
      : { body }),
  } as Options;
  const result = await autocannon(options);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
