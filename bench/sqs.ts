// SQS (JSON protocol): SendMessage and ReceiveMessage + DeleteMessage at 1 and 16 connections
// against the bare Node floor and moto_server when present, in the same run; then kumo alone:
// ReceiveMessage latency with 1000 and with 1M messages queued.
// Run: node --import tsx bench/sqs.ts [--seconds S] [--runs N] [--million N]   (needs `npm run build`)
import { Agent, request } from 'node:http';
import { median, round, setting, writeResults } from './lib.ts';
import { measureMatrix, MATRIX_NOTES, prepareAll, stopAll, type Operation } from './matrix.ts';
import { startFloor, startKumo, startPeer, type Absent, type Running } from './peers.ts';

const SECONDS = setting('seconds', 2);
const RUNS = setting('runs', 3);
const MILLION = setting('million', 1_000_000);
const CONNECTIONS = [1, 16];
const HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x',
};

// noDelay: a request's headers and body are separate writes, which Nagle would hold back.
const agent = new Agent({ keepAlive: true, maxSockets: 16, noDelay: true });

function post(endpoint: string, target: string, body: unknown): Promise<any> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(endpoint, {
      method: 'POST',
      agent,
      headers: { ...HEADERS, 'x-amz-target': `AmazonSQS.${target}`, 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${target}: ${res.statusCode} ${text}`));
        else resolve(text ? JSON.parse(text) : {});
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface Pairs { rps: number; p50: number; p99: number }

/**
 * `connections` loops of `op` for SECONDS: requests per second (op answers how many requests it
 * made) and the latency of one op (a receive and its delete), in ms.
 */
async function pairs(connections: number, op: () => Promise<number>): Promise<Pairs> {
  const end = performance.now() + SECONDS * 1000;
  const times: number[] = [];
  let done = 0;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      // Not `done += await op()`: that reads `done` before the await and loses other loops' counts.
      const n = await op();
      done += n;
      times.push(performance.now() - t0);
    }
  }));
  times.sort((a, b) => a - b);
  return { rps: done / SECONDS, p50: round(median(times), 1), p99: round(times[Math.floor(times.length * 0.99)] ?? 0, 1) };
}

async function fill(endpoint: string, url: string, count: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) {
      const base = next;
      next += 10;
      const Entries = Array.from({ length: Math.min(10, count - base) }, (_, i) => ({ Id: `m${i}`, MessageBody: `message ${base + i}` }));
      await post(endpoint, 'SendMessageBatch', { QueueUrl: url, Entries });
    }
  }));
}

async function receiveLatency(endpoint: string, url: string, samples = 200): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const res = await post(endpoint, 'ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 600 });
    times.push(performance.now() - t0);
    if (!res.Messages?.length) throw new Error('queue ran dry');
  }
  return median(times);
}

const queueUrls = new Map<string, { send: string; receive: string }>();
const operations: Operation[] = [{
  name: 'SendMessage',
  request: (s) => ({ headers: { ...HEADERS, 'x-amz-target': 'AmazonSQS.SendMessage' }, body: JSON.stringify({ QueueUrl: queueUrls.get(s.name)?.send ?? 'x', MessageBody: 'hello' }) }),
}];

let servers: Array<Running | Absent> = [];
try {
  servers.push(await startFloor(), await startKumo(), await startPeer('moto_server'));
  servers = await prepareAll(servers, async (s) => {
    if (s.kind === 'floor') return;
    const send = (await post(s.endpoint, 'CreateQueue', { QueueName: 'bench-send' })).QueueUrl;
    const receive = (await post(s.endpoint, 'CreateQueue', { QueueName: 'bench-receive' })).QueueUrl;
    queueUrls.set(s.name, { send, receive });
  });
  const rows = await measureMatrix({ servers, operations, connections: CONNECTIONS, seconds: SECONDS, runs: RUNS });
  const rate = (server: string, c: number) => Number(rows.find((r) => r.operation === 'SendMessage' && r.server === server && r.connections === c)?.['req/s']) || 0;

  // Receive + delete: each loop receives one message and deletes it (two requests), on a queue
  // topped up before every run so that it never runs dry.
  const up = servers.filter((s): s is Running => 'endpoint' in s);
  const results = new Map<string, Pairs[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const c of CONNECTIONS) {
      for (const s of up) {
        const urls = queueUrls.get(s.name);
        if (urls) await fill(s.endpoint, urls.receive, Math.ceil(Math.min(rate('bare node http', 16), 3 * rate(s.name, 16)) * (SECONDS + 1)));
        const r = await pairs(c, async () => {
          if (!urls) {
            await post(s.endpoint, 'ReceiveMessage', {});
            await post(s.endpoint, 'DeleteMessage', {});
            return 2;
          }
          const m = (await post(s.endpoint, 'ReceiveMessage', { QueueUrl: urls.receive })).Messages?.[0];
          if (!m) return 1;
          await post(s.endpoint, 'DeleteMessage', { QueueUrl: urls.receive, ReceiptHandle: m.ReceiptHandle });
          return 2;
        });
        results.set(`${c} ${s.name}`, [...(results.get(`${c} ${s.name}`) ?? []), r]);
      }
    }
  }
  for (const c of CONNECTIONS) {
    const med = (name: string, f: keyof Pairs) => median((results.get(`${c} ${name}`) ?? []).map((r) => r[f]));
    for (const s of servers) {
      const base = { operation: 'ReceiveMessage + DeleteMessage (p50/p99: the pair)', connections: c, server: s.name };
      if (!('endpoint' in s)) {
        rows.push({ ...base, 'req/s': s.absent, 'p50 ms': '', 'p99 ms': '', 'errors+non2xx': '', 'kumo / this': '' });
        continue;
      }
      rows.push({
        ...base, 'req/s': round(med(s.name, 'rps'), 0), 'p50 ms': med(s.name, 'p50'), 'p99 ms': med(s.name, 'p99'), 'errors+non2xx': 0,
        'kumo / this': s.kind === 'kumo' ? 1 : round(med('kumo', 'rps') / med(s.name, 'rps')),
      });
    }
  }
  for (const s of up) if (s.kind !== 'kumo') await s.stop();

  const kumo = up.find((s) => s.kind === 'kumo')!;
  const smallUrl = (await post(kumo.endpoint, 'CreateQueue', { QueueName: 'bench-small' })).QueueUrl;
  await fill(kumo.endpoint, smallUrl, 1000);
  const smallLatency = await receiveLatency(kumo.endpoint, smallUrl);
  const bigUrl = (await post(kumo.endpoint, 'CreateQueue', { QueueName: 'bench-million' })).QueueUrl;
  const t0 = performance.now();
  await fill(kumo.endpoint, bigUrl, MILLION);
  const fillSeconds = (performance.now() - t0) / 1000;
  const bigLatency = await receiveLatency(kumo.endpoint, bigUrl);

  const result = {
    case: `sqs: SendMessage and ReceiveMessage + DeleteMessage at 1 and 16 connections (JSON protocol, ${SECONDS} s x ${RUNS} runs), ReceiveMessage with a deep queue`,
    rows,
    tables: [{
      title: 'kumo alone: ReceiveMessage latency against queue depth',
      rows: [
        { measure: 'ReceiveMessage median ms, 1000 queued', value: round(smallLatency, 3) },
        { measure: `ReceiveMessage median ms, ${MILLION} queued`, value: round(bigLatency, 3) },
      ],
    }],
    notes: [
      ...MATRIX_NOTES,
      'ReceiveMessage + DeleteMessage is driven by node:http loops from this process (each receive needs the previous answer); req/s counts both requests, the floor row is two POSTs to the bare server',
      `memory mode; targets: kumo/floor >= 0.5, deep-queue receive latency flat; ${MILLION} messages sent in ${round(fillSeconds, 1)} s with SendMessageBatch`,
      ...servers.filter((s): s is Absent => 'absent' in s).map((s) => `${s.name}: ${s.absent}`),
    ],
  };
  writeResults('sqs', result);
  console.log(JSON.stringify(result, null, 2));
} finally {
  agent.destroy();
  await stopAll(servers);
}
