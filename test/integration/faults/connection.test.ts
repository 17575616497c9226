import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';
import { history, putRule, resetFaults } from './helpers.ts';

let kumo: Kumo;
let sqs: SQSClient;
let queueUrl: string;

before(async () => {
  kumo = await startTestKumo({ seed: 'fault-connection' });
  sqs = new SQSClient(clientConfig(kumo.endpoint));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'conn' }))).QueueUrl!;
});
after(async () => {
  sqs.destroy();
  await kumo.stop();
});

async function depth(): Promise<number> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(out.Attributes?.ApproximateNumberOfMessages);
}

/** GetQueueUrl over a plain HTTP/1.1 request, reporting the announced length and the bytes received. */
async function rawGetQueueUrl(): Promise<{ length: number; received: number; error?: string }> {
  const { request } = await import('node:http');
  return new Promise((resolve) => {
    const req = request(`${kumo.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x',
      },
    }, (res) => {
      let received = 0;
      const length = Number(res.headers['content-length']);
      res.on('data', (c: Buffer) => (received += c.length));
      res.on('error', (e) => resolve({ length, received, error: e.message }));
      res.on('aborted', () => resolve({ length, received, error: 'aborted' }));
      res.on('end', () => resolve({ length, received }));
    });
    req.on('error', (e) => resolve({ length: -1, received: -1, error: e.message }));
    req.end(JSON.stringify({ QueueName: 'conn' }));
  });
}

test('a reset surfaces as a network error in the SDK, and the operation does not run', async () => {
  await resetFaults(kumo.endpoint);
  const before = await depth();
  await putRule(kumo.endpoint, 'drop', { match: { service: 'sqs', operation: 'SendMessage' }, reset: true, times: 1 });
  const err = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'lost' })).then(() => undefined, (e: any) => e);
  assert.ok(err, 'the call must fail');
  assert.equal(err.$metadata?.httpStatusCode, undefined, 'no HTTP response');
  assert.match(`${err.code} ${err.name} ${err.message}`, /ECONNRESET|socket hang up/);
  assert.equal(await depth(), before);
  assert.deepEqual((await history(kumo.endpoint, 'drop')).map((e) => e.action), ['reset']);
});

test('the SDK retries a reset as a transient error', async () => {
  await resetFaults(kumo.endpoint);
  await putRule(kumo.endpoint, 'drop-once', { match: { service: 'sqs', operation: 'SendMessage' }, reset: true, times: 1 });
  const retrying = new SQSClient({ ...clientConfig(kumo.endpoint), maxAttempts: 2 });
  const out = await retrying.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'second try' }));
  retrying.destroy();
  assert.equal(out.$metadata.attempts, 2);
});

test('a truncated response fails in the SDK after the operation ran', async () => {
  await resetFaults(kumo.endpoint);
  const before = await depth();
  await putRule(kumo.endpoint, 'cut', { match: { service: 'sqs', operation: 'SendMessage' }, truncate: { fraction: 0.3 }, times: 1 });
  const err = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'delivered, unanswered' })).then(() => undefined, (e: any) => e);
  assert.ok(err, 'the call must fail');
  assert.equal(await depth(), before + 1);
  assert.deepEqual((await history(kumo.endpoint, 'cut')).map((e) => e.action), ['truncate']);
});

test('a truncated response keeps the full Content-Length and sends part of the body', async () => {
  await resetFaults(kumo.endpoint);
  await putRule(kumo.endpoint, 'cut-raw', { match: { service: 'sqs', operation: 'GetQueueUrl' }, truncate: { fraction: 0.5 }, times: 1 });
  const result = await rawGetQueueUrl();
  assert.ok(result.length > 0);
  assert.equal(result.received, Math.floor(result.length / 2));
  assert.ok(result.error, 'the response must not complete');
});

test('a truncation that keeps nothing still sends the status and headers', async () => {
  await resetFaults(kumo.endpoint);
  await putRule(kumo.endpoint, 'cut-all', { match: { service: 'sqs', operation: 'GetQueueUrl' }, truncate: { fraction: 0 }, times: 1 });
  const res = await rawGetQueueUrl();
  assert.ok(res.length > 0);
  assert.equal(res.received, 0);
  assert.ok(res.error);
});

test('a delay happens before execution and lasts at least the configured time (wall clock)', async () => {
  await resetFaults(kumo.endpoint);
  await putRule(kumo.endpoint, 'slow', { match: { service: 'sqs', operation: 'SendMessage' }, delay: 300, times: 1 });
  // Freezing the engine clock shows the delay is not engine time.
  await fetch(`${kumo.endpoint}/kumo/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ freeze: true }) });
  const started = performance.now();
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'slow' }));
  const elapsed = performance.now() - started;
  await fetch(`${kumo.endpoint}/kumo/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ freeze: false }) });
  // Timers may fire a millisecond before performance.now() says the delay is over.
  assert.ok(elapsed >= 295, `took ${elapsed} ms`);
  const events = await history(kumo.endpoint, 'slow');
  assert.equal(events.length, 1);
  assert.equal(events[0].action, 'delay');
  assert.equal(events[0].delayMs, 300);
});

test('a delay distribution samples between its percentiles', async () => {
  await resetFaults(kumo.endpoint);
  await putRule(kumo.endpoint, 'jitter', { match: { service: 'sqs', operation: 'GetQueueUrl' }, delay: { min: 20, p50: 40, max: 80 }, times: 5 });
  const { GetQueueUrlCommand } = await import('@aws-sdk/client-sqs');
  for (let i = 0; i < 5; i++) await sqs.send(new GetQueueUrlCommand({ QueueName: 'conn' }));
  const delays = (await history(kumo.endpoint, 'jitter')).map((e) => e.delayMs);
  assert.equal(delays.length, 5);
  for (const d of delays) assert.ok(d >= 20 && d <= 80, String(d));
});

test('over HTTP/2 a reset is an RST_STREAM (REFUSED_STREAM) and a truncation cuts the stream; the session survives', async () => {
  await resetFaults(kumo.endpoint);
  await putRule(kumo.endpoint, 'h2-reset', { match: { service: 'sqs', operation: 'GetQueueUrl' }, reset: true, times: 1 });
  await putRule(kumo.endpoint, 'h2-cut', { match: { service: 'sqs', operation: 'GetQueueUrl' }, truncate: true, times: 1 });
  const { connect, constants } = await import('node:http2');
  const session = connect(kumo.endpoint);
  const call = () => new Promise<{ status?: number; bytes: number; length?: number; rst?: number }>((resolve) => {
    const stream = session.request({
      ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x',
    });
    let status: number | undefined;
    let length: number | undefined;
    let bytes = 0;
    stream.on('response', (h) => {
      status = Number(h[':status']);
      length = Number(h['content-length']);
    });
    stream.on('data', (c: Buffer) => (bytes += c.length));
    stream.on('error', () => undefined);
    stream.on('close', () => resolve({ status, bytes, length, rst: stream.rstCode }));
    stream.end(JSON.stringify({ QueueName: 'conn' }));
  });
  try {
    const reset = await call();
    assert.equal(reset.rst, constants.NGHTTP2_REFUSED_STREAM);
    assert.equal(reset.status, undefined);
    const cut = await call();
    assert.equal(cut.status, 200);
    assert.ok(cut.bytes > 0 && cut.bytes < cut.length!, JSON.stringify(cut));
    assert.equal(cut.rst, constants.NGHTTP2_INTERNAL_ERROR);
    const fine = await call();
    assert.equal(fine.status, 200);
    assert.equal(fine.bytes, fine.length);
  } finally {
    session.close();
  }
});
