import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateScheduleCommand, CreateScheduleGroupCommand, DeleteScheduleGroupCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { clientConfig, controlPost } from '../../helpers/kumo.ts';
import { eventsHarness } from '../events/setup.ts';

const h = eventsHarness();
let client: SchedulerClient | undefined;
const scheduler = () => (client ??= new SchedulerClient(clientConfig(h.kumo.endpoint)));
const role = 'arn:aws:iam::000000000000:role/scheduler';

async function kumoNow(): Promise<number> {
  return Date.parse((await (await fetch(`${h.kumo.endpoint}/kumo/clock`)).json() as { now: string }).now);
}

async function rejects(p: Promise<unknown>, name: string, message?: RegExp) {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.name, name, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

test('rate schedule fires into SQS on the engine clock, with context attributes', async () => {
  const q = await h.queue(h.name('sq'));
  const name = h.name('every');
  await scheduler().send(new CreateScheduleCommand({
    Name: name, ScheduleExpression: 'rate(10 minutes)', FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: q.arn, RoleArn: role, Input: '{"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>"}' },
  }));
  assert.equal((await h.receive(q.url, 1, 3)).length, 0);
  await h.advance(10 * 60_000);
  const [m] = await h.receive(q.url, 1);
  const body = JSON.parse(m!.Body!);
  assert.equal(body.arn, `arn:aws:scheduler:us-east-1:000000000000:schedule/default/${name}`);
  assert.match(body.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await h.advance(10 * 60_000);
  assert.equal((await h.receive(q.url, 1)).length, 1);
  const got = await scheduler().send(new GetScheduleCommand({ Name: name }));
  assert.equal(got.State, 'ENABLED');
  assert.equal(got.ScheduleExpressionTimezone, 'UTC');
});

test('one-time at() schedule in a time zone, deleted after completion; EventBridge target', async () => {
  const q = await h.queue(h.name('eb'));
  const rule = h.name('rule');
  await h.eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['my.scheduler'] }) }));
  await h.eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 't', Arn: q.arn }] }));
  // An hour ahead, written as Tokyo wall-clock time.
  const fireAt = (await kumoNow()) + 3_600_000;
  const tokyo = new Date(fireAt + 9 * 3_600_000).toISOString().slice(0, 19);
  const name = h.name('once');
  await scheduler().send(new CreateScheduleGroupCommand({ Name: 'jobs' }));
  await scheduler().send(new CreateScheduleCommand({
    Name: name, GroupName: 'jobs', ScheduleExpression: `at(${tokyo})`, ScheduleExpressionTimezone: 'Asia/Tokyo', FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default', RoleArn: role, Input: '{"job":1}', EventBridgeParameters: { Source: 'my.scheduler', DetailType: 'Job' } },
  }));
  await h.advance(3_600_000 - 2000);
  assert.equal((await h.receive(q.url, 1, 3)).length, 0, 'not yet');
  await h.advance(2000);
  const [m] = await h.receive(q.url, 1);
  const event = JSON.parse(m!.Body!);
  assert.equal(event['detail-type'], 'Job');
  assert.deepEqual(event.detail, { job: 1 });
  await rejects(scheduler().send(new GetScheduleCommand({ Name: name, GroupName: 'jobs' })), 'ResourceNotFoundException');
  await scheduler().send(new DeleteScheduleGroupCommand({ Name: 'jobs' }));
});

test('cron schedules honour start and end dates and flexible windows', async () => {
  const q = await h.queue(h.name('cron'));
  const now = await kumoNow();
  const name = h.name('cron');
  await scheduler().send(new CreateScheduleCommand({
    Name: name, ScheduleExpression: 'cron(0 * * * ? *)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    StartDate: new Date(now + 2 * 3_600_000), EndDate: new Date(now + 4 * 3_600_000), Target: { Arn: q.arn, RoleArn: role },
  }));
  await h.advance(2 * 3_600_000);
  assert.equal((await h.receive(q.url, 1, 3)).length, 0, 'nothing before the start date');
  await h.advance(3_600_000 + 15 * 60_000);
  const first = await h.receive(q.url, 1);
  assert.ok(first.length >= 1, 'the top of the hour after the start, within the window');
  await h.advance(10 * 3_600_000);
  const rest = await h.receive(q.url, 5, 20);
  assert.equal(first.length + rest.length, 2, 'two tops of the hour between start and end, nothing after');
  const list = await scheduler().send(new ListSchedulesCommand({ NamePrefix: name }));
  assert.equal(list.Schedules!.length, 1);
});

test('universal target sqs:sendMessage takes the call parameters from Input', async () => {
  const q = await h.queue(h.name('uni'));
  await scheduler().send(new CreateScheduleCommand({
    Name: h.name('uni'), ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: { Mode: 'OFF' }, ActionAfterCompletion: 'NONE',
    Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', RoleArn: role, Input: JSON.stringify({ QueueUrl: q.url, MessageBody: 'universal' }) },
  }));
  await h.advance(60_000);
  const [m] = await h.receive(q.url, 1);
  assert.equal(m!.Body, 'universal');
});

test('bad input: expressions, time zones, windows', async () => {
  const base = { FlexibleTimeWindow: { Mode: 'OFF' as const }, Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q', RoleArn: role } };
  await rejects(scheduler().send(new CreateScheduleCommand({ ...base, Name: h.name(), ScheduleExpression: 'every day' })), 'ValidationException', /Invalid Schedule Expression/);
  await rejects(scheduler().send(new CreateScheduleCommand({ ...base, Name: h.name(), ScheduleExpression: 'rate(1 hour)', ScheduleExpressionTimezone: 'Mars/Base' })), 'ValidationException', /time zone/);
  await rejects(scheduler().send(new CreateScheduleCommand({ ...base, Name: h.name(), ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'FLEXIBLE' } })), 'ValidationException');
  await rejects(scheduler().send(new GetScheduleCommand({ Name: 'nope' })), 'ResourceNotFoundException');
  assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { advance: 0 })).status, 200);
});
