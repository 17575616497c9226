import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

export interface SnsHarness {
  kumo: Kumo;
  sns: SNSClient;
  sqs: SQSClient;
  name(prefix?: string): string;
  advance(ms: number): Promise<void>;
  /** Receives until `count` messages arrived (deliveries run on the engine scheduler, just after the publish). */
  receive(queueUrl: string, count: number, tries?: number): Promise<Message[]>;
  inspect(route: string, query?: Record<string, string>): Promise<any>;
}

export function snsHarness(): SnsHarness {
  let n = 0;
  const h = {
    name: (prefix = 't') => `${prefix}-${++n}`,
    advance: async (ms: number) => {
      assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { advance: ms })).status, 200);
    },
    receive: async (queueUrl: string, count: number, tries = 200) => {
      const got: Message[] = [];
      for (let i = 0; i < tries && got.length < count; i++) {
        const { Messages } = await h.sqs.send(new ReceiveMessageCommand({
          QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
        }));
        got.push(...(Messages ?? []));
      }
      return got;
    },
    inspect: async (route: string, query: Record<string, string> = {}) => {
      const res = await fetch(`${h.kumo.endpoint}/kumo/sns/${route}?${new URLSearchParams(query)}`);
      assert.equal(res.status, 200);
      return res.json();
    },
  } as SnsHarness;
  before(async () => {
    h.kumo = await startTestKumo();
    h.sns = new SNSClient(clientConfig(h.kumo.endpoint));
    h.sqs = new SQSClient(clientConfig(h.kumo.endpoint));
    assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { freeze: true })).status, 200);
  });
  after(async () => {
    h.sns.destroy();
    h.sqs.destroy();
    await h.kumo.stop();
  });
  return h;
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP endpoint that records what it is sent and answers `status()` (and `body`, if given). */
export async function httpEndpoint(status: () => number = () => 200, body = '') {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status();
      res.end(body);
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    async next(count: number): Promise<Received[]> {
      while (received.length < count) await new Promise<void>((r) => waiters.push(r));
      return received;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
