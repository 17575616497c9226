import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, DescribeAlarmsForMetricCommand, DisableAlarmActionsCommand,
  ListTagsForResourceCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand, TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { cwKit, rejects, type CwKit } from './setup.ts';

const MIN = 60_000;
let kit: CwKit;
before(async () => { kit = await cwKit(); });
after(() => kit.close());

async function state(name: string, composite = false) {
  const res = await kit.cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: [composite ? 'CompositeAlarm' : 'MetricAlarm'] }));
  const a = composite ? res.CompositeAlarms![0]! : res.MetricAlarms![0]!;
  return a;
}

async function put(ns: string, value: number) {
  await kit.cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'm', Value: value }] }));
}

const alarm = (name: string, ns: string, extra: Record<string, unknown> = {}) => new PutMetricAlarmCommand({
  AlarmName: name, Namespace: ns, MetricName: 'm', Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 5,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold', ...extra,
});

test('a metric alarm goes INSUFFICIENT_DATA -> ALARM -> OK as periods pass', async () => {
  const { cw } = kit;
  await cw.send(alarm('high', 'A', { AlarmActions: ['arn:aws:sns:us-east-1:000000000000:topic'], Tags: [{ Key: 'k', Value: 'v' }] }));
  let a = await state('high');
  assert.equal(a.StateValue, 'INSUFFICIENT_DATA');
  assert.equal(a.StateReason, 'Unchecked: Initial alarm creation');
  assert.equal(a.AlarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high');
  await put('A', 7);
  await kit.advance(MIN);
  a = await state('high');
  assert.equal(a.StateValue, 'ALARM');
  assert.match(a.StateReason!, /^Threshold Crossed: 1 datapoint \[7\.0 \(.*\)\] was greater than or equal to the threshold \(5\.0\)\.$/);
  assert.equal(JSON.parse(a.StateReasonData!).threshold, 5);
  await put('A', 1);
  await kit.advance(MIN);
  assert.equal((await state('high')).StateValue, 'OK');
  // No data: missing -> INSUFFICIENT_DATA.
  await kit.advance(MIN);
  assert.equal((await state('high')).StateValue, 'INSUFFICIENT_DATA');
  const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'high', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
  assert.deepEqual(history.AlarmHistoryItems!.map((h) => h.HistorySummary), [
    'Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to OK', 'Alarm updated from OK to INSUFFICIENT_DATA',
  ]);
  const actions = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'high', HistoryItemType: 'Action' }));
  assert.equal(actions.AlarmHistoryItems!.length, 1);
  assert.match(actions.AlarmHistoryItems![0]!.HistorySummary!, /arn:aws:sns:us-east-1:000000000000:topic/);
  const config = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'high', HistoryItemType: 'ConfigurationUpdate' }));
  assert.equal(config.AlarmHistoryItems![0]!.HistorySummary, 'Alarm "high" created');
  assert.deepEqual((await cw.send(new ListTagsForResourceCommand({ ResourceARN: a.AlarmArn }))).Tags, [{ Key: 'k', Value: 'v' }]);
});

test('EvaluationPeriods and DatapointsToAlarm', async () => {
  const { cw } = kit;
  await cw.send(alarm('m-of-n', 'B', { EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' }));
  await put('B', 9);
  await kit.advance(MIN);
  assert.equal((await state('m-of-n')).StateValue, 'OK');
  await put('B', 9);
  await kit.advance(MIN);
  const a = await state('m-of-n');
  assert.equal(a.StateValue, 'ALARM');
  assert.match(a.StateReason!, /2 out of the last 3 datapoints .* were greater than or equal to the threshold \(5\.0\) \(minimum 2 datapoints for OK -> ALARM transition\)/);
  await kit.advance(2 * MIN);
  assert.equal((await state('m-of-n')).StateValue, 'OK');
});

test('TreatMissingData: breaching, notBreaching, ignore, missing', async () => {
  const { cw } = kit;
  await cw.send(alarm('tm-breaching', 'C', { TreatMissingData: 'breaching' }));
  await cw.send(alarm('tm-not', 'C', { TreatMissingData: 'notBreaching' }));
  await cw.send(alarm('tm-ignore', 'C', { TreatMissingData: 'ignore' }));
  await cw.send(alarm('tm-missing', 'C', { TreatMissingData: 'missing' }));
  await kit.advance(MIN);
  assert.equal((await state('tm-breaching')).StateValue, 'ALARM');
  assert.equal((await state('tm-not')).StateValue, 'OK');
  assert.equal((await state('tm-ignore')).StateValue, 'INSUFFICIENT_DATA');
  assert.equal((await state('tm-missing')).StateValue, 'INSUFFICIENT_DATA');
  await put('C', 1);
  await kit.advance(MIN);
  assert.equal((await state('tm-ignore')).StateValue, 'OK');
  await kit.advance(MIN);
  assert.equal((await state('tm-ignore')).StateValue, 'OK');
  assert.equal((await state('tm-breaching')).StateValue, 'ALARM');
});

test('LessThan operators, percentiles and metric math alarms', async () => {
  const { cw } = kit;
  await cw.send(alarm('low', 'D', { ComparisonOperator: 'LessThanThreshold', Statistic: undefined, ExtendedStatistic: 'p90', Threshold: 3 }));
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'math', EvaluationPeriods: 1, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold',
    Metrics: [
      { Id: 'a', ReturnData: false, MetricStat: { Metric: { Namespace: 'D', MetricName: 'm' }, Period: 60, Stat: 'Sum' } },
      { Id: 'pct', Expression: 'a * 10', ReturnData: true },
    ],
  }));
  await kit.cw.send(new PutMetricDataCommand({ Namespace: 'D', MetricData: [{ MetricName: 'm', Values: [1, 2], Counts: [9, 1] }] }));
  await kit.advance(MIN);
  assert.equal((await state('low')).StateValue, 'ALARM');
  assert.equal((await state('math')).StateValue, 'ALARM');
  const forMetric = await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: 'D', MetricName: 'm' }));
  assert.deepEqual(forMetric.MetricAlarms!.map((x) => x.AlarmName), ['low']);
});

test('composite alarms follow their children; SetAlarmState; actions toggles; deletes', async () => {
  const { cw } = kit;
  await cw.send(alarm('c1', 'E', { TreatMissingData: 'notBreaching' }));
  await cw.send(alarm('c2', 'E2', { TreatMissingData: 'notBreaching' }));
  await kit.advance(MIN);
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'both', AlarmRule: 'ALARM("c1") AND NOT OK(arn:aws:cloudwatch:us-east-1:000000000000:alarm:c2)' }));
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'either', AlarmRule: '(ALARM(c1) OR ALARM(c2))' }));
  assert.equal((await state('both', true)).StateValue, 'OK');
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'c1', StateValue: 'ALARM', StateReason: 'testing' }));
  assert.equal((await state('c1')).StateReason, 'testing');
  assert.equal((await state('either', true)).StateValue, 'ALARM');
  assert.equal((await state('both', true)).StateValue, 'OK');
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'c2', StateValue: 'ALARM', StateReason: 'testing' }));
  assert.equal((await state('both', true)).StateValue, 'ALARM');
  // The next evaluation puts the children back.
  await kit.advance(MIN);
  assert.equal((await state('c1')).StateValue, 'OK');
  assert.equal((await state('either', true)).StateValue, 'OK');
  const children = await cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'both' }));
  assert.deepEqual(children.MetricAlarms!.map((x) => x.AlarmName), ['c1', 'c2']);
  const parents = await cw.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'c1' }));
  assert.deepEqual(parents.CompositeAlarms!.map((x) => x.AlarmName), ['both', 'either']);
  await rejects(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'bad', AlarmRule: 'ALARM(c1) AND' })), 'InvalidParameterValueException', /Error in alarm rule/);
  await rejects(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'bad', AlarmRule: 'ALARM(ghost)' })), 'InvalidParameterValueException', /ghost/);
  await rejects(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['c1'] })), 'InvalidParameterValueException', /referenced by the composite alarm/);
  await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['c1'] }));
  assert.equal((await state('c1')).ActionsEnabled, false);
  await rejects(cw.send(new SetAlarmStateCommand({ AlarmName: 'c1', StateValue: 'ALARM', StateReason: 'x', StateReasonData: '{bad' })), 'InvalidFormatFault');
  await rejects(cw.send(new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'ALARM', StateReason: 'x' })), 'ResourceNotFound');
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['both', 'either', 'c1'] }));
  assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['c1'] }))).MetricAlarms!.length, 0);
  await cw.send(new TagResourceCommand({ ResourceARN: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:c2', Tags: [{ Key: 'a', Value: 'b' }] }));
});

test('describe filters and pagination; bad alarm input', async () => {
  const { cw } = kit;
  for (let i = 0; i < 5; i++) await cw.send(alarm(`page-${i}`, 'P'));
  const p1 = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 3 }));
  const p2 = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 3, NextToken: p1.NextToken }));
  assert.deepEqual([...p1.MetricAlarms!, ...p2.MetricAlarms!].map((a) => a.AlarmName), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  assert.equal((await cw.send(new DescribeAlarmsCommand({ StateValue: 'INSUFFICIENT_DATA', AlarmNamePrefix: 'page-' }))).MetricAlarms!.length, 5);
  await rejects(cw.send(alarm('x', 'P', { DatapointsToAlarm: 3 })), 'InvalidParameterValueException');
  await rejects(cw.send(alarm('x', 'P', { TreatMissingData: 'sometimes' })), 'InvalidParameterValueException');
  await rejects(cw.send(alarm('x', 'P', { Period: 7 })), 'InvalidParameterValueException');
  await rejects(cw.send(alarm('x', 'P', { Statistic: undefined })), 'InvalidParameterCombinationException');
  await rejects(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['ghost'] })), 'ResourceNotFound');
});
