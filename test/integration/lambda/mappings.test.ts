import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../helpers/kumo.ts';
import { createNodeFunction, startLambda, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
let sqs: SQSClient;
before(async () => {
  env = await startLambda();
  sqs = new SQSClient(clientConfig(env.kumo.endpoint));
});
after(() => env.kumo.stop());

async function queueArn(name: string): Promise<string> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
}

test('SQS event source mappings: create, get, update, list, delete', async () => {
  const arn = await queueArn('esm-source');
  const { name } = await createNodeFunction(env, 'exports.handler = async () => ({});');
  const created = await env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arn, FunctionResponseTypes: ['ReportBatchItemFailures'] }));
  assert.match(created.UUID!, /^[0-9a-f-]{36}$/);
  assert.equal(created.BatchSize, 10);
  assert.equal(created.State, 'Enabled');
  assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}`);
  assert.deepEqual(created.FunctionResponseTypes, ['ReportBatchItemFailures']);
  await assert.rejects(env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arn })), (e: any) => e.name === 'ResourceConflictException');
  const updated = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false, BatchSize: 5 }));
  assert.equal(updated.State, 'Disabled');
  assert.equal(updated.BatchSize, 5);
  assert.equal((await env.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State, 'Disabled');
  const listed = await env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name }));
  assert.deepEqual(listed.EventSourceMappings?.map((m) => m.UUID), [created.UUID]);
  await assert.rejects(env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 50 })), (e: any) => e.name === 'InvalidParameterValueException');
  await env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  await assert.rejects(env.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })), (e: any) => e.name === 'ResourceNotFoundException');
});

test('mappings from missing queues or unsupported sources are refused', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => ({});');
  await assert.rejects(env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:missing-queue' })), (e: any) =>
    e.name === 'InvalidParameterValueException' && e.message.includes('NonExistentQueue'));
  await assert.rejects(env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', StartingPosition: 'LATEST' })), (e: any) =>
    e.name === 'InvalidParameterValueException');
});
