import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startKumo, type Kumo } from '../../../src/index.ts';
import { makeZip } from '../../helpers/zip.ts';

const YAML = `
version: 1
buckets:
  - name: assets
    objects:
      - { key: hello.txt, body: hello, contentType: text/plain }
      - { key: data.bin, file: ./data.bin }
tables:
  - name: users
    key: { id: S }
    items:
      - { id: u1, name: Ann, age: 41, tags: [a, b], address: { city: Oslo }, admin: true }
queues:
  - name: jobs
    messages:
      - body: first
      - body: { kind: json }
  - name: events.fifo
    messages:
      - body: ordered
functions:
  - name: hello-fn
    runtime: nodejs20.x
    handler: index.handler
    code: { zipFile: ./fn.zip }
`;

describe('fixtures', () => {
  let kumo: Kumo;
  let dir: string;
  let cfg: ReturnType<Kumo['clientConfig']> & { maxAttempts: number };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kumo-fixtures-'));
    await writeFile(join(dir, 'data.bin'), Buffer.from([0, 1, 2, 255]));
    await writeFile(join(dir, 'fn.zip'), makeZip({ 'index.mjs': 'export const handler = async () => 1;' }));
    await writeFile(join(dir, 'seed.yaml'), YAML);
    kumo = await startKumo({ port: 0, logLevel: 'warn' });
    cfg = { ...kumo.clientConfig(), maxAttempts: 1 };
  });
  after(async () => {
    await kumo.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a YAML fixture creates every kind of resource through the services', async () => {
    const result = await kumo.fixtures.apply(join(dir, 'seed.yaml'));
    assert.equal(result.outcome, 'applied');
    assert.equal(result.version, '1');
    assert.equal(result.created.length, 5);
    const s3 = new S3Client(cfg);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'assets', Key: 'hello.txt' }))).Body!.transformToString(), 'hello');
    assert.deepEqual([...(await (await s3.send(new GetObjectCommand({ Bucket: 'assets', Key: 'data.bin' }))).Body!.transformToByteArray())], [0, 1, 2, 255]);
    const item = (await new DynamoDBClient(cfg).send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'u1' } } }))).Item!;
    assert.deepEqual(item.age, { N: '41' });
    assert.deepEqual(item.address, { M: { city: { S: 'Oslo' } } });
    const sqs = new SQSClient(cfg);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'jobs' }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(got.Messages!.map((m) => m.Body).sort(), ['first', '{"kind":"json"}']);
    assert.equal((await new LambdaClient(cfg).send(new GetFunctionCommand({ FunctionName: 'hello-fn' }))).Configuration!.Runtime, 'nodejs20.x');
  });

  test('applying again is idempotent: the same version is skipped, a new one adds only what is missing', async () => {
    assert.equal((await kumo.fixtures.apply(join(dir, 'seed.yaml'))).outcome, 'unchanged');
    await writeFile(join(dir, 'seed.yaml'), YAML.replace('version: 1', 'version: 2') + '  - name: more-fn-less\n    code: { zipFile: ./fn.zip }\n'.replace('more-fn-less', 'second-fn'));
    const again = await kumo.fixtures.apply(join(dir, 'seed.yaml'));
    assert.equal(again.outcome, 'applied');
    assert.deepEqual(again.created, ['functions[1] ("second-fn")']);
    const sqs = new SQSClient(cfg);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'events.fifo' }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.equal(got.Messages!.length, 1, 'messages are sent only when the queue is created');
  });

  test('bad entries are refused naming the file and the entry; nothing is half-applied', async () => {
    await kumo.reset();
    const cases: [string, RegExp][] = [
      ['{"tables": [{"name": "ab", "key": {"id": "S"}}]}', /bad\.json: tables\[0\] \("ab"\): CreateTable refused: ValidationException: .*tableName/i],
      ['{"queues": [{"name": "ok-queue"}], "buckets": [{"name": "Not_A_Bucket"}]}', /bad\.json: buckets\[0\] \("Not_A_Bucket"\): CreateBucket refused: InvalidBucketName/],
      ['{"buckets": [{"name": "ok-bucket", "objects": [{"key": "k", "body": "v"}]}], "queues": [{"name": "ok-queue"}, {"name": "bad queue!"}]}', /bad\.json: queues\[1\] \("bad queue!"\): CreateQueue refused: InvalidParameterValue/],
      ['{"subscriptions": [{"protocol": "sqs"}]}', /bad\.json: subscriptions: subscriptions belong to their topic: topics\[\]\.subscriptions/],
      ['{"queues": [{"name": "q", "colour": "red"}]}', /bad\.json: queues\[0\] \("q"\): unknown field "colour"/],
      ['{"tables": [{"name": "t1", "key": {"id": "S"}, "items": [{"other": 1}]}]}', /tables\[0\] \("t1"\)\.items\[0\]: misses key attribute "id"/],
      ['{"queues": [{"name": "dup"}, {"name": "dup"}]}', /queues\[1\] \("dup"\): is defined twice/],
      ['{"queues": [', /bad\.json: not valid JSON/],
    ];
    for (const [text, message] of cases) {
      await writeFile(join(dir, 'bad.json'), text);
      await assert.rejects(kumo.fixtures.apply(join(dir, 'bad.json')), (err: Error) => {
        assert.equal(err.name, 'FixtureError');
        assert.match(err.message, message);
        return true;
      });
    }
    assert.equal((await new SQSClient(cfg).send(new ListQueuesCommand({}))).QueueUrls, undefined, 'ok-queue was rolled back');
    assert.deepEqual((await new S3Client(cfg).send(new ListBucketsCommand({}))).Buckets ?? [], []);
    await assert.rejects(kumo.fixtures.apply(join(dir, 'missing.yaml')), /missing\.yaml: cannot read the fixture file \(ENOENT\)/);
  });
});

describe('KUMO_FIXTURES at startup', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kumo-fixtures-start-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('applied once per version in a data dir; a stale version is reapplied or refused', async () => {
    const file = join(dir, 'f.json');
    const dataDir = join(dir, 'data');
    await writeFile(file, JSON.stringify({ version: 'a', tables: [{ name: 'boot', key: { pk: 'S', sk: 'N' }, items: [{ pk: 'x', sk: 1 }] }] }));
    const first = await startKumo({ port: 0, logLevel: 'warn', dataDir, durability: 'process', fixtures: file });
    assert.deepEqual((await new DynamoDBClient({ ...first.clientConfig(), maxAttempts: 1 }).send(new ListTablesCommand({}))).TableNames, ['boot']);
    await first.stop();
    const second = await startKumo({ port: 0, logLevel: 'warn', dataDir, durability: 'process', fixtures: file, fixturesStale: 'refuse' });
    assert.equal((await second.fixtures.apply(file)).outcome, 'unchanged');
    await second.stop();
    await writeFile(file, JSON.stringify({ version: 'b', tables: [] }));
    await assert.rejects(
      startKumo({ port: 0, logLevel: 'warn', dataDir, durability: 'process', fixtures: file, fixturesStale: 'refuse' }),
      /version a was applied to this data dir, the file is now version b; refusing/,
    );
    const reapplied = await startKumo({ port: 0, logLevel: 'warn', dataDir, durability: 'process', fixtures: file });
    await reapplied.stop();
  });
});
