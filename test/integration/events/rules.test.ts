import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateArchiveCommand, CreateEventBusCommand, DescribeReplayCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, StartReplayCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../helpers/kumo.ts';
import { eventsHarness } from './setup.ts';

const h = eventsHarness();

async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp) {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.name, name, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

test('pattern rules route to SQS with Input, InputPath and InputTransformer', async () => {
  const q = await h.queue(h.name('q'));
  const name = h.name();
  const { RuleArn } = await h.eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ['shop'], detail: { total: [{ numeric: ['>', 100] }] } }) }));
  await h.eb.send(new PutTargetsCommand({
    Rule: name,
    Targets: [
      { Id: 'whole', Arn: q.arn },
      { Id: 'path', Arn: q.arn, InputPath: '$.detail.customer' },
      { Id: 'fixed', Arn: q.arn, Input: '{"fixed":true}' },
      { Id: 'tx', Arn: q.arn, InputTransformer: { InputPathsMap: { who: '$.detail.customer', total: '$.detail.total' }, InputTemplate: '{"text": "order by <who>", "total": <total>, "rule": "<aws.events.rule-name>"}' } },
      { Id: 'str', Arn: q.arn, InputTransformer: { InputPathsMap: { who: '$.detail.customer' }, InputTemplate: '"<who> ordered"' } },
    ],
  }));
  const res = await h.eb.send(new PutEventsCommand({
    Entries: [
      { Source: 'shop', DetailType: 'Order', Detail: JSON.stringify({ customer: 'ann', total: 150 }) },
      { Source: 'shop', DetailType: 'Order', Detail: JSON.stringify({ customer: 'bob', total: 5 }) },
    ],
  }));
  assert.equal(res.FailedEntryCount, 0);
  const bodies = (await h.receive(q.url, 5)).map((m) => m.Body!);
  assert.equal(bodies.length, 5);
  const whole = JSON.parse(bodies.find((b) => b.includes('"detail-type"'))!);
  assert.deepEqual(Object.keys(whole), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.equal(whole.id, res.Entries![0]!.EventId);
  assert.match(whole.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(bodies.includes('"ann"'));
  assert.ok(bodies.includes('{"fixed":true}'));
  assert.ok(bodies.includes(`{"text": "order by ann", "total": 150, "rule": "${name}"}`));
  assert.ok(bodies.includes('"ann ordered"'));
  assert.equal((await h.receive(q.url, 1, 3)).length, 0, 'the small order matched no rule');
  assert.ok(RuleArn!.endsWith(`:rule/${name}`));

  const res2 = await fetch(`${h.kumo.endpoint}/kumo/events/delivered-events?rule=${name}`);
  const delivered = (await res2.json() as { events: Array<{ targetId: string; status: string }> }).events;
  assert.deepEqual(delivered.map((d) => d.targetId).sort(), ['fixed', 'path', 'str', 'tx', 'whole']);
  assert.ok(delivered.every((d) => d.status === 'delivered'));
});

test('custom bus, FIFO queue target with MessageGroupId, SNS target, bus-to-bus target', async () => {
  const bus = h.name('bus');
  await h.eb.send(new CreateEventBusCommand({ Name: bus }));
  const fifo = await h.queue(`${h.name('f')}.fifo`, true);
  const viaSns = await h.queue(h.name('s'));
  const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: h.name('topic') }));
  await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: viaSns.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const rule = h.name();
  await h.eb.send(new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify({ 'detail-type': [{ prefix: 'Thing' }] }) }));
  await rejects(h.eb.send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: 'f', Arn: fifo.arn }] })), 'ValidationException', /SqsParameters/);
  await h.eb.send(new PutTargetsCommand({
    Rule: rule, EventBusName: bus,
    Targets: [{ Id: 'f', Arn: fifo.arn, SqsParameters: { MessageGroupId: 'g1' }, InputPath: '$.detail.n' }, { Id: 's', Arn: TopicArn!, InputPath: '$.detail' }],
  }));
  // A rule on the default bus forwards to the custom bus.
  const fwd = h.name();
  await h.eb.send(new PutRuleCommand({ Name: fwd, EventPattern: JSON.stringify({ source: ['fwd'] }) }));
  await h.eb.send(new PutTargetsCommand({ Rule: fwd, Targets: [{ Id: 'b', Arn: `arn:aws:events:us-east-1:000000000000:event-bus/${bus}` }] }));
  await h.eb.send(new PutEventsCommand({ Entries: [1, 2, 3].map((n) => ({ Source: 'app', DetailType: 'Thing', Detail: JSON.stringify({ n }), EventBusName: bus })) }));
  await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'fwd', DetailType: 'Thing', Detail: JSON.stringify({ n: 4 }) }] }));
  const ordered: string[] = [];
  for (let i = 0; i < 20 && ordered.length < 4; i++) ordered.push(...(await h.receive(fifo.url, 1)).map((m) => m.Body!));
  assert.deepEqual(ordered, ['1', '2', '3', '4']);
  const sns = (await h.receive(viaSns.url, 4)).map((m) => JSON.parse(m.Body!).n).sort();
  assert.deepEqual(sns, [1, 2, 3, 4]);
});

test('TestEventPattern and InvalidEventPatternException', async () => {
  const event = JSON.stringify({ id: '1', account: '123456789012', source: 'aws.ec2', time: '2024-01-01T00:00:00Z', region: 'us-east-1', 'detail-type': 'x', resources: [], detail: { ip: '10.0.0.5' } });
  assert.equal((await h.eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"detail":{"ip":[{"cidr":"10.0.0.0/24"}]}}' }))).Result, true);
  assert.equal((await h.eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"source":[{"anything-but":{"prefix":"aws."}}]}' }))).Result, false);
  await rejects(h.eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"source":"aws.ec2"}' })), 'InvalidEventPatternException',
    'Event pattern is not valid. Reason: "source" must be an object or an array');
  await rejects(h.eb.send(new PutRuleCommand({ Name: h.name(), EventPattern: '{"a":[{"bogus":1}]}' })), 'InvalidEventPatternException',
    'Event pattern is not valid. Reason: Unrecognized match type bogus');
  await rejects(h.eb.send(new PutRuleCommand({ Name: h.name(), EventPattern: 'nope' })), 'InvalidEventPatternException', /^Event pattern is not valid\. Reason: /);
});

test('PutEvents limits and per-entry errors', async () => {
  const res = await h.eb.send(new PutEventsCommand({
    Entries: [
      { Source: 'a', DetailType: 'b', Detail: '{}' },
      { DetailType: 'b', Detail: '{}' },
      { Source: 'a', DetailType: 'b', Detail: 'not json' },
      { Source: 'a', DetailType: 'b', Detail: '{}', EventBusName: 'missing-bus' },
    ],
  }));
  assert.equal(res.FailedEntryCount, 3);
  assert.ok(res.Entries![0]!.EventId);
  assert.deepEqual(res.Entries!.slice(1).map((e) => e.ErrorCode), ['InvalidArgument', 'MalformedDetail', 'ResourceNotFoundException']);
  assert.equal(res.Entries![1]!.ErrorMessage, 'Parameter Source is not valid. Reason: Source is a required argument.');
  await rejects(h.eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ Source: 'a', DetailType: 'b', Detail: '{}' })) })), 'ValidationException');
  await rejects(h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: JSON.stringify({ x: 'y'.repeat(262_144) }) }] })),
    'ValidationException', 'Total size of the entries in the request is over the limit.');
});

test('scheduled rules fire on the engine clock', async () => {
  const q = await h.queue(h.name('sched'));
  const name = h.name();
  await h.eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(5 minutes)' }));
  await h.eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: q.arn }] }));
  assert.equal((await h.receive(q.url, 1, 3)).length, 0);
  await h.advance(5 * 60_000);
  await h.advance(5 * 60_000);
  const got = await h.receive(q.url, 2);
  assert.equal(got.length, 2);
  const e = JSON.parse(got[0]!.Body!);
  assert.equal(e['detail-type'], 'Scheduled Event');
  assert.equal(e.source, 'aws.events');
  assert.deepEqual(e.detail, {});
  await rejects(h.eb.send(new PutRuleCommand({ Name: h.name(), ScheduleExpression: 'rate(1 minutes)' })), 'ValidationException', 'Parameter ScheduleExpression is not valid.');
});

test('a deleted target queue sends the event to the DLQ with the failure attributes', async () => {
  const gone = await h.queue(h.name('gone'));
  const dlq = await h.queue(h.name('dlq'));
  const name = h.name();
  await h.eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ['dlq-test'] }) }));
  await h.eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: gone.arn, DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 2 } }] }));
  await h.sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
  await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'dlq-test', DetailType: 'x', Detail: '{"k":1}' }] }));
  const [m] = await h.receive(dlq.url, 1);
  assert.equal(JSON.parse(m!.Body!).source, 'dlq-test');
  assert.equal(m!.MessageAttributes!.ERROR_CODE!.StringValue, 'QueueDoesNotExist');
  assert.match(m!.MessageAttributes!.RULE_ARN!.StringValue!, new RegExp(`rule/${name}$`));
});

test('archives keep matching events and replays send them back through the rules', async () => {
  const bus = h.name('abus');
  const { EventBusArn } = await h.eb.send(new CreateEventBusCommand({ Name: bus }));
  const { ArchiveArn } = await h.eb.send(new CreateArchiveCommand({ ArchiveName: h.name('arch'), EventSourceArn: EventBusArn!, EventPattern: JSON.stringify({ source: ['keep'] }) }));
  await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'keep', DetailType: 'x', Detail: '{"n":1}', EventBusName: bus }, { Source: 'drop', DetailType: 'x', Detail: '{}', EventBusName: bus }] }));
  const now = async () => Date.parse((await (await fetch(`${h.kumo.endpoint}/kumo/clock`)).json() as { now: string }).now);
  const start = new Date((await now()) - 3_600_000);
  await h.advance(60_000);
  const end = new Date((await now()) - 1000);
  const q = await h.queue(h.name('replayed'));
  const rule = h.name();
  await h.eb.send(new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify({ 'detail-type': ['x'] }) }));
  await h.eb.send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: 't', Arn: q.arn }] }));
  const replay = h.name('rep');
  await h.eb.send(new StartReplayCommand({
    ReplayName: replay, EventSourceArn: ArchiveArn!, EventStartTime: start, EventEndTime: end, Destination: { Arn: EventBusArn! },
  }));
  const got = await h.receive(q.url, 1);
  const e = JSON.parse(got[0]!.Body!);
  assert.equal(e.source, 'keep');
  assert.equal(e['replay-name'], replay);
  assert.equal((await h.eb.send(new DescribeReplayCommand({ ReplayName: replay }))).State, 'COMPLETED');
});

test('CloudWatch Logs target writes the event to a stream named by the event id', async () => {
  const logs = new CloudWatchLogsClient(clientConfig(h.kumo.endpoint));
  try {
    const group = `/aws/events/${h.name('lg')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const rule = h.name();
    await h.eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['to-logs'] }) }));
    await h.eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'l', Arn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}` }] }));
    const res = await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'to-logs', DetailType: 'x', Detail: '{"hello":"logs"}' }] }));
    let events: Array<{ logStreamName?: string; message?: string }> = [];
    for (let i = 0; i < 100 && events.length === 0; i++) {
      events = (await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? [];
    }
    assert.equal(events[0]!.logStreamName, res.Entries![0]!.EventId);
    assert.deepEqual(JSON.parse(events[0]!.message!).detail, { hello: 'logs' });
  } finally {
    logs.destroy();
  }
});
