import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INLINE_LIMIT_MS, THREAD_POOL_MS, WritePolicy } from '../../src/state/write-policy.ts';

test('fast writes stay on the event loop; one stall alone does not move them', () => {
  const policy = new WritePolicy();
  assert.equal(policy.inline(0), true);
  for (let t = 0; t < 100; t++) policy.tookInline(0.2, t);
  policy.tookInline(INLINE_LIMIT_MS * 4, 100);
  assert.equal(policy.inline(101), true);
});

test('a slow disk moves writes to the thread pool for a while, then tries inline again', () => {
  const policy = new WritePolicy();
  let t = 0;
  let inlineWrites = 0;
  while (policy.inline(t)) {
    policy.tookInline(INLINE_LIMIT_MS * 3, t);
    inlineWrites++;
    t += 1;
  }
  assert.ok(inlineWrites > 1 && inlineWrites < 10, `${inlineWrites} inline writes before switching`);
  assert.equal(policy.inline(t + THREAD_POOL_MS - 2), false);
  assert.equal(policy.inline(t + THREAD_POOL_MS), true);
  // Back inline, a still-slow disk switches again within a few writes.
  t += THREAD_POOL_MS;
  let again = 0;
  while (policy.inline(t)) {
    policy.tookInline(INLINE_LIMIT_MS * 3, t);
    again++;
  }
  assert.ok(again >= 1 && again < inlineWrites, `${again} inline writes after the retry`);
});
