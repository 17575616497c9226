import { startKumo } from '../src/index.ts';
const kumo = await startKumo({ port: 0, host: '127.0.0.1', logLevel: 'warn' });
const def = await kumo.app.host.definition('sqs');
const ctx = kumo.app.host.context(def!, { operation: 'x', account: '000000000000', region: 'us-east-1', requestId: 'r', endpoint: 'http://localhost:4566', protocol: 'json' });
const ops = def!.operations;
const { QueueUrl } = await ops.CreateQueue({ QueueName: 'm' }, ctx);
for (const [name, fn] of [
  ['GetQueueUrl', () => ops.GetQueueUrl({ QueueName: 'm' }, ctx)],
  ['SendMessage', () => ops.SendMessage({ QueueUrl, MessageBody: 'hello' }, ctx)],
  ['Receive+Delete', () => { const r = ops.ReceiveMessage({ QueueUrl }, ctx) as any; ops.DeleteMessage({ QueueUrl, ReceiptHandle: r.Messages[0].ReceiptHandle }, ctx); }],
] as const) {
  let best = Infinity;
  for (let round = 0; round < 8; round++) {
    const N = 20000; const t0 = performance.now();
    for (let i = 0; i < N; i++) (fn as () => unknown)();
    best = Math.min(best, (performance.now() - t0) * 1000 / N);
  }
  console.log(name, best.toFixed(2), 'µs/op');
}
await kumo.stop();
