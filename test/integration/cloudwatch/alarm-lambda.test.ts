import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeAlarmHistoryCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../helpers/kumo.ts';
import { makeZip } from '../../helpers/zip.ts';
import { cwKit, type CwKit } from './setup.ts';

let kit: CwKit;
let lambda: LambdaClient;
let sqs: SQSClient;
before(async () => {
  kit = await cwKit();
  lambda = new LambdaClient(clientConfig(kit.kumo.endpoint));
  sqs = new SQSClient(clientConfig(kit.kumo.endpoint));
});
after(async () => {
  lambda.destroy();
  sqs.destroy();
  await kit.close();
});

/** A function that forwards every event it receives to a queue, through the SDK. */
async function recorder(name: string): Promise<{ arn: string; url: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-seen` }));
  const source = `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.SEEN, MessageBody: JSON.stringify(event) }));
};`;
  const out = await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler',
    Code: { ZipFile: makeZip({ 'index.js': source }) }, Environment: { Variables: { SEEN: QueueUrl! } },
  }));
  return { arn: out.FunctionArn!, url: QueueUrl! };
}

async function received(url: string): Promise<any> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
  assert.equal(out.Messages?.length, 1, 'expected the function to have run once');
  return JSON.parse(out.Messages![0]!.Body!);
}

async function actionHistory(alarm: string): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const h = await kit.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: alarm, HistoryItemType: 'Action', ScanBy: 'TimestampAscending' }));
    if (h.AlarmHistoryItems?.length) return h.AlarmHistoryItems.map((x) => x.HistorySummary!);
    await sleep(20);
  }
  return [];
}

test('a metric alarm going to ALARM invokes its Lambda action with AWS\'s alarm event', async () => {
  const fn = await recorder('on-high');
  await kit.cw.send(new PutMetricAlarmCommand({
    AlarmName: 'high', AlarmDescription: 'too many', Namespace: 'App', MetricName: 'Errors', Statistic: 'Sum', Period: 60,
    EvaluationPeriods: 1, Threshold: 3, ComparisonOperator: 'GreaterThanThreshold', Unit: 'Count',
    Dimensions: [{ Name: 'Service', Value: 'api' }], AlarmActions: [fn.arn],
  }));
  await kit.cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 7, Unit: 'Count', Dimensions: [{ Name: 'Service', Value: 'api' }] }] }));
  await kit.advance(60_000);
  const event = await received(fn.url);
  assert.equal(event.source, 'aws.cloudwatch');
  assert.equal(event.alarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high');
  assert.equal(event.accountId, '000000000000');
  assert.equal(event.region, 'us-east-1');
  assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  assert.equal(event.alarmData.alarmName, 'high');
  assert.equal(event.alarmData.state.value, 'ALARM');
  assert.match(event.alarmData.state.reason, /^Threshold Crossed: 1 datapoint \[7\.0 /);
  assert.equal(JSON.parse(event.alarmData.state.reasonData).threshold, 3);
  assert.equal(event.alarmData.state.timestamp, event.time);
  assert.equal(event.alarmData.previousState.value, 'INSUFFICIENT_DATA');
  assert.deepEqual(event.alarmData.configuration.description, 'too many');
  const [metric] = event.alarmData.configuration.metrics;
  assert.equal(typeof metric.id, 'string');
  assert.deepEqual(metric.metricStat, { metric: { namespace: 'App', name: 'Errors', dimensions: { Service: 'api' } }, period: 60, stat: 'Sum', unit: 'Count' });
  assert.equal(metric.returnData, true);
  assert.deepEqual(await actionHistory('high'), [`Successfully executed action ${fn.arn}`]);
});

test('OK actions carry the previous ALARM state; metric math alarms list their queries', async () => {
  const fn = await recorder('on-ok');
  await kit.cw.send(new PutMetricAlarmCommand({
    AlarmName: 'math', EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', OKActions: [fn.arn],
    Metrics: [
      { Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency' }, Period: 60, Stat: 'Average' }, ReturnData: false },
      { Id: 'e1', Expression: 'm1 * 2', Label: 'doubled', ReturnData: true },
    ],
  }));
  await kit.cw.send(new SetAlarmStateCommand({ AlarmName: 'math', StateValue: 'ALARM', StateReason: 'forced' }));
  await kit.cw.send(new SetAlarmStateCommand({ AlarmName: 'math', StateValue: 'OK', StateReason: 'recovered' }));
  const event = await received(fn.url);
  assert.equal(event.alarmData.state.value, 'OK');
  assert.equal(event.alarmData.state.reason, 'recovered');
  assert.equal(event.alarmData.previousState.value, 'ALARM');
  assert.equal(event.alarmData.previousState.reason, 'forced');
  assert.deepEqual(event.alarmData.configuration.metrics, [
    { id: 'm1', metricStat: { metric: { namespace: 'App', name: 'Latency', dimensions: {} }, period: 60, stat: 'Average' }, returnData: false },
    { id: 'e1', expression: 'm1 * 2', label: 'doubled', returnData: true },
  ]);
});

test('a composite alarm\'s Lambda action carries its rule', async () => {
  const fn = await recorder('on-composite');
  await kit.cw.send(new PutMetricAlarmCommand({
    AlarmName: 'child', Namespace: 'App', MetricName: 'C', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
  }));
  await kit.cw.send(new PutCompositeAlarmCommand({ AlarmName: 'parent', AlarmRule: 'ALARM("child")', AlarmDescription: 'any child', AlarmActions: [fn.arn] }));
  await kit.cw.send(new SetAlarmStateCommand({ AlarmName: 'child', StateValue: 'ALARM', StateReason: 'forced' }));
  const event = await received(fn.url);
  assert.equal(event.alarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:parent');
  assert.equal(event.alarmData.state.value, 'ALARM');
  assert.deepEqual(event.alarmData.configuration, { alarmRule: 'ALARM("child")', description: 'any child' });
});

test('a Lambda action naming a missing function is recorded as failed', async () => {
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:not-there';
  await kit.cw.send(new PutMetricAlarmCommand({
    AlarmName: 'orphan', Namespace: 'App', MetricName: 'X', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [arn],
  }));
  await kit.cw.send(new SetAlarmStateCommand({ AlarmName: 'orphan', StateValue: 'ALARM', StateReason: 'forced' }));
  const [summary] = await actionHistory('orphan');
  assert.match(summary!, new RegExp(`^Failed to execute action ${arn.replace(/[$]/g, '\\$')}\\. Received error: ".*not-there.*"$`));
});
