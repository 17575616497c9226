import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig } from '../../helpers/kumo.ts';
import { logsKit, type LogsKit } from './setup.ts';

let kit: LogsKit;
let cw: CloudWatchClient;
before(async () => {
  kit = await logsKit();
  cw = new CloudWatchClient(clientConfig(kit.kumo.endpoint));
  // Metric filters feed CloudWatch once it is loaded.
  await cw.send(new ListMetricsCommand({}));
});
after(async () => {
  cw.destroy();
  await kit.close();
});

test('metric filters turn matching events into CloudWatch datapoints', async () => {
  const { logs } = kit;
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'web' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'web', logStreamName: 's' }));
  await logs.send(new PutMetricFilterCommand({ logGroupName: 'web', filterName: 'errors', filterPattern: 'ERROR',
    metricTransformations: [{ metricName: 'ErrorCount', metricNamespace: 'Web', metricValue: '1', defaultValue: 0 }] }));
  await logs.send(new PutMetricFilterCommand({ logGroupName: 'web', filterName: 'latency', filterPattern: '{ $.ms > 0 }',
    metricTransformations: [{ metricName: 'Latency', metricNamespace: 'Web', metricValue: '$.ms', dimensions: { Path: '$.path' }, unit: 'Milliseconds' }] }));
  await logs.send(new PutMetricFilterCommand({ logGroupName: 'web', filterName: 'bytes', filterPattern: '[ip, status, bytes]',
    metricTransformations: [{ metricName: 'Bytes', metricNamespace: 'Web', metricValue: '$bytes' }] }));
  const t = await kit.now();
  await logs.send(new PutLogEventsCommand({ logGroupName: 'web', logStreamName: 's', logEvents: [
    { timestamp: t - 3000, message: 'ERROR one' },
    { timestamp: t - 2000, message: JSON.stringify({ path: '/a', ms: 12 }) },
    { timestamp: t - 1500, message: JSON.stringify({ path: '/a', ms: 30 }) },
    { timestamp: t - 1000, message: '1.2.3.4 200 512' },
    { timestamp: t - 500, message: 'ERROR two' },
  ] }));
  const range = { StartTime: new Date(t - 3_600_000), EndTime: new Date(t + 60_000), Period: 3600 };
  const errors = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Web', MetricName: 'ErrorCount', Statistics: ['Sum'], ...range }));
  assert.equal(errors.Datapoints!.reduce((s, d) => s + d.Sum!, 0), 2);
  const latency = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'Web', MetricName: 'Latency', Dimensions: [{ Name: 'Path', Value: '/a' }], Statistics: ['Average', 'SampleCount'], ...range,
  }));
  const dp = latency.Datapoints!.reduce((a, d) => ({ n: a.n + d.SampleCount!, sum: a.sum + d.Average! * d.SampleCount! }), { n: 0, sum: 0 });
  assert.deepEqual(dp, { n: 2, sum: 42 });
  assert.equal(latency.Datapoints![0]!.Unit, 'Milliseconds');
  const bytes = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Web', MetricName: 'Bytes', Statistics: ['Sum'], ...range }));
  assert.equal(bytes.Datapoints!.reduce((s, d) => s + d.Sum!, 0), 512);
  // defaultValue: a batch with no match still reports 0.
  await logs.send(new PutLogEventsCommand({ logGroupName: 'web', logStreamName: 's', logEvents: [{ timestamp: t, message: 'all good' }] }));
  const after = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Web', MetricName: 'ErrorCount', Statistics: ['SampleCount', 'Sum'], ...range }));
  assert.deepEqual(after.Datapoints!.reduce((a, d) => [a[0]! + d.SampleCount!, a[1]! + d.Sum!], [0, 0]), [3, 2]);
});
