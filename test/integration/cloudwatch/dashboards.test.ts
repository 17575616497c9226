import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DeleteDashboardsCommand, GetDashboardCommand, ListDashboardsCommand, ListTagsForResourceCommand, PutDashboardCommand, UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { cwKit, rejects, type CwKit } from './setup.ts';

let kit: CwKit;
before(async () => { kit = await cwKit(); });
after(() => kit.close());

test('dashboards are stored, listed, tagged and deleted', async () => {
  const { cw } = kit;
  const body = JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 3, height: 3, properties: { markdown: 'hi' } }] });
  const put = await cw.send(new PutDashboardCommand({ DashboardName: 'main', DashboardBody: body, Tags: [{ Key: 'a', Value: '1' }] }));
  assert.deepEqual(put.DashboardValidationMessages, []);
  await cw.send(new PutDashboardCommand({ DashboardName: 'other', DashboardBody: '{}' }));
  const got = await cw.send(new GetDashboardCommand({ DashboardName: 'main' }));
  assert.equal(got.DashboardBody, body);
  assert.equal(got.DashboardArn, 'arn:aws:cloudwatch::000000000000:dashboard/main');
  const list = await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: 'ma' }));
  assert.deepEqual(list.DashboardEntries!.map((d) => [d.DashboardName, d.Size]), [['main', body.length]]);
  assert.deepEqual((await cw.send(new ListTagsForResourceCommand({ ResourceARN: got.DashboardArn }))).Tags, [{ Key: 'a', Value: '1' }]);
  await cw.send(new UntagResourceCommand({ ResourceARN: got.DashboardArn, TagKeys: ['a'] }));
  assert.deepEqual((await cw.send(new ListTagsForResourceCommand({ ResourceARN: got.DashboardArn }))).Tags, []);
  await rejects(cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: 'not json' })), 'DashboardInvalidInputError');
  await rejects(cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: '{"widgets": 1}' })), 'DashboardInvalidInputError');
  await cw.send(new DeleteDashboardsCommand({ DashboardNames: ['main', 'other'] }));
  await rejects(cw.send(new GetDashboardCommand({ DashboardName: 'main' })), 'ResourceNotFound', 'Dashboard main does not exist');
  await rejects(cw.send(new DeleteDashboardsCommand({ DashboardNames: ['main'] })), 'ResourceNotFound');
});
