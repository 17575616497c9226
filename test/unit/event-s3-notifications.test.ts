import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeEventKey, eventBridgeEntry, eventRecord, s3Deliveries, s3TestDeliveries, unreachableDestinations, type S3ObjectEvent } from '../../src/events/s3-notifications.ts';

const event: S3ObjectEvent = {
  account: '000000000000', region: 'us-east-1', bucket: 'b', eventName: 'ObjectCreated:Put', key: 'photos/my cat é.jpg', size: 12,
  eTag: '"abc"', versionId: 'v1', sequencer: '0055AED6DCD90281E5', requestId: 'req', hostId: 'host', sourceIp: '127.0.0.1',
  principalId: 'AWS:AIDATEST', time: Date.parse('2024-01-02T03:04:05.678Z'),
};

test('keys are form-encoded as Java does, with slashes kept', () => {
  assert.equal(encodeEventKey('photos/my cat é.jpg'), 'photos/my+cat+%C3%A9.jpg');
  assert.equal(encodeEventKey("a (1)!~'*.txt"), 'a+%281%29%21%7E%27*.txt');
});

test('deliveries match event names (with wildcards) and prefix/suffix filters', () => {
  const config = {
    QueueConfigurations: [
      { Id: 'all', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:all', Events: ['s3:ObjectCreated:*'] },
      { Id: 'jpg', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:jpg', Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'photos/' }, { Name: 'Suffix', Value: '.jpg' }] } } },
      { Id: 'png', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:png', Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.png' }] } } },
      { Id: 'del', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:del', Events: ['s3:ObjectRemoved:*'] },
    ],
    LambdaFunctionConfigurations: [{ Id: 'fn', LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', Events: ['s3:ObjectCreated:*'] }],
    EventBridgeConfiguration: {},
  };
  const out = s3Deliveries(config, event);
  assert.deepEqual(out.map((d) => d.source), ['all', 'jpg', 'fn', 'EventBridge']);
  const doc = JSON.parse((out[0]!.target as { body: string }).body);
  const r = doc.Records[0];
  assert.equal(r.eventName, 'ObjectCreated:Put');
  assert.equal(r.eventTime, '2024-01-02T03:04:05.678Z');
  assert.equal(r.s3.configurationId, 'all');
  assert.deepEqual(r.s3.object, { key: 'photos/my+cat+%C3%A9.jpg', size: 12, eTag: 'abc', versionId: 'v1', sequencer: '0055AED6DCD90281E5' });
  assert.equal(r.s3.bucket.arn, 'arn:aws:s3:::b');
  const removed = s3Deliveries(config, { ...event, eventName: 'ObjectRemoved:Delete' });
  assert.deepEqual(removed.map((d) => d.source), ['del', 'EventBridge']);
  assert.equal(JSON.parse((removed[0]!.target as { body: string }).body).Records[0].s3.object.size, undefined);
});

test('EventBridge detail and the test event', () => {
  const e = eventBridgeEntry(event);
  assert.equal(e.DetailType, 'Object Created');
  assert.deepEqual(JSON.parse(e.Detail).object, { key: 'photos/my cat é.jpg', size: 12, etag: 'abc', 'version-id': 'v1', sequencer: '0055AED6DCD90281E5' });
  assert.equal(JSON.parse(e.Detail).reason, 'PutObject');
  const tests = s3TestDeliveries({ QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', Events: [] }], LambdaFunctionConfigurations: [{ LambdaFunctionArn: 'x', Events: [] }] },
    { account: '000000000000', region: 'us-east-1', bucket: 'b', requestId: 'r', hostId: 'h', time: 0 });
  assert.equal(tests.length, 1, 'Lambda destinations get no test event');
  assert.equal(JSON.parse((tests[0]!.target as { body: string }).body).Event, 's3:TestEvent');
});

test('unreachable destinations are named', () => {
  const caller = { clock: { now: () => 0, frozen: true }, account: '000000000000', region: 'us-east-1', services: { sqs: { queueExists: (_c: unknown, arn: string) => arn.endsWith(':ok') } } };
  const bad = unreachableDestinations(caller as never, {
    QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:ok', Events: [] }, { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:missing', Events: [] }],
  });
  assert.deepEqual(bad, [{ arn: 'arn:aws:sqs:us-east-1:000000000000:missing', reason: 'The destination queue does not exist' }]);
});

test('EventBridge detail types and reasons follow the event name', () => {
  assert.equal(eventBridgeEntry({ ...event, eventName: 'ObjectTagging:Delete' }).DetailType, 'Object Tags Deleted');
  assert.equal(eventBridgeEntry({ ...event, eventName: 'ObjectRestore:Completed' }).DetailType, 'Object Restore Completed');
  const expired = eventBridgeEntry({ ...event, eventName: 'LifecycleExpiration:DeleteMarkerCreated' });
  assert.equal(expired.DetailType, 'Object Deleted');
  assert.equal(JSON.parse(expired.Detail).reason, 'Lifecycle Expiration');
  assert.equal(JSON.parse(expired.Detail)['deletion-type'], 'Delete Marker Created');
  assert.equal(JSON.parse(eventBridgeEntry({ ...event, eventName: 'ObjectAcl:Put' }).Detail).reason, undefined);
});

test('event versions and restore data follow AWS per event type', () => {
  assert.equal(eventRecord(event, 'c').eventVersion, '2.1');
  assert.equal(eventRecord({ ...event, eventName: 'ObjectTagging:Put' }, 'c').eventVersion, '2.3');
  const expired = eventRecord({ ...event, eventName: 'LifecycleExpiration:Delete' }, 'c');
  assert.equal(expired.eventVersion, '2.3');
  assert.deepEqual(expired.s3.object, { key: 'photos/my+cat+%C3%A9.jpg', versionId: 'v1', sequencer: '0055AED6DCD90281E5' });
  const restored = eventRecord({ ...event, eventName: 'ObjectRestore:Completed', restore: { expiry: Date.parse('2024-01-05T00:00:00Z'), storageClass: 'GLACIER' } }, 'c');
  assert.deepEqual(restored.glacierEventData, { restoreEventData: { lifecycleRestorationExpiryTime: '2024-01-05T00:00:00.000Z', lifecycleRestoreStorageClass: 'GLACIER' } });
  assert.equal(eventRecord(event, 'c').glacierEventData, undefined);
  const restore = { expiry: Date.parse('2024-01-05T00:00:00Z'), storageClass: 'GLACIER' };
  assert.equal(eventRecord({ ...event, eventName: 'ObjectRestore:Post', restore }, 'c').glacierEventData, undefined);
  const started = JSON.parse(eventBridgeEntry({ ...event, eventName: 'ObjectRestore:Post', restore }).Detail);
  assert.equal(started['source-storage-class'], 'GLACIER');
  const done = eventBridgeEntry({ ...event, eventName: 'ObjectRestore:Completed', restore });
  assert.equal(done.DetailType, 'Object Restore Completed');
  assert.equal(JSON.parse(done.Detail)['restore-expiry-time'], '2024-01-05T00:00:00.000Z');
  assert.equal(JSON.parse(done.Detail)['source-ip-address'], undefined);
});

test('filter values are URL-decoded before they are matched', () => {
  const config = {
    QueueConfigurations: [{ Id: 'space', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'photos/my+cat' }, { Name: 'Suffix', Value: '%C3%A9.jpg' }] } } }],
  };
  assert.equal(s3Deliveries(config, event).length, 1);
  assert.equal(s3Deliveries(config, { ...event, key: 'photos/my+cat é.jpg' }).length, 0);
});
