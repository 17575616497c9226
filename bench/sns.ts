// SNS fan-out: Publish to a topic with 10 SQS subscriptions (raw delivery) at 16 connections, and
// end-to-end latency from Publish to a long-polling ReceiveMessage getting the message; kumo
// against the bare Node floor and moto_server when present, in the same run, medians of runs.
// Run: node --import tsx bench/sns.ts [--seconds S] [--runs N]   (needs `npm run build`)
import { Agent, request } from 'node:http';
import { median, round, setting, writeResults } from './lib.ts';
import { prepareAll, stopAll } from './matrix.ts';
import { startFloor, startKumo, startPeer, type Absent, type Running } from './peers.ts';

const SECONDS = setting('seconds', 2);
const RUNS = setting('runs', 3);
const CONNECTIONS = 16;
const SUBSCRIPTIONS = 10;
const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS + 2, noDelay: true });

function send(endpoint: string, headers: Record<string, string>, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(endpoint, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${res.statusCode} ${text}`));
        else resolve(text);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const sqs = async (endpoint: string, target: string, body: unknown) =>
  JSON.parse(await send(endpoint, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${target}`, authorization: auth('sqs') }, JSON.stringify(body)));

const sns = (endpoint: string, params: Record<string, string>) =>
  send(endpoint, { 'content-type': 'application/x-www-form-urlencoded', authorization: auth('sns') }, new URLSearchParams({ Version: '2010-03-31', ...params }).toString());

interface Fanout { topicArn: string; queues: string[] }
const setups = new Map<string, Fanout>();

async function prepare(s: Running): Promise<void> {
  if (s.kind === 'floor') return;
  const topicXml = await sns(s.endpoint, { Action: 'CreateTopic', Name: 'bench' });
  const topicArn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(topicXml)![1]!;
  const queues: string[] = [];
  for (let q = 0; q < SUBSCRIPTIONS; q++) {
    const { QueueUrl } = await sqs(s.endpoint, 'CreateQueue', { QueueName: `bench-${q}` });
    const { Attributes } = await sqs(s.endpoint, 'GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] });
    queues.push(QueueUrl);
    await sns(s.endpoint, {
      Action: 'Subscribe', TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes.QueueArn,
      'Attributes.entry.1.key': 'RawMessageDelivery', 'Attributes.entry.1.value': 'true',
    });
  }
  setups.set(s.name, { topicArn, queues });
}

/** Publishes (or, on the floor, the same POST) on 16 loops for `seconds`; answers publishes per second. */
async function publishRate(s: Running, seconds: number): Promise<number> {
  const topicArn = setups.get(s.name)?.topicArn ?? 'arn:aws:sns:us-east-1:000000000000:bench';
  let published = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < end) {
      await sns(s.endpoint, { Action: 'Publish', TopicArn: topicArn, Message: 'hello' });
      published++;
    }
  }));
  return published / seconds;
}

/** Median ms from Publish to a waiting long poll on the last subscribed queue getting the message. */
async function endToEnd(s: Running, samples: number): Promise<number> {
  const { topicArn, queues } = setups.get(s.name)!;
  for (const url of queues) await sqs(s.endpoint, 'PurgeQueue', { QueueUrl: url });
  const queue = queues[SUBSCRIPTIONS - 1];
  const latencies: number[] = [];
  for (let n = 0; n < samples; n++) {
    const receive = sqs(s.endpoint, 'ReceiveMessage', { QueueUrl: queue, WaitTimeSeconds: 5 });
    await new Promise((r) => setTimeout(r, 2));
    const t0 = performance.now();
    await sns(s.endpoint, { Action: 'Publish', TopicArn: topicArn, Message: `m${n}` });
    const res = await receive;
    latencies.push(performance.now() - t0);
    const m = res.Messages?.[0];
    if (!m) throw new Error(`${s.name}: no message arrived`);
    await sqs(s.endpoint, 'DeleteMessage', { QueueUrl: queue, ReceiptHandle: m.ReceiptHandle });
  }
  return median(latencies);
}

let servers: Array<Running | Absent> = [];
try {
  servers.push(await startFloor(), await startKumo(), await startPeer('moto_server'));
  servers = await prepareAll(servers, prepare);
  const up = servers.filter((s): s is Running => 'endpoint' in s);
  for (const s of up) await publishRate(s, 1);
  const rates = new Map<string, number[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const s of up) rates.set(s.name, [...(rates.get(s.name) ?? []), await publishRate(s, SECONDS)]);
  }
  const latency = new Map<string, number>();
  for (const s of up) if (s.kind !== 'floor') latency.set(s.name, await endToEnd(s, s.closes ? 20 : 200));

  const kumoRate = median(rates.get('kumo')!);
  const kumoLatency = latency.get('kumo')!;
  const rows = servers.map((s) => {
    if (!('endpoint' in s)) return { server: s.name, 'Publish/s': s.absent, 'deliveries/s': '', 'kumo / this': '', 'Publish to receive, median ms': '', 'this / kumo': '' };
    const rate = median(rates.get(s.name)!);
    const ms = latency.get(s.name);
    return {
      server: s.name, 'Publish/s': round(rate, 0), 'deliveries/s': s.kind === 'floor' ? '' : round(rate * SUBSCRIPTIONS, 0),
      'kumo / this': round(kumoRate / rate), 'Publish to receive, median ms': ms === undefined ? '' : round(ms, 2),
      'this / kumo': ms === undefined ? '' : round(ms / kumoLatency),
    };
  });
  const result = {
    case: `sns: Publish fan-out to ${SUBSCRIPTIONS} SQS subscriptions (query protocol, ${CONNECTIONS} connections, ${SECONDS} s x ${RUNS} runs)`,
    rows,
    notes: [
      'Publish/s: median over the runs, node:http loops from this process; "kumo / this" is kumo\'s rate over the row\'s (> 1: kumo is faster; over the floor, a POST answering {}, 1 is the ceiling)',
      'Publish to receive: a long poll (WaitTimeSeconds 5) waits on the last subscribed queue while the message is published; "this / kumo" is the row\'s time over kumo\'s (> 1: kumo is faster)',
      `memory mode, raw message delivery; moto_server latency over 20 samples (it answers slowly), kumo over 200`,
      ...servers.filter((s): s is Absent => 'absent' in s).map((s) => `${s.name}: ${s.absent}`),
    ],
  };
  writeResults('sns', result);
  console.log(JSON.stringify(result, null, 2));
} finally {
  agent.destroy();
  await stopAll(servers);
}
