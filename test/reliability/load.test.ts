import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import autocannon from 'autocannon';
import { spawnKumo } from '../helpers/process.ts';

/**
 * 256 connections of mixed operations (SQS, DynamoDB, S3) against a kumo process: zero errors,
 * and RSS after the run within 10% of RSS after two equal warm-up rounds. KUMO_SOAK_SECONDS sets the
 * duration (5 in npm test; 60 in npm run test:reliability).
 */
const SECONDS = Number(process.env.KUMO_SOAK_SECONDS ?? 5);
const SIGNED = (svc: string) => `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${svc}/aws4_request, SignedHeaders=host, Signature=x`;

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

async function call(endpoint: string, target: string, body: unknown, json = '1.0') {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': target, 'content-type': `application/x-amz-json-${json}`, authorization: SIGNED(target.startsWith('Amazon') ? 'sqs' : 'dynamodb') },
    body: JSON.stringify(body),
  });
  if (!res.ok) assert.fail(`${target}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

test(`256 connections x ${SECONDS}s of mixed operations: no errors, RSS stable`, async () => {
  const kumo = await spawnKumo([]);
  try {
    // Every operation works on a bounded set of keys, so state stops growing after the warm-up
    // (a FIFO queue with content-based dedup keeps at most 100 distinct messages).
    const { QueueUrl } = await call(kumo.endpoint, 'AmazonSQS.CreateQueue', {
      QueueName: 'soak.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    });
    await call(kumo.endpoint, 'DynamoDB_20120810.CreateTable', {
      TableName: 'soak', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    const put = await fetch(`${kumo.endpoint}/soak`, { method: 'PUT', headers: { authorization: SIGNED('s3') } });
    assert.equal(put.status, 200);
    let n = 0;
    const requests = [
      { method: 'POST', path: '/', headers: { 'x-amz-target': 'AmazonSQS.SendMessage', 'content-type': 'application/x-amz-json-1.0', authorization: SIGNED('sqs') },
        setupRequest: (r: object) => ({ ...r, body: JSON.stringify({ QueueUrl, MessageBody: `m${n++ % 100}`, MessageGroupId: 'g' }) }) },
      { method: 'POST', path: '/', headers: { 'x-amz-target': 'AmazonSQS.ReceiveMessage', 'content-type': 'application/x-amz-json-1.0', authorization: SIGNED('sqs') },
        body: JSON.stringify({ QueueUrl, MaxNumberOfMessages: 10 }) },
      { method: 'POST', path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem', 'content-type': 'application/x-amz-json-1.0', authorization: SIGNED('dynamodb') },
        setupRequest: (r: object) => ({ ...r, body: JSON.stringify({ TableName: 'soak', Item: { pk: { S: `k${n++ % 5000}` }, v: { S: 'x'.repeat(64) } } }) }) },
      { method: 'POST', path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem', 'content-type': 'application/x-amz-json-1.0', authorization: SIGNED('dynamodb') },
        body: JSON.stringify({ TableName: 'soak', Key: { pk: { S: 'k1' } } }) },
      { method: 'PUT', headers: { authorization: SIGNED('s3'), 'content-type': 'text/plain' },
        setupRequest: (r: object) => ({ ...r, path: `/soak/obj-${n++ % 1000}`, body: 'y'.repeat(512) }) },
    ];
    const run = () => autocannon({ url: kumo.endpoint, connections: 256, duration: SECONDS, requests } as autocannon.Options);
    // Two warm-up rounds: the first grows the heap to what 256 connections need.
    await run();
    const warm = await run();
    const rssWarm = rssMb(kumo.child.pid!);
    const soak = await run();
    const rssAfter = rssMb(kumo.child.pid!);
    for (const r of [warm, soak]) {
      assert.equal(r.errors, 0, 'connection errors');
      assert.equal(r.timeouts, 0, 'timeouts');
      assert.equal(r.non2xx, 0, 'non-2xx answers');
    }
    assert.ok(soak.requests.total > 0);
    assert.ok(rssAfter <= rssWarm * 1.1, `RSS grew from ${rssWarm.toFixed(1)} MB to ${rssAfter.toFixed(1)} MB`);
  } finally {
    kumo.child.kill('SIGTERM');
    await kumo.exited;
  }
});
