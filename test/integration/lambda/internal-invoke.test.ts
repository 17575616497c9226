import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientConfig } from '../../helpers/kumo.ts';
import { createNodeFunction, startLambda, uniqueName, type LambdaEnv } from './setup.ts';

/** Other services invoke functions in-process: SNS subscriptions, EventBridge targets, rotation. */
let env: LambdaEnv;
let sqs: SQSClient;
before(async () => {
  env = await startLambda();
  sqs = new SQSClient(clientConfig(env.kumo.endpoint));
});
after(() => env.kumo.stop());

/** A function that forwards each event it gets to an SQS queue, through the SDK kumo runs beside. */
async function forwarder(queueUrl: string) {
  const { out } = await createNodeFunction(env, `
    const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
    const sqs = new SQSClient({});
    exports.handler = async (event) => { await sqs.send(new SendMessageCommand({ QueueUrl: ${JSON.stringify(queueUrl)}, MessageBody: JSON.stringify(event) })); return 'ok'; };
  `, { Timeout: 30 });
  return out.FunctionArn!;
}

async function sink() {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sink') }));
  return QueueUrl!;
}

async function nextEvent(queueUrl: string): Promise<any> {
  for (let i = 0; i < 6; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    if (r.Messages?.length) return JSON.parse(r.Messages[0]!.Body!);
  }
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
  assert.fail(`no event arrived: ${JSON.stringify(attrs.Attributes)}`);
}

test('an SNS subscription invokes the function with the SNS event', async () => {
  const queue = await sink();
  const fn = await forwarder(queue);
  const sns = new SNSClient(clientConfig(env.kumo.endpoint));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('topic') }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fn }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'hello lambda', Subject: 'greeting' }));
  const event = await nextEvent(queue);
  assert.equal(event.Records[0].EventSource, 'aws:sns');
  assert.equal(event.Records[0].Sns.Message, 'hello lambda');
  assert.equal(event.Records[0].Sns.TopicArn, TopicArn);
});

test('an EventBridge rule target invokes the function with the event', async () => {
  const queue = await sink();
  const fn = await forwarder(queue);
  const eb = new EventBridgeClient(clientConfig(env.kumo.endpoint));
  const rule = uniqueName('rule');
  await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['kumo.test'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'fn', Arn: fn }] }));
  await eb.send(new PutEventsCommand({ Entries: [{ Source: 'kumo.test', DetailType: 'order', Detail: JSON.stringify({ id: 7 }) }] }));
  const event = await nextEvent(queue);
  assert.equal(event.source, 'kumo.test');
  assert.deepEqual(event.detail, { id: 7 });
});

test('Secrets Manager rotation runs a real Node rotation function through its four steps', async () => {
  const { out } = await createNodeFunction(env, `
    const sm = require('@aws-sdk/client-secrets-manager');
    const client = new sm.SecretsManagerClient({});
    exports.handler = async ({ Step, SecretId, ClientRequestToken }) => {
      if (Step === 'createSecret') {
        await client.send(new sm.PutSecretValueCommand({ SecretId, ClientRequestToken, SecretString: 'rotated-' + ClientRequestToken, VersionStages: ['AWSPENDING'] }));
      } else if (Step === 'finishSecret') {
        const d = await client.send(new sm.DescribeSecretCommand({ SecretId }));
        const current = Object.entries(d.VersionIdsToStages).find(([, s]) => s.includes('AWSCURRENT'))[0];
        await client.send(new sm.UpdateSecretVersionStageCommand({ SecretId, VersionStage: 'AWSCURRENT', MoveToVersionId: ClientRequestToken, RemoveFromVersionId: current }));
      }
    };
  `, { Timeout: 30 });
  const secrets = new SecretsManagerClient(clientConfig(env.kumo.endpoint));
  const name = uniqueName('secret');
  await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'original' }));
  const rotated = await secrets.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: out.FunctionArn, RotationRules: { AutomaticallyAfterDays: 30 } }));
  const value = await secrets.send(new GetSecretValueCommand({ SecretId: name }));
  assert.equal(value.SecretString, `rotated-${rotated.VersionId}`);
  const previous = await secrets.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }));
  assert.equal(previous.SecretString, 'original');
});

test('a cron rotation schedule fires on the engine clock and runs the rotation function', async () => {
  const { out } = await createNodeFunction(env, `
    const sm = require('@aws-sdk/client-secrets-manager');
    const client = new sm.SecretsManagerClient({});
    exports.handler = async ({ Step, SecretId, ClientRequestToken }) => {
      if (Step === 'createSecret') {
        await client.send(new sm.PutSecretValueCommand({ SecretId, ClientRequestToken, SecretString: 'cron-rotated', VersionStages: ['AWSPENDING'] }));
      } else if (Step === 'finishSecret') {
        const d = await client.send(new sm.DescribeSecretCommand({ SecretId }));
        const current = Object.entries(d.VersionIdsToStages).find(([, s]) => s.includes('AWSCURRENT'))[0];
        await client.send(new sm.UpdateSecretVersionStageCommand({ SecretId, VersionStage: 'AWSCURRENT', MoveToVersionId: ClientRequestToken, RemoveFromVersionId: current }));
      }
    };
  `, { Timeout: 30 });
  const secrets = new SecretsManagerClient(clientConfig(env.kumo.endpoint));
  const name = uniqueName('cron-secret');
  await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'before' }));
  const clock = await fetch(`${env.kumo.endpoint}/kumo/clock`).then((r) => r.json()) as { now: string };
  const noon = new Date(clock.now);
  noon.setUTCHours(12, 0, 0, 0);
  if (noon.getTime() <= Date.parse(clock.now)) noon.setUTCDate(noon.getUTCDate() + 1);
  await secrets.send(new RotateSecretCommand({
    SecretId: name, RotationLambdaARN: out.FunctionArn, RotateImmediately: false, RotationRules: { ScheduleExpression: 'cron(0 12 * * ? *)' },
  }));
  const described = await secrets.send(new DescribeSecretCommand({ SecretId: name }));
  assert.equal(described.NextRotationDate?.getTime(), noon.getTime());
  assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'before');
  const advance = await fetch(`${env.kumo.endpoint}/kumo/clock`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: noon.getTime() - Date.parse(clock.now) + 60_000 }),
  });
  assert.equal(advance.status, 200);
  let value = '';
  for (let i = 0; i < 100 && value !== 'cron-rotated'; i++) {
    value = (await secrets.send(new GetSecretValueCommand({ SecretId: name }))).SecretString!;
    if (value !== 'cron-rotated') await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(value, 'cron-rotated');
});
