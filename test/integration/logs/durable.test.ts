import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, GetLogEventsCommand, ListTagsForResourceCommand,
  PutLogEventsCommand, PutMetricFilterCommand, DescribeMetricFiltersCommand, PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { logsKit } from './setup.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('groups, tags, events, filters and the retention timer survive a restart', async () => {
  const first = await logsKit({ dataDir: dir, durability: 'process' });
  const t = await first.now();
  const { logs } = first;
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'keep', tags: { a: 'b' }, logGroupClass: 'INFREQUENT_ACCESS' }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'keep', retentionInDays: 1 }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'keep', logStreamName: 's' }));
  await logs.send(new PutLogEventsCommand({ logGroupName: 'keep', logStreamName: 's', logEvents: [
    { timestamp: t - 20 * 3_600_000, message: 'older' }, { timestamp: t - 1000, message: 'newer' },
  ] }));
  await logs.send(new PutMetricFilterCommand({ logGroupName: 'keep', filterName: 'f', filterPattern: 'x', metricTransformations: [{ metricName: 'm', metricNamespace: 'n', metricValue: '1' }] }));
  await first.close();

  const second = await logsKit({ dataDir: dir, durability: 'process' });
  try {
    const l2 = second.logs;
    const g = (await l2.send(new DescribeLogGroupsCommand({}))).logGroups![0]!;
    assert.deepEqual([g.logGroupName, g.retentionInDays, g.logGroupClass, g.metricFilterCount], ['keep', 1, 'INFREQUENT_ACCESS', 1]);
    assert.deepEqual((await l2.send(new ListTagsForResourceCommand({ resourceArn: g.logGroupArn! }))).tags, { a: 'b' });
    assert.equal((await l2.send(new DescribeMetricFiltersCommand({ logGroupName: 'keep' }))).metricFilters!.length, 1);
    const read = async () => (await l2.send(new GetLogEventsCommand({ logGroupName: 'keep', logStreamName: 's', startFromHead: true }))).events!.map((e) => e.message);
    const now = await second.now();
    // The second kumo starts with the real clock; its rebuilt sweep timer drops 'older' once it is a day old.
    const olderAge = now - (t - 20 * 3_600_000);
    assert.deepEqual(await read(), olderAge >= 86_400_000 ? ['newer'] : ['older', 'newer']);
    await second.advance(5 * 3_600_000);
    assert.deepEqual(await read(), ['newer']);
  } finally {
    await second.close();
  }
});
