import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

export interface EventsHarness {
  kumo: Kumo;
  eb: EventBridgeClient;
  sqs: SQSClient;
  sns: SNSClient;
  name(prefix?: string): string;
  advance(ms: number): Promise<void>;
  queue(name: string, fifo?: boolean): Promise<{ url: string; arn: string }>;
  /** Receives (and deletes) until `count` messages arrived or `tries` receives came back empty-handed. */
  receive(queueUrl: string, count: number, tries?: number): Promise<Message[]>;
}

export function eventsHarness(): EventsHarness {
  let n = 0;
  const h = {
    name: (prefix = 'r') => `${prefix}-${++n}`,
    advance: async (ms: number) => {
      assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { advance: ms })).status, 200);
    },
    queue: async (name: string, fifo = false) => {
      const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: name, ...(fifo ? { Attributes: { FifoQueue: 'true' } } : {}) }));
      const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      return { url: QueueUrl!, arn: Attributes!.QueueArn! };
    },
    receive: async (queueUrl: string, count: number, tries = 200) => {
      const got: Message[] = [];
      for (let i = 0; i < tries && got.length < count; i++) {
        const { Messages } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
        for (const m of Messages ?? []) {
          got.push(m);
          await h.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
      }
      return got;
    },
  } as EventsHarness;
  before(async () => {
    h.kumo = await startTestKumo();
    h.eb = new EventBridgeClient(clientConfig(h.kumo.endpoint));
    h.sqs = new SQSClient(clientConfig(h.kumo.endpoint));
    h.sns = new SNSClient(clientConfig(h.kumo.endpoint));
    assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { freeze: true })).status, 200);
  });
  after(async () => {
    h.eb.destroy();
    h.sqs.destroy();
    h.sns.destroy();
    await h.kumo.stop();
  });
  return h;
}
