// SQS throughput (16 connections) against a bare Node HTTP server measured in the same run,
// and ReceiveMessage latency with 1M messages queued.
// Run: node --import tsx bench/sqs.ts [--seconds S] [--million N]   (needs `npm run build`)
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { median, ROOT, round, spawnServer, stop, writeResults } from './lib.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 5);
const MILLION = arg('million', 1_000_000);
const CONNECTIONS = 16;
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x';

// noDelay: a request's headers and body are separate writes, which Nagle would hold back.
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, noDelay: true });

function post(endpoint: string, target: string, body: unknown): Promise<any> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(endpoint, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${target}`,
        authorization: AUTH,
        'content-length': Buffer.byteLength(payload),
      },
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

/** Runs `op` on 16 concurrent loops for SECONDS (after a 1 s warm-up); answers operations per second. */
async function rate(op: () => Promise<number>): Promise<number> {
  const warm = performance.now() + 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < warm) await op();
  }));
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < end) {
      // Not `done += await op()`: that reads `done` before the await and loses other loops' counts.
      const n = await op();
      done += n;
    }
  }));
  return done / SECONDS;
}

async function queue(endpoint: string, name: string): Promise<string> {
  return (await post(endpoint, 'CreateQueue', { QueueName: name })).QueueUrl;
}

async function fill(endpoint: string, url: string, count: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
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

const bare = await spawnServer(process.execPath, [join(ROOT, 'bench', 'baselines', 'bare-server.mjs')], {}, '/');
const bareRate = await rate(async () => {
  await post(bare.endpoint, 'SendMessage', { QueueUrl: 'x', MessageBody: 'hello' });
  return 1;
});
await stop(bare.child);

const kumo = await spawnServer(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'start', '--port', '0', '--log-level', 'warn']);
const sendUrl = await queue(kumo.endpoint, 'bench-send');
const sendRate = await rate(async () => {
  await post(kumo.endpoint, 'SendMessage', { QueueUrl: sendUrl, MessageBody: 'hello' });
  return 1;
});
const rdUrl = await queue(kumo.endpoint, 'bench-receive');
// Enough messages that the queue never runs dry: no server answers faster than the bare one.
await fill(kumo.endpoint, rdUrl, Math.ceil(bareRate * (SECONDS + 1)));
const receiveDeleteRate = await rate(async () => {
  const res = await post(kumo.endpoint, 'ReceiveMessage', { QueueUrl: rdUrl });
  const m = res.Messages?.[0];
  if (!m) return 1;
  await post(kumo.endpoint, 'DeleteMessage', { QueueUrl: rdUrl, ReceiptHandle: m.ReceiptHandle });
  return 2;
});

const smallUrl = await queue(kumo.endpoint, 'bench-small');
await fill(kumo.endpoint, smallUrl, 1000);
const smallLatency = await receiveLatency(kumo.endpoint, smallUrl);
const bigUrl = await queue(kumo.endpoint, 'bench-million');
const t0 = performance.now();
await fill(kumo.endpoint, bigUrl, MILLION);
const fillSeconds = (performance.now() - t0) / 1000;
const bigLatency = await receiveLatency(kumo.endpoint, bigUrl);
await stop(kumo.child);

const result = {
  case: 'sqs: throughput at 16 connections (JSON protocol), ReceiveMessage with a deep queue',
  rows: [
    { measure: 'bare node http (requests/s)', value: round(bareRate, 0), 'ratio vs bare': 1 },
    { measure: 'SendMessage (requests/s)', value: round(sendRate, 0), 'ratio vs bare': round(sendRate / bareRate) },
    { measure: 'ReceiveMessage + DeleteMessage (requests/s)', value: round(receiveDeleteRate, 0), 'ratio vs bare': round(receiveDeleteRate / bareRate) },
    { measure: 'ReceiveMessage median ms, 1000 queued', value: round(smallLatency, 3), 'ratio vs bare': '' },
    { measure: `ReceiveMessage median ms, ${MILLION} queued`, value: round(bigLatency, 3), 'ratio vs bare': '' },
  ],
  notes: [
    `${SECONDS} s per throughput case, memory mode; targets: ratios >= 0.5, deep-queue receive latency flat`,
    `${MILLION} messages sent in ${round(fillSeconds, 1)} s with SendMessageBatch`,
  ],
};
writeResults('sqs', result);
console.log(JSON.stringify(result, null, 2));
agent.destroy();
