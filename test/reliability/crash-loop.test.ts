import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { clientConfig } from '../helpers/kumo.ts';
import { spawnKumo } from '../helpers/process.ts';

/**
 * Write storms against a durable kumo, killed at random moments: after every restart, each
 * write that was acknowledged before the kill must be there. KUMO_CRASH_ROUNDS sets the
 * number of rounds (20 in `npm test`; the bench runs 100).
 */
const ROUNDS = Number(process.env.KUMO_CRASH_ROUNDS ?? 20);
const WRITERS = 8;
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function client(endpoint: string) {
  return new DynamoDBClient({ ...clientConfig(endpoint), requestHandler: { requestTimeout: 5000 } as never });
}

async function allKeys(ddb: DynamoDBClient): Promise<Set<string>> {
  const keys = new Set<string>();
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await ddb.send(new ScanCommand({ TableName: 'storm', ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) keys.add(item.pk!.S!);
    start = page.LastEvaluatedKey;
  } while (start);
  return keys;
}

/** Writers put `w<i>-<n>` in sequence until stopped; returns the acknowledged keys. */
function storm(ddb: DynamoDBClient, round: number) {
  const acked: string[] = [];
  let stop = false;
  const done = Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    for (let n = 0; !stop; n++) {
      const pk = `r${round}-w${w}-${n}`;
      try {
        await ddb.send(new PutItemCommand({ TableName: 'storm', Item: { pk: { S: pk }, n: { N: String(n) }, pad: { S: 'x'.repeat(200) } } }));
        acked.push(pk);
      } catch {
        return;
      }
    }
  }));
  return { acked, halt: async () => { stop = true; await done; } };
}

test(`kill -9 during a write storm loses no acknowledged write (${ROUNDS} rounds)`, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-crash-'));
  dirs.push(dir);
  const everAcked: string[] = [];
  let kumo = await spawnKumo(['--data-dir', dir]);
  await client(kumo.endpoint).send(new CreateTableCommand({
    TableName: 'storm', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  for (let round = 0; round < ROUNDS; round++) {
    const ddb = client(kumo.endpoint);
    const s = storm(ddb, round);
    await new Promise((r) => setTimeout(r, 30 + Math.floor(Math.random() * 250)));
    kumo.child.kill('SIGKILL');
    await kumo.exited;
    await s.halt();
    ddb.destroy();
    everAcked.push(...s.acked);
    kumo = await spawnKumo(['--data-dir', dir]);
    const present = await allKeys(client(kumo.endpoint));
    const missing = everAcked.filter((k) => !present.has(k));
    assert.deepEqual(missing, [], `round ${round}: acknowledged writes lost after kill -9`);
  }
  kumo.child.kill('SIGTERM');
  assert.equal(await kumo.exited, 0);
  assert.ok(everAcked.length > ROUNDS, `the storms wrote (${everAcked.length} acknowledged writes)`);
});

test('SIGTERM during a write storm: exit 0, every acknowledged write kept', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-term-'));
  dirs.push(dir);
  let kumo = await spawnKumo(['--data-dir', dir]);
  const ddb = client(kumo.endpoint);
  await ddb.send(new CreateTableCommand({
    TableName: 'storm', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  const s = storm(ddb, 0);
  await new Promise((r) => setTimeout(r, 300));
  kumo.child.kill('SIGTERM');
  assert.equal(await kumo.exited, 0, kumo.stderr());
  await s.halt();
  ddb.destroy();
  kumo = await spawnKumo(['--data-dir', dir]);
  const present = await allKeys(client(kumo.endpoint));
  assert.deepEqual(s.acked.filter((k) => !present.has(k)), []);
  kumo.child.kill('SIGTERM');
  assert.equal(await kumo.exited, 0);
});

test('snapshot save during a write storm: the copy starts and holds a consistent prefix', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-snapsrc-'));
  const copy = join(await mkdtemp(join(tmpdir(), 'kumo-snapdst-')), 'copy');
  dirs.push(dir, join(copy, '..'));
  const kumo = await spawnKumo(['--data-dir', dir]);
  const ddb = client(kumo.endpoint);
  await ddb.send(new CreateTableCommand({
    TableName: 'storm', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  const s = storm(ddb, 0);
  await new Promise((r) => setTimeout(r, 200));
  const ackedBefore = [...s.acked];
  const res = await fetch(`${kumo.endpoint}/kumo/snapshot/save`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dir: copy }),
  });
  assert.equal(res.status, 200, await res.text());
  await new Promise((r) => setTimeout(r, 100));
  await s.halt();
  kumo.child.kill('SIGTERM');
  await kumo.exited;

  const restored = await spawnKumo(['--data-dir', copy]);
  const present = await allKeys(client(restored.endpoint));
  assert.deepEqual(ackedBefore.filter((k) => !present.has(k)), [], 'writes acknowledged before the save are in the copy');
  for (let w = 0; w < WRITERS; w++) {
    const ns = [...present].filter((k) => k.startsWith(`r0-w${w}-`)).map((k) => Number(k.split('-')[2])).sort((a, b) => a - b);
    ns.forEach((n, i) => assert.equal(n, i, `writer ${w}: the copy holds a prefix of its writes`));
  }
  restored.child.kill('SIGTERM');
  assert.equal(await restored.exited, 0);
});
