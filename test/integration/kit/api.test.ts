import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startKumo, type KumoInstance } from '../../../src/index.ts';

const modes = [['in-process', {}], ['process', { mode: 'process' as const }]] as const;

for (const [name, extra] of modes) {
  describe(`startKumo (${name})`, () => {
    let kumo: KumoInstance;
    let scratch: string;
    before(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'kumo-api-'));
      kumo = await startKumo({ port: 0, logLevel: 'warn', ...extra });
    });
    after(async () => {
      await kumo.stop();
      await rm(scratch, { recursive: true, force: true });
    });

    test('endpoint and port', () => {
      assert.match(kumo.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(kumo.endpoint, `http://127.0.0.1:${kumo.port}`);
    });

    test('clientConfig works for S3 (path style) and SQS clients as is', async () => {
      const cfg = kumo.clientConfig();
      assert.deepEqual(cfg, { endpoint: kumo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
      const s3 = new S3Client(cfg);
      await s3.send(new CreateBucketCommand({ Bucket: 'api-bucket' }));
      await s3.send(new PutObjectCommand({ Bucket: 'api-bucket', Key: 'k', Body: 'v' }));
      assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'api-bucket', Key: 'k' }))).Body!.transformToString(), 'v');
      const sqs = new SQSClient(kumo.clientConfig({ accessKeyId: '123456789012', region: 'eu-west-1' }));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'api-q' }));
      assert.match(QueueUrl!, /123456789012\/api-q$/);
      await kumo.reset();
    });

    test('reset(service) empties only that service; reset() everything', async () => {
      const s3 = new S3Client(kumo.clientConfig());
      const sqs = new SQSClient(kumo.clientConfig());
      await s3.send(new CreateBucketCommand({ Bucket: 'reset-b' }));
      await sqs.send(new CreateQueueCommand({ QueueName: 'reset-q' }));
      await kumo.reset('sqs');
      assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
      assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name), ['reset-b']);
      await kumo.reset();
      assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets ?? [], []);
    });

    test('snapshot.save / snapshot.load restore the saved state', async () => {
      const s3 = new S3Client(kumo.clientConfig());
      await s3.send(new CreateBucketCommand({ Bucket: 'snap-b' }));
      const dir = join(scratch, 'snap');
      await kumo.snapshot.save(dir);
      await kumo.reset();
      assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets ?? [], []);
      await kumo.snapshot.load(dir);
      assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name), ['snap-b']);
      await assert.rejects(kumo.snapshot.load(join(scratch, 'missing')), /missing/);
      await kumo.reset();
    });

    test('clock get / set / advance / freeze', async () => {
      const frozen = await kumo.clock.freeze();
      assert.equal(frozen.frozen, true);
      const set = await kumo.clock.set('2030-01-01T00:00:00.000Z');
      assert.equal(set.now, '2030-01-01T00:00:00.000Z');
      assert.equal((await kumo.clock.advance('PT5M')).now, '2030-01-01T00:05:00.000Z');
      assert.equal((await kumo.clock.advance(1000)).now, '2030-01-01T00:05:01.000Z');
      assert.equal((await kumo.clock.get()).now, '2030-01-01T00:05:01.000Z');
      await assert.rejects(kumo.clock.advance('soon'));
      const running = await kumo.clock.freeze(false);
      assert.equal(running.frozen, false);
      await kumo.clock.set(Date.now());
    });
  });
}

test('startKumo rejects an unknown mode and options a child cannot take', async () => {
  await assert.rejects(startKumo({ mode: 'thread' as 'process' }), /mode must be/);
  await assert.rejects(startKumo({ mode: 'process', port: 0, logWriter: () => undefined, ...({ bogusOption: 1 } as object) }), /bogusOption/);
});

test('stop() is idempotent and releases the data dir for the next instance', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-api-dd-'));
  try {
    const a = await startKumo({ port: 0, logLevel: 'warn', dataDir: dir, durability: 'process', mode: 'process' });
    await Promise.all([a.stop(), a.stop()]);
    const b = await startKumo({ port: 0, logLevel: 'warn', dataDir: dir, durability: 'process' });
    await b.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
