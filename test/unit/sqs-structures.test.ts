import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentDedupId, sequenceNumber } from '../../src/services/sqs/fifo.ts';
import { Deque, TimeHeap, TupleDeque } from '../../src/services/sqs/structures.ts';

test('TupleDeque keeps FIFO order across growth and wrap-around', () => {
  const d = new TupleDeque(2, 2);
  let next = 0;
  let expect = 0;
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 7; i++, next++) d.push(next, next * 10);
    for (let i = 0; i < 5; i++, expect++) {
      assert.equal(d.get(0, 0), expect);
      assert.equal(d.get(0, 1), expect * 10);
      d.shift();
    }
  }
  assert.equal(d.length, next - expect);
  assert.equal(d.get(d.length - 1, 0), next - 1);
  d.clear();
  assert.equal(d.length, 0);
});

test('Deque shifts in order and compacts', () => {
  const d = new Deque<number>();
  for (let i = 0; i < 5000; i++) d.push(i);
  for (let i = 0; i < 4000; i++) assert.equal(d.shift(), i);
  assert.equal(d.length, 1000);
  assert.equal(d.peek(), 4000);
  d.clear();
  assert.equal(d.shift(), undefined);
});

test('TimeHeap pops by time, then sequence', () => {
  const h = new TimeHeap();
  const items: Array<[number, number, number]> = [];
  for (let i = 0; i < 500; i++) items.push([(i * 7919) % 97, i, i % 3]);
  for (const [at, seq, gen] of items) h.push(at, seq, gen);
  items.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [at, seq, gen] of items) {
    assert.equal(h.top, at);
    assert.equal(h.topSeq(), seq);
    assert.equal(h.topGen(), gen);
    h.pop();
  }
  assert.equal(h.top, Infinity);
});

test('FIFO sequence numbers and content-based deduplication ids', () => {
  assert.equal(sequenceNumber(0), '10000000000000000000');
  assert.equal(sequenceNumber(123), '10000000000000000123');
  assert.equal(contentDedupId('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
