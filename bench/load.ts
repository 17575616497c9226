import autocannon, { type Options } from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, onPath } from './lib.ts';

/** wrk when installed (BENCH_LOADER=autocannon or wrk forces one), autocannon otherwise. */
const WRK = process.env.BENCH_LOADER === 'autocannon' ? undefined : onPath('wrk');
if (process.env.BENCH_LOADER === 'wrk' && !WRK) throw new Error('BENCH_LOADER=wrk but wrk is not on PATH');
export const LOADER = WRK ? 'wrk' : 'autocannon';
/** Requests prepared for wrk per run when bodies or paths are built per request; they cycle. */
const WRK_POOL = 10_000;

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
   * servers, so without wrk the load comes from node:http loops, a new connection per request.
   */
  closes?: boolean;
}

/** Drives load from this (bench) process or wrk, never from the server under test. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  if (WRK) return wrk(WRK, spec);
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

/** A Lua string literal of any bytes: printable ASCII as is, the rest as decimal escapes. */
function lua(text: string | Buffer): string {
  let out = '"';
  for (const b of Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')) {
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** wrk's "1.23ms" / "850.00us" / "1.20s" in ms. */
function wrkMs(value: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value ?? '');
  if (!m) return 0;
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as const)[m[2] as 'us' | 'ms' | 's'];
}

/** One wrk run: the requests go into a Lua script as a pool that every connection cycles through. */
async function wrk(bin: string, spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const perRequest = typeof spec.body === 'function' || spec.path;
  const headers = { host: url.host, ...spec.headers };
  const lines = [
    `local headers = { ${Object.entries(headers).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`).join(', ')} }`,
    'local pool = {}',
    'local function add(method, path, body)',
    '  local h = {}',
    '  for k, v in pairs(headers) do h[k] = v end',
    '  pool[#pool + 1] = wrk.format(method, path, h, body)',
    'end',
  ];
  for (let i = 0; i < (perRequest ? WRK_POOL : 1); i++) {
    const body = typeof spec.body === 'function' ? spec.body() : spec.body;
    lines.push(`add(${lua(spec.method ?? 'POST')}, ${lua(spec.path?.() ?? (url.pathname || '/'))}${body === undefined ? '' : `, ${lua(body)}`})`);
  }
  lines.push('local n = 0', 'request = function()', '  n = n + 1', '  return pool[(n - 1) % #pool + 1]', 'end');
  const dir = mkdtempSync(join(tmpdir(), 'kumo-bench-wrk-'));
  try {
    const script = join(dir, 'requests.lua');
    writeFileSync(script, lines.join('\n') + '\n');
    const args = ['-t', String(Math.min(2, spec.connections)), '-c', String(spec.connections), '-d', `${spec.seconds}s`, '--latency', '-s', script, spec.url];
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
    });
    const field = (re: RegExp) => re.exec(out)?.[1];
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    return {
      rps: Number(field(/Requests\/sec:\s+([\d.]+)/) ?? 0),
      p50: wrkMs(field(/^\s+50%\s+(\S+)/m)),
      p99: wrkMs(field(/^\s+99%\s+(\S+)/m)),
      errors: socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0,
      non2xx: Number(field(/Non-2xx or 3xx responses: (\d+)/) ?? 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
