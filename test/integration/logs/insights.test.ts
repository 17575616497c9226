import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DescribeQueriesCommand, GetLogGroupFieldsCommand, GetLogRecordCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { logsKit, rejects, type LogsKit } from './setup.ts';

let kit: LogsKit;
let t = 0;
before(async () => {
  kit = await logsKit();
  const { logs } = kit;
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 'web' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 'api' }));
  t = Math.floor((await kit.now()) / 60_000) * 60_000 - 10 * 60_000;
  const req = (d: number, path: string, status: number, ms: number) => ({ timestamp: t + d, message: JSON.stringify({ path, status, ms, req: { user: (d / 60_000) % 2 ? 'a' : 'b' } }) });
  await logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'web', logEvents: [
    req(0, '/home', 200, 10), req(60_000, '/home', 500, 30), req(120_000, '/cart', 200, 20), req(180_000, '/cart', 404, 5),
  ] }));
  await logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'api', logEvents: [
    { timestamp: t + 30_000, message: 'ERROR database unreachable' }, { timestamp: t + 90_000, message: 'INFO ok' },
  ] }));
});
after(() => kit.close());

async function query(queryString: string, extra: { limit?: number } = {}) {
  const { logs } = kit;
  const { queryId } = await logs.send(new StartQueryCommand({
    logGroupName: 'app', queryString, startTime: Math.floor(t / 1000) - 60, endTime: Math.floor(t / 1000) + 3600, ...extra,
  }));
  const res = await logs.send(new GetQueryResultsCommand({ queryId }));
  assert.equal(res.status, 'Complete');
  return res.results!.map((row) => Object.fromEntries(row.map((f) => [f.field!, f.value!])));
}

test('fields, filter, sort, limit', async () => {
  const rows = await query('fields @timestamp, path, status | filter status >= 400 | sort @timestamp asc');
  assert.deepEqual(rows.map((r) => [r.path, r.status]), [['/home', '500'], ['/cart', '404']]);
  assert.equal(rows[0]!['@timestamp'], new Date(t + 60_000).toISOString().replace('T', ' ').replace('Z', ''));
  assert.ok(rows[0]!['@ptr']);
  const newest = await query('fields @message | limit 2');
  assert.equal(newest.length, 2);
  assert.equal(JSON.parse(newest[0]!['@message']!).path, '/cart');
  const like = await query('filter @message like /ERROR/ | fields @logStream, @message');
  assert.deepEqual(like.map((r) => r['@logStream']), ['api']);
  const nested = await query('filter req.user = "a" and path in ["/home", "/cart"] | fields path | sort path desc');
  assert.deepEqual(nested.map((r) => r.path), ['/home', '/cart']);
  const not = await query('filter not ispresent(status) | fields @message');
  assert.equal(not.length, 2);
  assert.equal((await query('fields path', { limit: 3 })).length, 3);
});

test('stats count/avg/sum/min/max by field and bin', async () => {
  const rows = await query('filter ispresent(path) | stats count(*) as n, avg(ms) as avgMs, sum(ms), min(ms), max(ms) by path | sort path');
  assert.deepEqual(rows, [
    { path: '/home', n: '2', avgMs: '20', 'sum(ms)': '40', 'min(ms)': '10', 'max(ms)': '30' },
    { path: '/cart', n: '2', avgMs: '12.5', 'sum(ms)': '25', 'min(ms)': '5', 'max(ms)': '20' },
  ]);
  const total = await query('stats count(*)');
  assert.deepEqual(total, [{ 'count(*)': '6' }]);
  const binned = await query('stats count(*) as c by bin(2m) | sort c desc');
  assert.equal(binned.reduce((s, r) => s + Number(r.c), 0), 6);
});

test('malformed queries, unknown queries, stop and describe', async () => {
  const { logs } = kit;
  await rejects(logs.send(new StartQueryCommand({ logGroupName: 'app', queryString: 'fields | | x', startTime: 0, endTime: 1 })), 'MalformedQueryException');
  await rejects(logs.send(new StartQueryCommand({ logGroupName: 'app', queryString: 'explode everything', startTime: 0, endTime: 1 })), 'MalformedQueryException', /unexpected symbol found explode/);
  await rejects(logs.send(new StartQueryCommand({ logGroupName: 'missing', queryString: 'fields @message', startTime: 0, endTime: 1 })), 'ResourceNotFoundException');
  await rejects(logs.send(new GetQueryResultsCommand({ queryId: '00000000-0000-0000-0000-000000000000' })), 'ResourceNotFoundException');
  const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: 'app', queryString: 'fields @message', startTime: 0, endTime: 1 }));
  assert.equal((await logs.send(new StopQueryCommand({ queryId }))).success, false);
  const described = await logs.send(new DescribeQueriesCommand({ logGroupName: 'app' }));
  assert.ok(described.queries!.some((q) => q.queryId === queryId && q.status === 'Complete'));
});

test('GetLogRecord follows @ptr; GetLogGroupFields lists discovered fields', async () => {
  const { logs } = kit;
  const [row] = await query('filter status = 500 | fields path');
  const rec = await logs.send(new GetLogRecordCommand({ logRecordPointer: row!['@ptr']! }));
  assert.equal(rec.logRecord!.path, '/home');
  assert.equal(rec.logRecord!['req.user'], 'a');
  assert.equal(rec.logRecord!['@logStream'], 'web');
  assert.equal(rec.logRecord!['@timestamp'], String(t + 60_000));
  await rejects(logs.send(new GetLogRecordCommand({ logRecordPointer: 'nonsense' })), 'InvalidParameterException');
  const fields = await logs.send(new GetLogGroupFieldsCommand({ logGroupName: 'app' }));
  const byName = Object.fromEntries(fields.logGroupFields!.map((f) => [f.name, f.percent]));
  assert.equal(byName['@message'], 100);
  assert.equal(byName.path, 67);
});
