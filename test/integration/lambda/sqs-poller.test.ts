import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateEventSourceMappingCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { QueueMessage } from '../../../src/services/lambda/sqs-batches.ts';
import { clientConfig } from '../../helpers/kumo.ts';
import { createNodeFunction, startLambda, type LambdaEnv } from './setup.ts';

/**
 * The poller reads queues through the sqs service's internal receiveMessages/deleteMessages.
 * Here an in-memory stand-in plays that contract, so the poller is tested on its own.
 */
let env: LambdaEnv;
let arn: string;
const pending: QueueMessage[] = [];
const deleted: string[] = [];
let inFlight: QueueMessage[] = [];

before(async () => {
  env = await startLambda();
  const sqs = new SQSClient(clientConfig(env.kumo.endpoint));
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'poller-source' }))).QueueUrl!;
  arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const internal = env.kumo.app.host.internal;
  internal.sqs = {
    ...internal.sqs,
    receiveMessages: ((_c: unknown, queueArn: string, max: number) => {
      assert.equal(queueArn, arn);
      inFlight = pending.splice(0, max);
      return inFlight;
    }) as never,
    deleteMessages: ((_c: unknown, _arn: string, handles: string[]) => {
      deleted.push(...handles);
    }) as never,
  };
});
after(() => env.kumo.stop());

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(25);
  assert.ok(check(), 'condition never became true');
}

test('batches go to the function; reported failures are kept; disabling stops polling', async () => {
  const { name } = await createNodeFunction(env, `exports.handler = async (event) => ({
    batchItemFailures: event.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })),
  });`);
  for (const id of ['m1', 'bad2', 'm3']) pending.push({ MessageId: id, ReceiptHandle: `h-${id}`, Body: id });
  const mapping = await env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arn, FunctionResponseTypes: ['ReportBatchItemFailures'] }));
  await until(() => deleted.length === 2);
  assert.deepEqual(deleted.sort(), ['h-m1', 'h-m3']);
  await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: false }));
  await sleep(700);
  pending.push({ MessageId: 'later', ReceiptHandle: 'h-later', Body: 'later' });
  await sleep(1200);
  assert.equal(pending.length, 1, 'a disabled mapping must not poll');
  await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: true }));
  await until(() => deleted.includes('h-later'));
});
