import { Agent, request } from 'node:http';
import { startKumo } from '../src/index.ts';
const kumo = await startKumo({ port: 0, host: '127.0.0.1', logLevel: 'warn' });
const agent = new Agent({ keepAlive: true, maxSockets: 16, noDelay: true });
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x';
function post(target: string, body: unknown): Promise<any> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(kumo.endpoint, { method: 'POST', agent, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${target}`, authorization: AUTH, 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const c: Buffer[] = []; res.on('data', (d) => c.push(d)); res.on('end', () => resolve(JSON.parse(Buffer.concat(c).toString() || '{}')));
    });
    req.on('error', reject); req.end(payload);
  });
}
const url = (await post('CreateQueue', { QueueName: 'p' })).QueueUrl;
const op = process.argv[2] ?? 'send';
const end = performance.now() + 5000; let n = 0;
await Promise.all(Array.from({ length: 16 }, async () => { while (performance.now() < end) {
  if (op === 'send') { await post('SendMessage', { QueueUrl: url, MessageBody: 'hello' }); n++; }
  else { await post('GetQueueUrl', { QueueName: 'p' }); n++; }
} }));
console.log(op, n / 5);
agent.destroy(); await kumo.stop();
