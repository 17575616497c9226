// S3: 1 KiB PUT and GET throughput (16 connections) against a bare Node HTTP server in the same
// run, a 1 GiB PUT + GET streamed while kumo's RSS is sampled, and LIST of a prefix in a bucket
// holding many keys.
// Run: node --import tsx bench/s3.ts [--seconds S] [--keys N] [--gib G]   (needs `npm run build`)
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { median, ROOT, round, rssMb, spawnServer, stop, writeResults } from './lib.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 5);
const KEYS = arg('keys', 1_000_000);
const GIB = arg('gib', 1);
const CONNECTIONS = 16;
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x';
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, noDelay: true });
const KIB = Buffer.alloc(1024, 'k');

function call(endpoint: string, method: string, path: string, body?: Buffer | AsyncIterable<Buffer>, length?: number): Promise<{ status: number; bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: AUTH };
    if (body !== undefined) headers['content-length'] = length ?? (body as Buffer).length;
    const req = request(endpoint + path, { method, agent, headers }, (res) => {
      let bytes = 0;
      const keep: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (keep.length < 64) keep.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode!, bytes, text: Buffer.concat(keep).toString('utf8') }));
    });
    req.on('error', reject);
    if (body === undefined || Buffer.isBuffer(body)) req.end(body);
    else {
      void (async () => {
        for await (const chunk of body) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        req.end();
      })().catch(reject);
    }
  });
}

/** Operations per second on 16 loops for SECONDS, after a warm-up long enough for kumo's handlers to be compiled. */
async function rate(op: (i: number) => Promise<void>): Promise<number> {
  let i = 0;
  const warm = performance.now() + 3000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < warm) await op(i++);
  }));
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < end) {
      await op(i++);
      done++;
    }
  }));
  return done / SECONDS;
}

async function* generated(total: number): AsyncGenerator<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024, 'g');
  for (let sent = 0; sent < total; sent += chunk.length) yield sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
}

const bare = await spawnServer(process.execPath, [join(ROOT, 'bench', 'baselines', 'bare-server.mjs')], {}, '/');
const barePut = await rate(async () => void (await call(bare.endpoint, 'PUT', '/b/k', KIB)));
const bareGet = await rate(async () => void (await call(bare.endpoint, 'GET', '/b/k')));
await stop(bare.child);

const kumo = await spawnServer(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'start', '--port', '0', '--log-level', 'warn']);
const pid = kumo.child.pid!;
const ensure = (r: { status: number; text: string }, what: string) => {
  if (r.status !== 200) throw new Error(`${what}: ${r.status} ${r.text}`);
};
ensure(await call(kumo.endpoint, 'PUT', '/bench'), 'CreateBucket');
const putRate = await rate(async (i) => ensure(await call(kumo.endpoint, 'PUT', `/bench/small/${i % 1000}`, KIB), 'PutObject'));
const getRate = await rate(async (i) => ensure(await call(kumo.endpoint, 'GET', `/bench/small/${i % 1000}`), 'GetObject'));

const size = Math.round(GIB * 1024 ** 3);
let peak = rssMb(pid);
const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
const before = peak;
const t0 = performance.now();
ensure(await call(kumo.endpoint, 'PUT', '/bench/huge', generated(size), size), 'PutObject 1 GiB');
const putSeconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
const got = await call(kumo.endpoint, 'GET', '/bench/huge');
if (got.bytes !== size) throw new Error(`GetObject 1 GiB returned ${got.bytes} bytes`);
const getSeconds = (performance.now() - t1) / 1000;
clearInterval(sampler);

ensure(await call(kumo.endpoint, 'PUT', '/many'), 'CreateBucket');
let next = 0;
const t2 = performance.now();
await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
  while (next < KEYS) {
    const i = next++;
    ensure(await call(kumo.endpoint, 'PUT', `/many/p${String(i % 100).padStart(2, '0')}/${String(i).padStart(8, '0')}`, Buffer.from('x')), 'PutObject');
  }
}));
const fillSeconds = (performance.now() - t2) / 1000;
const times: number[] = [];
for (let i = 0; i < 100; i++) {
  const prefix = `p${String(i % 100).padStart(2, '0')}/`;
  const t = performance.now();
  const r = await call(kumo.endpoint, 'GET', `/many?list-type=2&prefix=${prefix}&max-keys=1000`);
  times.push(performance.now() - t);
  ensure(r, 'ListObjectsV2');
}
const listMs = median(times);
await stop(kumo.child);

const result = {
  case: 's3: 1 KiB PUT/GET throughput at 16 connections, 1 GiB streamed, LIST in a large bucket',
  rows: [
    { measure: 'bare node http PUT 1 KiB (requests/s)', value: round(barePut, 0), 'ratio vs bare': 1 },
    { measure: 'PutObject 1 KiB (requests/s)', value: round(putRate, 0), 'ratio vs bare': round(putRate / barePut) },
    { measure: 'bare node http GET (requests/s)', value: round(bareGet, 0), 'ratio vs bare': 1 },
    { measure: 'GetObject 1 KiB (requests/s)', value: round(getRate, 0), 'ratio vs bare': round(getRate / bareGet) },
    { measure: `PUT + GET ${GIB} GiB: peak RSS MB`, value: round(peak, 0), 'ratio vs bare': '' },
    { measure: `ListObjectsV2 of a prefix (1000 keys), ${KEYS} keys in the bucket: median ms`, value: round(listMs, 2), 'ratio vs bare': '' },
  ],
  notes: [
    `${SECONDS} s per throughput case, memory mode (bodies over 1 MiB spill to a temp file); targets: ratios >= 0.5, peak RSS < 200 MB, LIST < 50 ms`,
    `${GIB} GiB PUT ${round(putSeconds, 1)} s, GET ${round(getSeconds, 1)} s; RSS before ${round(before, 0)} MB`,
    `${KEYS} keys written in ${round(fillSeconds, 1)} s`,
  ],
};
writeResults('s3', result);
console.log(JSON.stringify(result, null, 2));
agent.destroy();
