import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetDashboardCommand, GetMetricStatisticsCommand, PutDashboardCommand, PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { cwKit } from './setup.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-cw-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('metrics, alarms (with their evaluation timers), history and dashboards survive a restart', async () => {
  const first = await cwKit({ dataDir: dir, durability: 'process' });
  const t = await first.now();
  await first.cw.send(new PutMetricDataCommand({ Namespace: 'Keep', MetricData: [{ MetricName: 'm', Value: 3, Timestamp: new Date(t - 1000) }] }));
  await first.cw.send(new PutMetricAlarmCommand({
    AlarmName: 'keep', Namespace: 'Keep', MetricName: 'm', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 10,
    ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }));
  await first.cw.send(new PutDashboardCommand({ DashboardName: 'd', DashboardBody: '{"widgets":[]}' }));
  await first.close();

  // Not moved back to the first run's hour: the alarm's timer was rebuilt on the clock as it was at startup.
  const second = await cwKit({ dataDir: dir, durability: 'process' }, false);
  try {
    const { cw } = second;
    const stats = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'Keep', MetricName: 'm', Statistics: ['Sum'], Period: 60, StartTime: new Date(t - 3_600_000), EndTime: new Date(t + 60_000),
    }));
    assert.equal(stats.Datapoints![0]!.Sum, 3);
    assert.equal((await cw.send(new GetDashboardCommand({ DashboardName: 'd' }))).DashboardBody, '{"widgets":[]}');
    await cw.send(new PutMetricDataCommand({ Namespace: 'Keep', MetricData: [{ MetricName: 'm', Value: 50 }] }));
    await second.advance(60_000);
    const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['keep'] }))).MetricAlarms![0]!;
    assert.equal(a.StateValue, 'ALARM');
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'keep' }));
    assert.ok(history.AlarmHistoryItems!.some((h) => h.HistorySummary === 'Alarm "keep" created'));
  } finally {
    await second.close();
  }
});
