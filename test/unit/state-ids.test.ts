import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIds } from '../../src/state/ids.ts';
import { open } from './state-helpers.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function sequence(seed: string): string[] {
  const ids = createIds(seed);
  return [ids.uuid(), ids.hex(7), ids.base64(10), ids.bytes(3).toString('hex'), ids.requestId(), ids.uuid()];
}

test('a seed makes every id reproducible; another seed gives another sequence', async () => {
  assert.deepEqual(sequence('kumo'), sequence('kumo'));
  assert.notDeepEqual(sequence('kumo'), sequence('kumo2'));
  const a = await open({ seed: 'engine' });
  const b = await open({ seed: 'engine' });
  assert.equal(a.ids.requestId(), b.ids.requestId());
  assert.equal(a.stats().seed, 'engine');
  await a.close();
  await b.close();
});

test('ids have the documented shapes, seeded or not', () => {
  for (const ids of [createIds(), createIds('x')]) {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const id = ids.uuid();
      assert.match(id, UUID_V4);
      seen.add(id);
    }
    assert.equal(seen.size, 1000);
    assert.match(ids.hex(16), /^[0-9a-f]{32}$/);
    assert.equal(Buffer.from(ids.base64(12), 'base64').length, 12);
    assert.equal(ids.bytes(5).length, 5);
    assert.equal(ids.bytes(0).length, 0);
    assert.match(ids.requestId(), UUID_V4);
  }
});

test('unseeded engines do not repeat each other', () => {
  assert.notEqual(createIds().uuid(), createIds().uuid());
});

test('seeded bytes look uniform (no stuck bits)', () => {
  const ids = createIds('uniform');
  const counts = new Array(256).fill(0);
  for (const b of ids.bytes(256 * 200)) counts[b]++;
  assert.ok(Math.min(...counts) > 120 && Math.max(...counts) < 290, `${Math.min(...counts)}..${Math.max(...counts)}`);
});
