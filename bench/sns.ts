// SNS fan-out: Publish to a topic with 10 SQS subscriptions (16 connections), and end-to-end
// latency from Publish to a long-polling ReceiveMessage getting the message.
// Run: node --import tsx bench/sns.ts [--seconds S]   (needs `npm run build`)
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { median, ROOT, round, spawnServer, stop, writeResults } from './lib.ts';

const i = process.argv.indexOf('--seconds');
const SECONDS = i > 0 ? Number(process.argv[i + 1]) : 5;
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

const kumo = await spawnServer(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'start', '--port', '0', '--log-level', 'warn']);
const topicXml = await sns(kumo.endpoint, { Action: 'CreateTopic', Name: 'bench' });
const topicArn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(topicXml)![1]!;
const queues: string[] = [];
for (let q = 0; q < SUBSCRIPTIONS; q++) {
  const { QueueUrl } = await sqs(kumo.endpoint, 'CreateQueue', { QueueName: `bench-${q}` });
  queues.push(QueueUrl);
  await sns(kumo.endpoint, { Action: 'Subscribe', TopicArn: topicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:bench-${q}`, 'Attributes.entry.1.key': 'RawMessageDelivery', 'Attributes.entry.1.value': 'true' });
}

let published = 0;
const warm = performance.now() + 1000;
await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
  while (performance.now() < warm) await sns(kumo.endpoint, { Action: 'Publish', TopicArn: topicArn, Message: 'warm' });
}));
const end = performance.now() + SECONDS * 1000;
await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
  while (performance.now() < end) {
    await sns(kumo.endpoint, { Action: 'Publish', TopicArn: topicArn, Message: 'hello' });
    published++;
  }
}));
const publishRate = published / SECONDS;

for (const url of queues) await sqs(kumo.endpoint, 'PurgeQueue', { QueueUrl: url });
const latencies: number[] = [];
for (let n = 0; n < 200; n++) {
  const receive = sqs(kumo.endpoint, 'ReceiveMessage', { QueueUrl: queues[SUBSCRIPTIONS - 1], WaitTimeSeconds: 5 });
  await new Promise((r) => setTimeout(r, 2));
  const t0 = performance.now();
  await sns(kumo.endpoint, { Action: 'Publish', TopicArn: topicArn, Message: `m${n}` });
  const res = await receive;
  latencies.push(performance.now() - t0);
  const m = res.Messages?.[0];
  if (!m) throw new Error('no message arrived');
  await sqs(kumo.endpoint, 'DeleteMessage', { QueueUrl: queues[SUBSCRIPTIONS - 1], ReceiptHandle: m.ReceiptHandle });
}
await stop(kumo.child);

const result = {
  case: `sns: Publish fan-out to ${SUBSCRIPTIONS} SQS subscriptions (query protocol, 16 connections)`,
  rows: [
    { measure: 'Publish (requests/s)', value: round(publishRate, 0), deliveries: round(publishRate * SUBSCRIPTIONS, 0) },
    { measure: 'Publish to ReceiveMessage, median ms (long poll waiting)', value: round(median(latencies), 3), deliveries: '' },
  ],
  notes: [`${SECONDS} s of publishing, memory mode; raw message delivery`],
};
writeResults('sns', result);
console.log(JSON.stringify(result, null, 2));
agent.destroy();
