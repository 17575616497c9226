// S3: 1 KiB PUT and GET at 1 and 16 connections against the bare Node floor and the peers present
// (s3rver, moto_server) in the same run; LIST of a prefix on every S3 server at a small scale;
// then kumo alone: a 1 GiB PUT + GET streamed while its RSS is sampled, and LIST of a prefix in
// a bucket holding many keys.
// Run: node --import tsx bench/s3.ts [--seconds S] [--runs N] [--keys N] [--peer-keys N] [--gib G]   (needs `npm run build`)
import { Agent, request } from 'node:http';
import { median, round, rssMb, setting, writeResults } from './lib.ts';
import { measureMatrix, MATRIX_NOTES, prepareAll, stopAll, type Operation } from './matrix.ts';
import { startFloor, startKumo, startPeer, type Absent, type Running } from './peers.ts';

const SECONDS = setting('seconds', 2);
const RUNS = setting('runs', 3);
const KEYS = setting('keys', 1_000_000);
const PEER_KEYS = setting('peer-keys', 2000);
const GIB = setting('gib', 1);
const CONNECTIONS = 16;
const SMALL_KEYS = 100;
// s3rver knows only its S3RVER access key and refuses requests more than 15 minutes off its
// clock; nobody here checks the signature itself.
const HEADERS = {
  authorization: 'AWS4-HMAC-SHA256 Credential=S3RVER/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
  'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
  'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d+/g, ''),
};
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, noDelay: true });
const KIB = Buffer.alloc(1024, 'k');

function call(endpoint: string, method: string, path: string, body?: Buffer | AsyncIterable<Buffer>, length?: number): Promise<{ status: number; bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...HEADERS };
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

const ensure = (r: { status: number; text: string }, what: string) => {
  if (r.status !== 200) throw new Error(`${what}: ${r.status} ${r.text}`);
};

async function* generated(total: number): AsyncGenerator<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024, 'g');
  for (let sent = 0; sent < total; sent += chunk.length) yield sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
}

/** Writes `count` one-byte keys spread over 100 prefixes, 16 at a time; answers the seconds it took. */
async function fillBucket(endpoint: string, bucket: string, count: number): Promise<number> {
  ensure(await call(endpoint, 'PUT', `/${bucket}`), 'CreateBucket');
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (next < count) {
      const i = next++;
      ensure(await call(endpoint, 'PUT', `/${bucket}/p${String(i % 100).padStart(2, '0')}/${String(i).padStart(8, '0')}`, Buffer.from('x')), 'PutObject');
    }
  }));
  return (performance.now() - t0) / 1000;
}

/** Median ms of ListObjectsV2 over one prefix at a time (a hundredth of the bucket each). */
async function listMs(endpoint: string, bucket: string, samples: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    ensure(await call(endpoint, 'GET', `/${bucket}?list-type=2&prefix=p${String(i % 100).padStart(2, '0')}/&max-keys=1000`), 'ListObjectsV2');
    times.push(performance.now() - t);
  }
  return median(times);
}

let i = 0;
const operations: Operation[] = [
  { name: 'PutObject 1 KiB', request: () => ({ method: 'PUT', headers: HEADERS, body: KIB, path: () => `/bench/small/${i++ % 1000}` }) },
  { name: 'GetObject 1 KiB', request: () => ({ method: 'GET', headers: HEADERS, path: () => `/bench/small/${i++ % SMALL_KEYS}` }) },
];

let servers: Array<Running | Absent> = [];
try {
  servers.push(await startFloor(), await startKumo(), await startPeer('s3rver'), await startPeer('moto_server'));
  servers = await prepareAll(servers, async (s) => {
    if (s.kind === 'floor') return;
    ensure(await call(s.endpoint, 'PUT', '/bench'), 'CreateBucket');
    for (let k = 0; k < SMALL_KEYS; k++) ensure(await call(s.endpoint, 'PUT', `/bench/small/${k}`, KIB), 'PutObject');
  });
  const rows = await measureMatrix({ servers, operations, connections: [1, CONNECTIONS], seconds: SECONDS, runs: RUNS });

  const s3Servers = servers.filter((s): s is Running => 'endpoint' in s && s.kind !== 'floor');
  const lists: Array<{ name: string; ms: number }> = [];
  for (const s of s3Servers) {
    await fillBucket(s.endpoint, 'few', PEER_KEYS);
    lists.push({ name: s.name, ms: await listMs(s.endpoint, 'few', 50) });
  }
  const kumoListMs = lists.find((l) => l.name === 'kumo')!.ms;
  const listRows = lists.map((l) => ({ server: l.name, 'median ms': round(l.ms, 2), 'this / kumo': round(l.ms / kumoListMs) }));
  // The streaming and large-bucket parts measure kumo alone; the others would only add noise.
  for (const s of servers) if ('endpoint' in s && s.kind !== 'kumo') await s.stop();

  const kumo = servers.find((s): s is Running => s.name === 'kumo' && 'endpoint' in s)!;
  const pid = kumo.pid;
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

  const fillSeconds = await fillBucket(kumo.endpoint, 'many', KEYS);
  const manyMs = await listMs(kumo.endpoint, 'many', 100);
  const kumoRows = [
    { measure: `PUT + GET ${GIB} GiB streamed: peak RSS MB`, value: round(peak, 0) },
    { measure: `ListObjectsV2 of a prefix (max-keys 1000), ${KEYS} keys in the bucket: median ms`, value: round(manyMs, 2) },
  ];

  const result = {
    case: `s3: 1 KiB PUT/GET at 1 and ${CONNECTIONS} connections (${SECONDS} s x ${RUNS} runs), LIST, 1 GiB streamed, LIST in a large bucket`,
    rows,
    tables: [
      { title: `ListObjectsV2 of a prefix (a hundredth of the bucket), ${PEER_KEYS} keys in the bucket`, rows: listRows },
      { title: 'kumo alone', rows: kumoRows },
    ],
    notes: [
      ...MATRIX_NOTES,
      `LIST: "this / kumo" is the server's time over kumo's (> 1: kumo is faster); the large bucket (${KEYS} keys) is filled on kumo alone, the peers take about a minute per 10k keys here`,
      `memory mode (kumo spills bodies over 1 MiB to a temp file; s3rver stores files on /dev/shm when present); targets: kumo/floor >= 0.5, peak RSS < 200 MB, LIST < 50 ms`,
      `${GIB} GiB PUT ${round(putSeconds, 1)} s, GET ${round(getSeconds, 1)} s; RSS before ${round(before, 0)} MB`,
      `${KEYS} keys written to kumo in ${round(fillSeconds, 1)} s`,
      ...servers.filter((s): s is Absent => 'absent' in s).map((s) => `${s.name}: ${s.absent}`),
    ],
  };
  writeResults('s3', result);
  console.log(JSON.stringify(result, null, 2));
} finally {
  agent.destroy();
  await stopAll(servers);
}
