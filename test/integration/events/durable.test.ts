import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-events-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Clients {
  eb: EventBridgeClient;
  scheduler: SchedulerClient;
  sqs: SQSClient;
  kumo: Kumo;
}

async function withKumo<T>(fn: (c: Clients) => Promise<T>): Promise<T> {
  const kumo = await startTestKumo({ dataDir: dir, durability: 'process' });
  const c = {
    kumo, eb: new EventBridgeClient(clientConfig(kumo.endpoint)), scheduler: new SchedulerClient(clientConfig(kumo.endpoint)),
    sqs: new SQSClient(clientConfig(kumo.endpoint)),
  };
  try {
    assert.equal((await controlPost(kumo.endpoint, '/kumo/clock', { freeze: true })).status, 200);
    return await fn(c);
  } finally {
    c.eb.destroy();
    c.scheduler.destroy();
    c.sqs.destroy();
    await kumo.stop();
  }
}

async function receive(sqs: SQSClient, QueueUrl: string, count: number): Promise<Message[]> {
  const got: Message[] = [];
  for (let i = 0; i < 100 && got.length < count; i++) got.push(...((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? []));
  return got;
}

test('scheduled rules and schedules keep firing after a restart', async () => {
  const url = await withKumo(async ({ eb, scheduler, sqs }) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'ticks' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await eb.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(1 hour)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'tick', Targets: [{ Id: 'q', Arn: Attributes!.QueueArn!, Input: '"rule"' }] }));
    await scheduler.send(new CreateScheduleCommand({
      Name: 'tock', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: Attributes!.QueueArn!, RoleArn: 'arn:aws:iam::000000000000:role/r', Input: '"schedule"' },
    }));
    return QueueUrl!;
  });
  await withKumo(async ({ kumo, sqs }) => {
    assert.equal((await controlPost(kumo.endpoint, '/kumo/clock', { advance: 3_600_000 })).status, 200);
    const bodies = (await receive(sqs, url, 2)).map((m) => m.Body).sort();
    assert.deepEqual(bodies, ['"rule"', '"schedule"']);
  });
});
