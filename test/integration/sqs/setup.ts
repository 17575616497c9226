import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

export interface SqsHarness {
  kumo: Kumo;
  sqs: SQSClient;
  /** A queue name no other test of the file uses. */
  name(prefix?: string): string;
  /** Freezes kumo's clock so that only advance() moves it. */
  freeze(): Promise<void>;
  advance(ms: number): Promise<void>;
  /** Resolves once `count` ReceiveMessage calls are parked in a long poll on the queue. */
  waitingReceives(queueUrl: string, count?: number): Promise<void>;
  peek(queueUrl: string): Promise<any>;
}

/** One kumo and one SQS client per test file; the clock is frozen so that timing is explicit. */
export function sqsHarness(): SqsHarness {
  let n = 0;
  const h = {
    name: (prefix = 'q') => `${prefix}-${++n}`,
    freeze: async () => {
      const res = await controlPost(h.kumo.endpoint, '/kumo/clock', { freeze: true });
      assert.equal(res.status, 200);
    },
    advance: async (ms: number) => {
      const res = await controlPost(h.kumo.endpoint, '/kumo/clock', { advance: ms });
      assert.equal(res.status, 200);
    },
    peek: async (queueUrl: string) => {
      const res = await fetch(`${h.kumo.endpoint}/kumo/sqs/messages?QueueUrl=${encodeURIComponent(queueUrl)}`);
      assert.equal(res.status, 200);
      return res.json();
    },
    waitingReceives: async (queueUrl: string, count = 1) => {
      for (let i = 0; i < 500; i++) {
        if ((await h.peek(queueUrl)).WaitingReceives >= count) return;
        await new Promise((r) => setImmediate(r));
      }
      assert.fail('no receive is waiting on the queue');
    },
  } as SqsHarness;
  before(async () => {
    h.kumo = await startTestKumo();
    h.sqs = new SQSClient(clientConfig(h.kumo.endpoint));
    await h.freeze();
  });
  after(async () => {
    h.sqs.destroy();
    await h.kumo.stop();
  });
  return h;
}

export interface ExpectedError {
  name: string;
  /** The query-compatible code SDKs surface as `Code`. */
  code?: string;
  message?: string | RegExp;
  status?: number;
}

export async function rejects(p: Promise<unknown>, expected: ExpectedError): Promise<void> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, expected.name, `error name (message: ${e.message})`);
    if (expected.code !== undefined) assert.equal(e.Code, expected.code);
    if (typeof expected.message === 'string') assert.equal(e.message, expected.message);
    else if (expected.message) assert.match(e.message, expected.message);
    if (expected.status !== undefined) assert.equal(e.$metadata?.httpStatusCode, expected.status);
    return;
  }
  assert.fail(`expected ${expected.name}`);
}
