import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

let kumo: Kumo;
let ddb: DynamoDBClient;
let scratch: string;
before(async () => {
  kumo = await startTestKumo({ seed: 'control-tests' });
  ddb = new DynamoDBClient(clientConfig(kumo.endpoint));
  scratch = await mkdtemp(join(tmpdir(), 'kumo-control-'));
});
after(async () => {
  await kumo.stop();
  await rm(scratch, { recursive: true, force: true });
});

async function table(name: string) {
  await ddb.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, v: { S: name } } }));
}

test('clock: get, set, advance (ISO duration and ms), freeze', async () => {
  const now = (await (await fetch(`${kumo.endpoint}/kumo/clock`)).json()) as any;
  assert.ok(Date.parse(now.now) > 0);
  let r = await controlPost(kumo.endpoint, '/kumo/clock', { set: '2030-01-01T00:00:00Z', freeze: true });
  assert.equal(r.status, 200);
  assert.equal(r.json.now, '2030-01-01T00:00:00.000Z');
  assert.equal(r.json.frozen, true);
  r = await controlPost(kumo.endpoint, '/kumo/clock', { advance: 'PT5M' });
  assert.equal(r.json.now, '2030-01-01T00:05:00.000Z');
  r = await controlPost(kumo.endpoint, '/kumo/clock', { advance: 1500 });
  assert.equal(r.json.now, '2030-01-01T00:05:01.500Z');
  r = await controlPost(kumo.endpoint, '/kumo/clock', { freeze: false, set: Date.now() });
  assert.equal(r.json.frozen, false);
});

test('clock: bad input is a 4xx and changes nothing', async () => {
  const before = (await (await fetch(`${kumo.endpoint}/kumo/clock`)).json()) as any;
  for (const body of [{ advance: 'soon' }, { set: 'yesterday' }, { freeze: 'yes' }, { warp: 1 }, { advance: -5 }]) {
    const r = await controlPost(kumo.endpoint, '/kumo/clock', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.ok(r.json.message);
  }
  const bad = await fetch(`${kumo.endpoint}/kumo/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
  assert.equal(bad.status, 400);
  const form = await fetch(`${kumo.endpoint}/kumo/clock`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
  assert.equal(form.status, 415);
  const arr = await fetch(`${kumo.endpoint}/kumo/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1]' });
  assert.equal(arr.status, 400);
  const afterwards = (await (await fetch(`${kumo.endpoint}/kumo/clock`)).json()) as any;
  assert.equal(afterwards.frozen, before.frozen);
});

test('reset of one service and of all; compat aliases', async () => {
  await table('reset-one');
  let r = await controlPost(kumo.endpoint, '/kumo/reset/dynamodb');
  assert.equal(r.status, 200);
  assert.deepEqual((await ddb.send(new ListTablesCommand({}))).TableNames, []);
  assert.equal((await controlPost(kumo.endpoint, '/kumo/reset/nosuchservice')).status, 404);
  for (const path of ['/kumo/reset', '/_localstack/state/reset', '/moto-api/reset']) {
    await table(`reset-all-${path.length}`);
    r = await controlPost(kumo.endpoint, path);
    assert.equal(r.status, 200, path);
    assert.deepEqual((await ddb.send(new ListTablesCommand({}))).TableNames, [], path);
  }
});

test('health: kumo and LocalStack-compatible', async () => {
  const h = (await (await fetch(`${kumo.endpoint}/kumo/health`)).json()) as any;
  assert.equal(h.seed, 'control-tests');
  assert.equal(h.dataDir, null);
  assert.equal(h.services.dynamodb.state, 'running');
  const ls = (await (await fetch(`${kumo.endpoint}/_localstack/health`)).json()) as any;
  assert.equal(ls.services.dynamodb, 'running');
});

test('snapshot save then load restores state in a running instance', async () => {
  await table('snap-me');
  const dir = join(scratch, 'snap1');
  assert.equal((await controlPost(kumo.endpoint, '/kumo/snapshot/save', { dir })).status, 200);
  await controlPost(kumo.endpoint, '/kumo/reset');
  assert.deepEqual((await ddb.send(new ListTablesCommand({}))).TableNames, []);
  assert.equal((await controlPost(kumo.endpoint, '/kumo/snapshot/load', { dir })).status, 200);
  const item = await ddb.send(new GetItemCommand({ TableName: 'snap-me', Key: { pk: { S: 'a' } } }));
  assert.equal(item.Item?.v?.S, 'snap-me');
});

test('a saved snapshot is a data dir another kumo starts from', async () => {
  await table('carry-over');
  const dir = join(scratch, 'snap2');
  assert.equal((await controlPost(kumo.endpoint, '/kumo/snapshot/save', { dir })).status, 200);
  const other = await startTestKumo({ dataDir: dir });
  try {
    const item = await new DynamoDBClient(clientConfig(other.endpoint)).send(new GetItemCommand({ TableName: 'carry-over', Key: { pk: { S: 'a' } } }));
    assert.equal(item.Item?.v?.S, 'carry-over');
  } finally {
    await other.stop();
  }
});

test('snapshot bad input: 4xx and the running state untouched', async () => {
  await table('untouched');
  const nonEmpty = join(scratch, 'nonempty');
  await mkdir(nonEmpty);
  await writeFile(join(nonEmpty, 'file.txt'), 'x');
  const notKumo = join(scratch, 'notkumo');
  await mkdir(notKumo);
  const cases: Array<[string, unknown]> = [
    ['/kumo/snapshot/save', { dir: nonEmpty }],
    ['/kumo/snapshot/save', {}],
    ['/kumo/snapshot/save', { dir: 42 }],
    ['/kumo/snapshot/load', { dir: join(scratch, 'does-not-exist') }],
    ['/kumo/snapshot/load', { dir: notKumo }],
    ['/kumo/snapshot/load', { dir: nonEmpty }],
  ];
  for (const [path, body] of cases) {
    const r = await controlPost(kumo.endpoint, path, body);
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.json)}`);
  }
  const item = await ddb.send(new GetItemCommand({ TableName: 'untouched', Key: { pk: { S: 'a' } } }));
  assert.equal(item.Item?.v?.S, 'untouched');
});

test('saving into the running instance\'s own data dir is refused', async () => {
  const dir = join(scratch, 'own');
  const durable = await startTestKumo({ dataDir: dir });
  try {
    const r = await controlPost(durable.endpoint, '/kumo/snapshot/save', { dir });
    assert.equal(r.status, 400);
    const inside = await controlPost(durable.endpoint, '/kumo/snapshot/save', { dir: join(dir, 'sub') });
    assert.equal(inside.status, 400);
    const h = (await (await fetch(`${durable.endpoint}/kumo/health`)).json()) as any;
    assert.equal(h.durability, 'fsync');
    assert.ok(h.dataDir);
  } finally {
    await durable.stop();
  }
});

test('a second live kumo on the same data dir is refused; a restart after stop is not', async () => {
  const dir = join(scratch, 'locked');
  const first = await startTestKumo({ dataDir: dir });
  await assert.rejects(startTestKumo({ dataDir: dir }), /lock|in use|another/i);
  await first.stop();
  const again = await startTestKumo({ dataDir: dir });
  await again.stop();
});
