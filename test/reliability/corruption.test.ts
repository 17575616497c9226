import assert from 'node:assert/strict';
import { readdir, readFile, rm, stat, truncate, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { clientConfig } from '../helpers/kumo.ts';
import { spawnKumo } from '../helpers/process.ts';

/** Damaged data dirs: kumo recovers what is recoverable or refuses to start, never starts empty. */
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function seeded(items: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-corrupt-'));
  dirs.push(dir);
  const kumo = await spawnKumo(['--data-dir', dir]);
  const ddb = new DynamoDBClient(clientConfig(kumo.endpoint));
  await ddb.send(new CreateTableCommand({
    TableName: 'tbl', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  for (let i = 0; i < items; i++) await ddb.send(new PutItemCommand({ TableName: 'tbl', Item: { pk: { S: `k${i}` }, v: { S: 'v'.repeat(50) } } }));
  kumo.child.kill('SIGKILL');
  await kumo.exited;
  return dir;
}

async function journalOf(dir: string): Promise<string> {
  const files = (await readdir(join(dir, 'dynamodb'))).filter((f) => f.startsWith('journal-')).sort();
  assert.ok(files.length > 0, 'a journal exists');
  return join(dir, 'dynamodb', files.at(-1)!);
}

async function startFails(dir: string): Promise<string> {
  try {
    const k = await spawnKumo(['--data-dir', dir]);
    k.child.kill('SIGKILL');
    assert.fail('kumo started over damaged data');
  } catch (err) {
    return (err as Error).message;
  }
}

test('a torn tail (half a record) is truncated and everything before it is kept', async () => {
  const dir = await seeded(20);
  const journal = await journalOf(dir);
  const size = (await stat(journal)).size;
  await truncate(journal, size - 7);
  const kumo = await spawnKumo(['--data-dir', dir]);
  const ddb = new DynamoDBClient(clientConfig(kumo.endpoint));
  const first = await ddb.send(new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'k0' } } }));
  assert.ok(first.Item, 'early writes survive');
  const eighteenth = await ddb.send(new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'k18' } } }));
  assert.ok(eighteenth.Item, 'every complete record survives');
  kumo.child.kill('SIGTERM');
  assert.equal(await kumo.exited, 0);
});

test('a flipped byte in the middle of a journal refuses to start, naming file and offset', async () => {
  const dir = await seeded(20);
  const journal = await journalOf(dir);
  const bytes = await readFile(journal);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  await writeFile(journal, bytes);
  const message = await startFails(dir);
  assert.match(message, /journal-/);
  assert.match(message, /offset|byte/i);
});

test('an unreadable snapshot refuses to start', async () => {
  const dir = await seeded(5);
  const kumo = await spawnKumo(['--data-dir', dir]);
  const r = await fetch(`${kumo.endpoint}/kumo/health`);
  assert.equal(r.status, 200);
  kumo.child.kill('SIGTERM');
  await kumo.exited;
  const snapshots = (await readdir(join(dir, 'dynamodb'))).filter((f) => f.startsWith('snapshot-'));
  if (snapshots.length === 0) {
    // No compaction happened at this size: make one by saving a snapshot copy and damaging it.
    const src = await spawnKumo(['--data-dir', dir]);
    const copy = join(dir, '..', `${dir.split('/').at(-1)}-copy`);
    dirs.push(copy);
    const saved = await fetch(`${src.endpoint}/kumo/snapshot/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dir: copy }) });
    assert.equal(saved.status, 200);
    src.child.kill('SIGTERM');
    await src.exited;
    const snap = (await readdir(join(copy, 'dynamodb'))).find((f) => f.startsWith('snapshot-'))!;
    const bytes = await readFile(join(copy, 'dynamodb', snap));
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(join(copy, 'dynamodb', snap), bytes);
    assert.match(await startFails(copy), /snapshot/);
    return;
  }
  const file = join(dir, 'dynamodb', snapshots[0]!);
  const bytes = await readFile(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  await writeFile(file, bytes);
  assert.match(await startFails(dir), /snapshot/);
});

test('a manifest from a newer kumo format refuses to start', async () => {
  const dir = await seeded(1);
  const manifest = JSON.parse(await readFile(join(dir, 'kumo.json'), 'utf8'));
  manifest.format = 999;
  await writeFile(join(dir, 'kumo.json'), JSON.stringify(manifest));
  assert.match(await startFails(dir), /format|newer/i);
});
