import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { onFailureArtifact, startKumo, testNamespace, waitFor, WaitForTimeoutError, withSnapshot, workerId, type Kumo } from '../../../src/testing/index.ts';

describe('waitFor', () => {
  test('retries until the check passes, logging each reason', async () => {
    const lines: string[] = [];
    let n = 0;
    const value = await waitFor(() => {
      n++;
      if (n === 1) throw new Error('queue is empty');
      return n >= 3 ? { messages: n } : false;
    }, { backoff: 1, log: (l) => lines.push(l), description: 'a message' });
    assert.deepEqual(value, { messages: 3 });
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^waitFor\(a message\): attempt 1 threw queue is empty; retrying in 1 ms$/);
    assert.match(lines[1]!, /attempt 2 returned false/);
  });

  test('fails with the last observed state after the timeout', async () => {
    const err = await waitFor(() => undefined, { timeoutMs: 60, backoff: { initialMs: 5, factor: 2, maxMs: 20 }, log: false }).catch((e) => e);
    assert.ok(err instanceof WaitForTimeoutError);
    assert.match(err.message, /timed out after \d+ ms and \d+ attempts; last attempt returned undefined/);
    const thrown = await waitFor(() => { throw new Error('status CREATING'); }, { timeoutMs: 30, backoff: 5, log: false }).catch((e) => e);
    assert.match(thrown.message, /last attempt threw status CREATING/);
    assert.equal((thrown.cause as Error).message, 'status CREATING');
    assert.ok(thrown.attempts >= 2);
  });
});

test('testNamespace: stable, distinct per test, file and worker, valid in AWS names', () => {
  const a = testNamespace('creates an order', { worker: '1', file: 'a.test.ts' });
  assert.equal(a, testNamespace('creates an order', { worker: '1', file: 'a.test.ts' }));
  assert.notEqual(a, testNamespace('creates an order', { worker: '2', file: 'a.test.ts' }));
  assert.notEqual(a, testNamespace('creates an order', { worker: '1', file: 'b.test.ts' }));
  assert.notEqual(a, testNamespace('Creates an order!', { worker: '1', file: 'a.test.ts' }));
  const long = testNamespace('A very long test name: with PUNCTUATION and more than twenty characters');
  assert.match(long, /^[a-z0-9][a-z0-9-]{0,39}$/);
  assert.equal(workerId({ JEST_WORKER_ID: '3' }), '3');
  assert.equal(workerId({ VITEST_POOL_ID: '2' }), '2');
  assert.equal(workerId({ NODE_TEST_WORKER_ID: '4', JEST_WORKER_ID: '3' }), '4');
  assert.equal(workerId({}), '0');
});

describe('withSnapshot and onFailureArtifact', () => {
  let scratch: string;
  let base: Kumo;
  const sqs = (k: { clientConfig(): object }) => new SQSClient({ ...k.clientConfig(), maxAttempts: 1 });
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kumo-testing-'));
    base = await startKumo({ port: 0, logLevel: 'warn' });
    await sqs(base).send(new CreateQueueCommand({ QueueName: 'seeded' }));
    await base.snapshot.save(join(scratch, 'seed'));
  });
  after(async () => {
    await base.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  test('every scenario starts from the snapshot; the original is untouched; stop removes the copy', async () => {
    const before = await readdir(join(scratch, 'seed'), { recursive: true });
    const one = await withSnapshot(join(scratch, 'seed'), { logLevel: 'warn' });
    const copy = one.config.dataDir!;
    await sqs(one).send(new CreateQueueCommand({ QueueName: 'scenario-only' }));
    assert.equal((await sqs(one).send(new ListQueuesCommand({}))).QueueUrls!.length, 2);
    await one.stop();
    await assert.rejects(stat(copy), { code: 'ENOENT' });
    const two = await withSnapshot(join(scratch, 'seed'), { logLevel: 'warn' });
    assert.deepEqual((await sqs(two).send(new ListQueuesCommand({}))).QueueUrls!.map((u) => u.split('/').pop()), ['seeded']);
    await two.stop();
    assert.deepEqual(await readdir(join(scratch, 'seed'), { recursive: true }), before);
    await assert.rejects(withSnapshot(scratch), /not a kumo snapshot/);
  });

  test('a failing test saves a snapshot and a readable dump, reports it, and still fails', async () => {
    const notes: string[] = [];
    const wrapped = onFailureArtifact(() => base, join(scratch, 'artifacts'), async (_t: { name: string; diagnostic(m: string): void }) => {
      assert.fail('expected 2 messages');
    });
    await assert.rejects(wrapped({ name: 'order flow', diagnostic: (m) => notes.push(m) }), /expected 2 messages/);
    assert.equal(notes.length, 1);
    const folder = /saved to (.+)$/.exec(notes[0]!)![1]!;
    assert.match(folder, /artifacts\/order-flow-/);
    const dump = JSON.parse(await readFile(join(folder, 'state.json'), 'utf8'));
    assert.match(JSON.stringify(dump.services.sqs), /seeded/);
    assert.ok((await readdir(join(folder, 'snapshot'))).includes('kumo.json'));
    const passing = onFailureArtifact(base, join(scratch, 'none'), async () => undefined);
    await passing();
    await assert.rejects(stat(join(scratch, 'none')), { code: 'ENOENT' });
  });
});
