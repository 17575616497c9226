import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeEventBusCommand, DescribeRuleCommand, DisableRuleCommand,
  EnableRuleCommand, ListEventBusesCommand, ListRuleNamesByTargetCommand, ListRulesCommand, ListTagsForResourceCommand,
  ListTargetsByRuleCommand, PutEventsCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand, TagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { eventsHarness } from './setup.ts';

const h = eventsHarness();

async function rejects(p: Promise<unknown>, name: string, message?: string) {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.name, name, err.message);
    if (message) assert.equal(err.message, message);
    return true;
  });
}

test('buses: default, custom and partner names; permissions; tags', async () => {
  const name = h.name('bus');
  const { EventBusArn } = await h.eb.send(new CreateEventBusCommand({ Name: name, Tags: [{ Key: 'k', Value: 'v' }] }));
  assert.equal(EventBusArn, `arn:aws:events:us-east-1:000000000000:event-bus/${name}`);
  await rejects(h.eb.send(new CreateEventBusCommand({ Name: name })), 'ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  await rejects(h.eb.send(new CreateEventBusCommand({ Name: 'aws.partner/acme.com/123/orders' })), 'ValidationException');
  await h.eb.send(new CreateEventBusCommand({ Name: 'aws.partner/acme.com/123/orders', EventSourceName: 'aws.partner/acme.com/123/orders' }));
  const names = (await h.eb.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Name);
  assert.ok(names.includes('default') && names.includes(name) && names.includes('aws.partner/acme.com/123/orders'));
  await h.eb.send(new PutPermissionCommand({ EventBusName: name, StatementId: 's1', Action: 'events:PutEvents', Principal: '111122223333' }));
  const policy = JSON.parse((await h.eb.send(new DescribeEventBusCommand({ Name: name }))).Policy!);
  assert.equal(policy.Statement[0].Sid, 's1');
  await h.eb.send(new TagResourceCommand({ ResourceARN: EventBusArn, Tags: [{ Key: 'k2', Value: 'v2' }] }));
  assert.equal((await h.eb.send(new ListTagsForResourceCommand({ ResourceARN: EventBusArn }))).Tags!.length, 2);
  await h.eb.send(new DeleteEventBusCommand({ Name: name }));
  await rejects(h.eb.send(new DescribeEventBusCommand({ Name: name })), 'ResourceNotFoundException', `Event bus ${name} does not exist.`);
});

test('rules and targets: describe, list, disable, remove, delete', async () => {
  const q = await h.queue(h.name('q'));
  const rule = h.name();
  await h.eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['crud'] }), Description: 'd' }));
  await h.eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 't', Arn: q.arn }] }));
  const described = await h.eb.send(new DescribeRuleCommand({ Name: rule }));
  assert.equal(described.State, 'ENABLED');
  assert.equal(described.EventBusName, 'default');
  assert.equal(described.Description, 'd');
  assert.ok((await h.eb.send(new ListRulesCommand({ NamePrefix: rule }))).Rules!.some((r) => r.Name === rule));
  assert.deepEqual((await h.eb.send(new ListRuleNamesByTargetCommand({ TargetArn: q.arn }))).RuleNames, [rule]);
  assert.equal((await h.eb.send(new ListTargetsByRuleCommand({ Rule: rule }))).Targets![0]!.Id, 't');

  await h.eb.send(new DisableRuleCommand({ Name: rule }));
  await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'crud', DetailType: 'x', Detail: '{}' }] }));
  assert.equal((await h.receive(q.url, 1, 3)).length, 0, 'disabled rules match nothing');
  await h.eb.send(new EnableRuleCommand({ Name: rule }));
  await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'crud', DetailType: 'x', Detail: '{}' }] }));
  assert.equal((await h.receive(q.url, 1)).length, 1);

  await rejects(h.eb.send(new DeleteRuleCommand({ Name: rule })), 'ValidationException', 'Rule can\'t be deleted since it has targets.');
  await h.eb.send(new RemoveTargetsCommand({ Rule: rule, Ids: ['t'] }));
  await h.eb.send(new DeleteRuleCommand({ Name: rule }));
  await rejects(h.eb.send(new DescribeRuleCommand({ Name: rule })), 'ResourceNotFoundException', `Rule ${rule} does not exist on EventBus default.`);
  await rejects(h.eb.send(new PutRuleCommand({ Name: h.name() })), 'ValidationException', 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
  await rejects(h.eb.send(new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 't', Arn: q.arn }] })), 'ResourceNotFoundException', 'Rule nope does not exist on EventBus default.');
});
