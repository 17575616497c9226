import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateLogGroupCommand, DeleteDestinationCommand, DeleteMetricFilterCommand, DeleteResourcePolicyCommand, DescribeDestinationsCommand,
  DescribeLogGroupsCommand, DescribeMetricFiltersCommand, DescribeResourcePoliciesCommand,
  ListTagsForResourceCommand, PutDestinationCommand, PutDestinationPolicyCommand, PutMetricFilterCommand, PutResourcePolicyCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { logsKit, rejects, type LogsKit } from './setup.ts';

let kit: LogsKit;
before(async () => {
  kit = await logsKit();
  await kit.logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
});
after(() => kit.close());

test('metric filters: put, describe, delete, count on the group', async () => {
  const { logs } = kit;
  const transformation = { metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0 };
  await logs.send(new PutMetricFilterCommand({ logGroupName: 'g', filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [transformation] }));
  await logs.send(new PutMetricFilterCommand({ logGroupName: 'g', filterName: 'latency', filterPattern: '{ $.latency > 0 }',
    metricTransformations: [{ metricName: 'Latency', metricNamespace: 'App', metricValue: '$.latency', dimensions: { Path: '$.path' }, unit: 'Milliseconds' }] }));
  const all = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: 'g' }));
  assert.deepEqual(all.metricFilters!.map((f) => f.filterName), ['errors', 'latency']);
  assert.deepEqual(all.metricFilters![0]!.metricTransformations, [transformation]);
  const byMetric = await logs.send(new DescribeMetricFiltersCommand({ metricName: 'Latency', metricNamespace: 'App' }));
  assert.deepEqual(byMetric.metricFilters!.map((f) => f.filterName), ['latency']);
  assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'g' }))).logGroups![0]!.metricFilterCount, 2);
  await rejects(logs.send(new PutMetricFilterCommand({ logGroupName: 'g', filterName: 'bad', filterPattern: '{ $.x = ', metricTransformations: [transformation] })), 'InvalidParameterException');
  await rejects(logs.send(new PutMetricFilterCommand({ logGroupName: 'g', filterName: 'bad', filterPattern: 'x', metricTransformations: [{ ...transformation, metricValue: 'abc' }] })), 'InvalidParameterException');
  await rejects(logs.send(new DescribeMetricFiltersCommand({ metricName: 'Latency' })), 'InvalidParameterException');
  await logs.send(new DeleteMetricFilterCommand({ logGroupName: 'g', filterName: 'errors' }));
  await rejects(logs.send(new DeleteMetricFilterCommand({ logGroupName: 'g', filterName: 'errors' })), 'ResourceNotFoundException');
});

test('TestMetricFilter reports matches and extracted values', async () => {
  const res = await kit.logs.send(new TestMetricFilterCommand({
    filterPattern: '[ip, user, status = 4*, bytes]',
    logEventMessages: ['1.2.3.4 alice 404 100', '1.2.3.4 bob 200 50', '5.6.7.8 carol 403 7'],
  }));
  assert.deepEqual(res.matches, [
    { eventNumber: 1, eventMessage: '1.2.3.4 alice 404 100', extractedValues: { $ip: '1.2.3.4', $user: 'alice', $status: '404', $bytes: '100' } },
    { eventNumber: 3, eventMessage: '5.6.7.8 carol 403 7', extractedValues: { $ip: '5.6.7.8', $user: 'carol', $status: '403', $bytes: '7' } },
  ]);
});

test('resource policies', async () => {
  const { logs } = kit;
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [] });
  const put = await logs.send(new PutResourcePolicyCommand({ policyName: 'p', policyDocument: doc }));
  assert.equal(put.resourcePolicy!.policyName, 'p');
  assert.deepEqual((await logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies!.map((p) => p.policyDocument), [doc]);
  await rejects(logs.send(new PutResourcePolicyCommand({ policyName: 'q', policyDocument: '{nope' })), 'InvalidParameterException');
  await logs.send(new DeleteResourcePolicyCommand({ policyName: 'p' }));
  await rejects(logs.send(new DeleteResourcePolicyCommand({ policyName: 'p' })), 'ResourceNotFoundException');
});

test('destinations with policies and tags', async () => {
  const { logs } = kit;
  const put = await logs.send(new PutDestinationCommand({
    destinationName: 'dest', targetArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', roleArn: 'arn:aws:iam::000000000000:role/r', tags: { a: '1' },
  }));
  assert.equal(put.destination!.arn, 'arn:aws:logs:us-east-1:000000000000:destination:dest');
  await logs.send(new PutDestinationPolicyCommand({ destinationName: 'dest', accessPolicy: '{}' }));
  const d = (await logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: 'de' }))).destinations!;
  assert.deepEqual(d.map((x) => [x.destinationName, x.accessPolicy]), [['dest', '{}']]);
  assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: put.destination!.arn! }))).tags, { a: '1' });
  await logs.send(new DeleteDestinationCommand({ destinationName: 'dest' }));
  await rejects(logs.send(new DeleteDestinationCommand({ destinationName: 'dest' })), 'ResourceNotFoundException');
});
