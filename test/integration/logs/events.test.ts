import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogStreamCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand,
  FilterLogEventsCommand, GetLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { logsKit, rejects, type LogsKit } from './setup.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let kit: LogsKit;
before(async () => { kit = await logsKit(); });
after(() => kit.close());

async function group(name: string, streams: string[]) {
  await kit.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  for (const s of streams) await kit.logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: s }));
}

test('streams: describe by name or last event time, prefix, descending, pagination, delete', async () => {
  const { logs } = kit;
  await group('streams', ['b', 'a', 'c']);
  const t = await kit.now();
  await logs.send(new PutLogEventsCommand({ logGroupName: 'streams', logStreamName: 'c', logEvents: [{ timestamp: t - 3000, message: 'c' }] }));
  await logs.send(new PutLogEventsCommand({ logGroupName: 'streams', logStreamName: 'a', logEvents: [{ timestamp: t - 1000, message: 'a' }] }));
  await logs.send(new PutLogEventsCommand({ logGroupName: 'streams', logStreamName: 'b', logEvents: [{ timestamp: t - 2000, message: 'b' }] }));
  const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams' }));
  assert.deepEqual(byName.logStreams!.map((s) => s.logStreamName), ['a', 'b', 'c']);
  const a = byName.logStreams![0]!;
  assert.equal(a.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:streams:log-stream:a');
  assert.equal(a.firstEventTimestamp, t - 1000);
  assert.equal(a.lastEventTimestamp, t - 1000);
  assert.equal(a.lastIngestionTime, t);
  const byTime = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', orderBy: 'LastEventTime', descending: true }));
  assert.deepEqual(byTime.logStreams!.map((s) => s.logStreamName), ['a', 'b', 'c']);
  const asc = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', orderBy: 'LastEventTime' }));
  assert.deepEqual(asc.logStreams!.map((s) => s.logStreamName), ['c', 'b', 'a']);
  const p1 = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: 'streams', limit: 2 }));
  const p2 = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: 'streams', limit: 2, nextToken: p1.nextToken }));
  assert.deepEqual([...p1.logStreams!, ...p2.logStreams!].map((s) => s.logStreamName), ['a', 'b', 'c']);
  assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', logStreamNamePrefix: 'b' }))).logStreams!.map((s) => s.logStreamName), ['b']);
  await rejects(logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', logStreamNamePrefix: 'b', orderBy: 'LastEventTime' })), 'InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
  await rejects(logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 'a' })), 'ResourceAlreadyExistsException', 'The specified log stream already exists');
  await logs.send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 'c' }));
  await rejects(logs.send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 'c' })), 'ResourceNotFoundException', 'The specified log stream does not exist.');
  const g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'streams' }))).logGroups![0]!;
  assert.equal(g.storedBytes, 2);
});

test('PutLogEvents batch rules', async () => {
  const { logs } = kit;
  await group('rules', ['s']);
  const t = await kit.now();
  const put = (logEvents: Array<{ timestamp: number; message: string }>, logStreamName = 's') =>
    logs.send(new PutLogEventsCommand({ logGroupName: 'rules', logStreamName, logEvents, sequenceToken: 'ignored' }));
  await rejects(put([{ timestamp: t, message: 'b' }, { timestamp: t - 1, message: 'a' }]), 'InvalidParameterException',
    'Log events in a single PutLogEvents request must be in chronological order.');
  await rejects(put([{ timestamp: t - DAY - 1, message: 'a' }, { timestamp: t, message: 'b' }]), 'InvalidParameterException',
    'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  const big = 'x'.repeat(1024 * 1024 - 26);
  await put([{ timestamp: t, message: big }]);
  await rejects(put([{ timestamp: t, message: big }, { timestamp: t, message: 'y' }]), 'InvalidParameterException', /Upload too large/);
  const many = Array.from({ length: 10_001 }, () => ({ timestamp: t, message: 'm' }));
  await rejects(put(many), 'InvalidParameterException', /length less than or equal to 10000/);
  await rejects(put([]), 'InvalidParameterException');
  await rejects(put([{ timestamp: t, message: 'x' }], 'missing'), 'ResourceNotFoundException', 'The specified log stream does not exist.');

  await logs.send(new CreateLogStreamCommand({ logGroupName: 'rules', logStreamName: 'edges' }));
  const old = t - 14 * DAY - HOUR;
  const res = await put([
    { timestamp: old, message: 'too old' },
    { timestamp: old + 1, message: 'too old too' },
    { timestamp: t - 14 * DAY + HOUR, message: 'ok (13 days old)' },
  ], 'edges');
  assert.deepEqual(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
  await put([{ timestamp: t + HOUR, message: 'ok (1h ahead)' }], 'edges');
  assert.match(res.nextSequenceToken!, /^\d+$/);
  const newer = await put([{ timestamp: t, message: 'now' }, { timestamp: t + 3 * HOUR, message: 'too new' }, { timestamp: t + 4 * HOUR, message: 'too new' }], 'edges');
  assert.deepEqual(newer.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 1 });
  const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'rules', logStreamName: 'edges', startFromHead: true }));
  assert.deepEqual(got.events!.map((e) => e.message), ['ok (13 days old)', 'now', 'ok (1h ahead)']);

  await logs.send(new CreateLogGroupCommand({ logGroupName: 'short' }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'short', retentionInDays: 1 }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'short', logStreamName: 's' }));
  const expired = await logs.send(new PutLogEventsCommand({ logGroupName: 'short', logStreamName: 's', logEvents: [
    { timestamp: t - DAY - HOUR, message: 'expired' }, { timestamp: t - 2 * HOUR, message: 'fresh' },
  ] }));
  assert.deepEqual(expired.rejectedLogEventsInfo, { expiredLogEventEndIndex: 0 });
});

test('GetLogEvents: head, tail, forward and backward tokens, same token at the end', async () => {
  const { logs } = kit;
  await group('paging', ['s', 'empty']);
  const t = await kit.now() - 100_000;
  await logs.send(new PutLogEventsCommand({ logGroupName: 'paging', logStreamName: 's',
    logEvents: Array.from({ length: 10 }, (_, i) => ({ timestamp: t + i * 1000, message: `e${i}` })) }));
  const get = (o: { nextToken?: string; startFromHead?: boolean; limit?: number; startTime?: number; endTime?: number }) =>
    logs.send(new GetLogEventsCommand({ logGroupName: 'paging', logStreamName: 's', ...o }));
  const tail = await get({ limit: 3 });
  assert.deepEqual(tail.events!.map((e) => e.message), ['e7', 'e8', 'e9']);
  assert.match(tail.nextForwardToken!, /^f\/\d{56}$/);
  assert.match(tail.nextBackwardToken!, /^b\/\d{56}$/);
  const back = await get({ limit: 3, nextToken: tail.nextBackwardToken });
  assert.deepEqual(back.events!.map((e) => e.message), ['e4', 'e5', 'e6']);
  const end = await get({ nextToken: tail.nextForwardToken });
  assert.deepEqual(end.events, []);
  assert.equal(end.nextForwardToken, tail.nextForwardToken);

  const head = await get({ startFromHead: true, limit: 4 });
  assert.deepEqual(head.events!.map((e) => e.message), ['e0', 'e1', 'e2', 'e3']);
  assert.equal(head.events![0]!.timestamp, t);
  assert.equal(typeof head.events![0]!.ingestionTime, 'number');
  const next = await get({ limit: 4, nextToken: head.nextForwardToken });
  assert.deepEqual(next.events!.map((e) => e.message), ['e4', 'e5', 'e6', 'e7']);
  const last = await get({ limit: 4, nextToken: next.nextForwardToken });
  assert.deepEqual(last.events!.map((e) => e.message), ['e8', 'e9']);
  const after = await get({ limit: 4, nextToken: last.nextForwardToken });
  assert.deepEqual(after.events, []);
  assert.equal(after.nextForwardToken, last.nextForwardToken);
  // Events appended later are picked up from the same token.
  await logs.send(new PutLogEventsCommand({ logGroupName: 'paging', logStreamName: 's', logEvents: [{ timestamp: t + 20_000, message: 'late' }] }));
  assert.deepEqual((await get({ nextToken: after.nextForwardToken })).events!.map((e) => e.message), ['late']);
  const begin = await get({ limit: 4, nextToken: head.nextBackwardToken });
  assert.deepEqual(begin.events, []);
  assert.equal(begin.nextBackwardToken, head.nextBackwardToken);

  const window = await get({ startFromHead: true, startTime: t + 2000, endTime: t + 5000 });
  assert.deepEqual(window.events!.map((e) => e.message), ['e2', 'e3', 'e4']);
  const empty = await logs.send(new GetLogEventsCommand({ logGroupName: 'paging', logStreamName: 'empty' }));
  assert.deepEqual(empty.events, []);
  assert.match(empty.nextForwardToken!, /^f\//);
  await rejects(get({ nextToken: 'x/123' }), 'InvalidParameterException', 'The specified nextToken is invalid.');
  await rejects(logs.send(new GetLogEventsCommand({ logGroupName: 'paging', logStreamName: 'missing' })), 'ResourceNotFoundException');
});

test('FilterLogEvents: interleaved streams, patterns, time window, pagination', async () => {
  const { logs } = kit;
  await group('filter', ['web-1', 'web-2', 'db']);
  const t = await kit.now() - 60_000;
  const put = (s: string, events: Array<[number, string]>) =>
    logs.send(new PutLogEventsCommand({ logGroupName: 'filter', logStreamName: s, logEvents: events.map(([d, message]) => ({ timestamp: t + d, message })) }));
  await put('web-1', [[0, 'INFO start'], [20, '[ERROR] Caught IllegalArgumentException'], [40, JSON.stringify({ status: 500, user: { id: 'u1' } })]]);
  await put('web-2', [[10, 'WARN slow'], [30, '[ERROR] timeout'], [50, JSON.stringify({ status: 200, user: { id: 'u2' } })]]);
  await put('db', [[15, '10.0.0.1 - alice "GET /x" 404 512'], [35, '10.0.0.2 - bob "GET /y" 200 2048']]);
  const f = (o: Record<string, unknown>) => logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', ...o }));
  const all = await f({});
  assert.deepEqual(all.events!.map((e) => e.timestamp! - t), [0, 10, 15, 20, 30, 35, 40, 50]);
  assert.deepEqual(all.events!.map((e) => e.logStreamName), ['web-1', 'web-2', 'db', 'web-1', 'web-2', 'db', 'web-1', 'web-2']);
  assert.ok(all.events!.every((e) => /^\d{56}$/.test(e.eventId!)));
  assert.deepEqual((await f({ filterPattern: 'ERROR -Exception' })).events!.map((e) => e.message), ['[ERROR] timeout']);
  assert.deepEqual((await f({ filterPattern: '?WARN ?timeout' })).events!.map((e) => e.message), ['WARN slow', '[ERROR] timeout']);
  assert.deepEqual((await f({ filterPattern: '{ $.status >= 500 }' })).events!.map((e) => e.logStreamName), ['web-1']);
  assert.deepEqual((await f({ filterPattern: '{ $.user.id = "u*" && $.status = 200 }' })).events!.map((e) => e.logStreamName), ['web-2']);
  assert.deepEqual((await f({ filterPattern: '[ip, dash, user, request, status = 4*, bytes]' })).events!.map((e) => e.message), ['10.0.0.1 - alice "GET /x" 404 512']);
  assert.deepEqual((await f({ filterPattern: '[..., bytes > 1000]' })).events!.map((e) => e.timestamp! - t), [35]);
  assert.deepEqual((await f({ logStreamNames: ['db'], startTime: t + 20 })).events!.map((e) => e.timestamp! - t), [35]);
  assert.deepEqual((await f({ logStreamNamePrefix: 'web', startTime: t + 10, endTime: t + 30 })).events!.map((e) => e.timestamp! - t), [10, 20, 30]);
  const p1 = await f({ limit: 3 });
  const p2 = await f({ limit: 3, nextToken: p1.nextToken });
  const p3 = await f({ limit: 3, nextToken: p2.nextToken });
  assert.deepEqual([...p1.events!, ...p2.events!, ...p3.events!].map((e) => e.timestamp! - t), [0, 10, 15, 20, 30, 35, 40, 50]);
  assert.equal(p3.nextToken, undefined);
  await rejects(f({ filterPattern: '{ $.status = }' }), 'InvalidParameterException', /Invalid filter pattern/);
  await rejects(f({ logStreamNames: ['db'], logStreamNamePrefix: 'd' }), 'InvalidParameterException');
});

test('retention is enforced on kumo\'s clock', async () => {
  const { logs } = kit;
  await group('retained', ['s']);
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 1 }));
  const t = await kit.now();
  await logs.send(new PutLogEventsCommand({ logGroupName: 'retained', logStreamName: 's', logEvents: [
    { timestamp: t - 20 * HOUR, message: 'old' }, { timestamp: t - HOUR, message: 'recent' },
  ] }));
  const messages = async () => (await logs.send(new GetLogEventsCommand({ logGroupName: 'retained', logStreamName: 's', startFromHead: true }))).events!.map((e) => e.message);
  assert.deepEqual(await messages(), ['old', 'recent']);
  await kit.advance(5 * HOUR);
  assert.deepEqual(await messages(), ['recent']);
  await kit.advance(20 * HOUR);
  assert.deepEqual(await messages(), []);
  // A shorter policy applies to what is already stored.
  await group('shrunk', ['s']);
  const t2 = await kit.now();
  await logs.send(new PutLogEventsCommand({ logGroupName: 'shrunk', logStreamName: 's', logEvents: [{ timestamp: t2 - 3 * DAY, message: 'x' }] }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'shrunk', retentionInDays: 1 }));
  assert.deepEqual((await logs.send(new GetLogEventsCommand({ logGroupName: 'shrunk', logStreamName: 's' }))).events, []);
});

test('the internal API creates the group and stream on demand', async () => {
  const { kumo, logs } = kit;
  const api = kumo.app.host.internal.logs as { putLogEvents: (...a: unknown[]) => void };
  const rt = kumo.app.host.runtime((await kumo.app.host.definition('logs'))!);
  const t = await kit.now();
  api.putLogEvents(rt, '000000000000', 'us-east-1', '/aws/lambda/fn', '2024/01/01/[$LATEST]abc', [
    { timestamp: t, message: 'END' }, { timestamp: t - 5, message: 'START' },
  ]);
  const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/fn', logStreamName: '2024/01/01/[$LATEST]abc', startFromHead: true }));
  assert.deepEqual(got.events!.map((e) => e.message), ['START', 'END']);
});
