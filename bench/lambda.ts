// Lambda through HTTP: cold start and warm RequestResponse invokes of a trivial Node handler,
// kumo spawned from dist/cli.js, the load driven from this process over keep-alive
// connections (one request in flight per connection).
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { makeZip } from '../test/helpers/zip.ts';
import { median, ROOT, round, spawnServer, stop, writeResults } from './lib.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const AUTH = 'AWS4-HMAC-SHA256 Credential=000000000000/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0';
const PAYLOAD = JSON.stringify({ hello: 'world' });

interface Reply { status: number; body: string; ms: number }

function call(agent: Agent, endpoint: string, method: string, path: string, body: string | Buffer): Promise<Reply> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(endpoint + path, { method, agent, headers: { authorization: AUTH, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text, ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function createFunction(agent: Agent, endpoint: string, name: string): Promise<void> {
  const zip = makeZip({ 'index.js': 'exports.handler = async (event) => ({ ok: true, echo: event });' });
  const r = await call(agent, endpoint, 'POST', '/2015-03-31/functions', JSON.stringify({
    FunctionName: name, Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/bench', Handler: 'index.handler',
    Code: { ZipFile: zip.toString('base64') },
  }));
  if (r.status !== 201) throw new Error(`CreateFunction ${r.status}: ${r.body}`);
}

async function invoke(agent: Agent, endpoint: string, name: string): Promise<Reply> {
  const r = await call(agent, endpoint, 'POST', `/2015-03-31/functions/${name}/invocations`, PAYLOAD);
  if (r.status !== 200 || !r.body.startsWith('{"ok":true')) throw new Error(`Invoke ${r.status}: ${r.body}`);
  return r;
}

/** CPU time (user + system, ms) a process has used; Linux /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** kumo's function processes (its direct children). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/**
 * Invokes for SECONDS with `concurrency` callers in a closed loop. CPU per invoke (kumo, and its
 * function processes) is reported beside the wall-clock figures: it does not depend on what
 * else the machine is running.
 */
async function warm(endpoint: string, kumoPid: number, name: string, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  // Brings up every process of the pool before timing.
  for (let i = 0; i < 3; i++) await Promise.all(Array.from({ length: concurrency }, () => invoke(agent, endpoint, name)));
  const latencies: number[] = [];
  const children = childrenOf(kumoPid);
  const cpu0 = { kumo: cpuMs(kumoPid), fn: children.reduce((a, p) => a + cpuMs(p), 0) };
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) latencies.push((await invoke(agent, endpoint, name)).ms);
  }));
  const elapsed = (performance.now() - t0) / 1000;
  const n = latencies.length;
  const kumoCpu = (cpuMs(kumoPid) - cpu0.kumo) / n;
  const fnCpu = (children.reduce((a, p) => a + cpuMs(p), 0) - cpu0.fn) / n;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rps: n / elapsed,
    kumoCpu,
    fnCpu,
    p50: median(sorted),
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!,
  };
}

export async function runLambda(): Promise<void> {
  const s = await spawnServer(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'start', '--port', '0', '--log-level', 'warn']);
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const cold: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      await createFunction(agent, s.endpoint, `cold-${i}`);
      cold.push((await invoke(agent, s.endpoint, `cold-${i}`)).ms);
    }
    agent.destroy();
    await createFunction(new Agent(), s.endpoint, 'warm');
    const rows: Array<Record<string, string | number>> = [{ case: `cold start (first invoke, median of ${COLD_RUNS})`, 'invokes/s': '-', 'p50 ms': round(median(cold)), 'p99 ms': round(Math.max(...cold)), 'kumo CPU ms/invoke': '-', 'function CPU ms/invoke': '-' }];
    for (const c of [1, 8]) {
      const r = await warm(s.endpoint, s.child.pid!, 'warm', c);
      rows.push({
        case: `warm, concurrency ${c}`, 'invokes/s': round(r.rps, 0), 'p50 ms': round(r.p50), 'p99 ms': round(r.p99),
        'kumo CPU ms/invoke': round(r.kumoCpu), 'function CPU ms/invoke': round(r.fnCpu),
      });
    }
    const result = {
      case: `Lambda Invoke (RequestResponse) of a trivial nodejs20.x handler, ${SECONDS}s per row`,
      rows,
      notes: ['target: warm >= 500 invokes/s', `machine load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`, 'cold start: CreateFunction done, first Invoke round trip (process spawn, code unpack, handler load)'],
    };
    writeResults('lambda', result);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await stop(s.child);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLambda();
