import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfirmSubscriptionCommand, CreateTopicCommand, GetTopicAttributesCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';
import { httpEndpoint } from './setup.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-sns-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function withKumo<T>(fn: (sns: SNSClient, kumo: Kumo) => Promise<T>): Promise<T> {
  const kumo = await startTestKumo({ dataDir: dir, durability: 'process' });
  const sns = new SNSClient(clientConfig(kumo.endpoint));
  try {
    assert.equal((await controlPost(kumo.endpoint, '/kumo/clock', { freeze: true })).status, 200);
    return await fn(sns, kumo);
  } finally {
    sns.destroy();
    await kumo.stop();
  }
}

async function pending(kumo: Kumo): Promise<Array<{ attempts: number }>> {
  return ((await (await fetch(`${kumo.endpoint}/kumo/sns/deliveries`)).json()) as { pending: Array<{ attempts: number }> }).pending;
}

test('topics, subscriptions and pending HTTP retries survive a restart', async () => {
  let status = 200;
  const ep = await httpEndpoint(() => status);
  try {
    const topicArn = await withKumo(async (sns, kumo) => {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'durable' }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: ep.url }));
      const [conf] = await ep.next(1);
      await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: JSON.parse(conf!.body).Token }));
      status = 503;
      await sns.send(new PublishCommand({ TopicArn, Message: 'survives' }));
      await ep.next(2);
      while ((await pending(kumo))[0]?.attempts !== 1) await new Promise((r) => setImmediate(r));
      return TopicArn!;
    });
    status = 200;
    await withKumo(async (sns, kumo) => {
      const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
      assert.equal(Attributes!.SubscriptionsConfirmed, '1');
      assert.equal((await pending(kumo)).length, 1);
      assert.equal((await controlPost(kumo.endpoint, '/kumo/clock', { advance: 20_000 })).status, 200);
      const got = await ep.next(3);
      assert.equal(JSON.parse(got[2]!.body).Message, 'survives');
    });
  } finally {
    await ep.close();
  }
});
