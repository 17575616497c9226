import autocannon, { type Options } from 'autocannon';
import { request } from 'node:http';
import { median } from './lib.ts';

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
  body?: string | Buffer | (() => string);
  /** A path built per request (S3 keys); the url's path otherwise. */
  path?: () => string;
  /**
   * The server answers `Connection: close` (moto_server's werkzeug): autocannon stalls on such
   * servers, so the load comes from plain node:http loops, a new connection per request.
   */
  closes?: boolean;
}

/** Drives load from this (bench) process, never from the server under test. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  if (spec.closes) return loops(spec);
  const { body, path } = spec;
  const perRequest = typeof body === 'function' || path;
  const options = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    method: spec.method ?? 'POST',
    headers: spec.headers,
    ...(typeof body === 'function' ? {} : { body }),
    ...(perRequest
      ? {
        requests: [{
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            ...(typeof body === 'function' ? { body: body() } : {}),
            ...(path ? { path: path() } : {}),
          }),
        }],
      }
      : {}),
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

function once(spec: LoadSpec, url: URL): Promise<number> {
  const body = typeof spec.body === 'function' ? spec.body() : spec.body;
  return new Promise((resolve) => {
    const req = request(url, { method: spec.method ?? 'POST', headers: spec.headers, agent: false, path: spec.path?.() ?? url.pathname }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** `connections` loops of one request at a time for `seconds`; latencies in ms like autocannon's. */
async function loops(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const end = performance.now() + spec.seconds * 1000;
  await Promise.all(Array.from({ length: spec.connections }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const status = await once(spec, url);
      latencies.push(performance.now() - t0);
      if (status === 0) errors++;
      else if (status < 200 || status > 299) non2xx++;
    }
  }));
  const sorted = latencies.sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
  return { rps: latencies.length / spec.seconds, p50: Math.round(median(sorted)), p99: Math.round(p99), errors, non2xx };
}
