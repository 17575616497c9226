import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AssociateKmsKeyCommand, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand, DisassociateKmsKeyCommand, ListTagsForResourceCommand, ListTagsLogGroupCommand,
  PutLogGroupDeletionProtectionCommand, PutRetentionPolicyCommand, TagLogGroupCommand, TagResourceCommand, UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { logsKit, rejects, type LogsKit } from './setup.ts';

let kit: LogsKit;
before(async () => { kit = await logsKit(); });
after(() => kit.close());

test('create, describe with prefix and pagination, delete', async () => {
  const { logs } = kit;
  for (const n of ['/app/a', '/app/b', '/app/c', '/other/x']) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
  await rejects(logs.send(new CreateLogGroupCommand({ logGroupName: '/app/a' })), 'ResourceAlreadyExistsException', 'The specified log group already exists');
  const all = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/' }));
  assert.deepEqual(all.logGroups!.map((g) => g.logGroupName), ['/app/a', '/app/b', '/app/c']);
  const g = all.logGroups![0]!;
  assert.equal(g.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/app/a:*');
  assert.equal(g.logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/app/a');
  assert.equal(g.logGroupClass, 'STANDARD');
  assert.equal(g.metricFilterCount, 0);
  assert.equal(g.retentionInDays, undefined);
  const p1 = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/', limit: 2 }));
  assert.equal(p1.logGroups!.length, 2);
  const p2 = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/', limit: 2, nextToken: p1.nextToken }));
  assert.deepEqual(p2.logGroups!.map((x) => x.logGroupName), ['/app/c']);
  assert.equal(p2.nextToken, undefined);
  const pattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'OTHER' }));
  assert.deepEqual(pattern.logGroups!.map((x) => x.logGroupName), ['/other/x']);
  await logs.send(new DeleteLogGroupCommand({ logGroupName: '/other/x' }));
  await rejects(logs.send(new DeleteLogGroupCommand({ logGroupName: '/other/x' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
});

test('classes, KMS key ids, deletion protection', async () => {
  const { logs } = kit;
  const kms = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'ia', logGroupClass: 'INFREQUENT_ACCESS', kmsKeyId: kms }));
  let g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'ia' }))).logGroups![0]!;
  assert.equal(g.logGroupClass, 'INFREQUENT_ACCESS');
  assert.equal(g.kmsKeyId, kms);
  await logs.send(new DisassociateKmsKeyCommand({ logGroupName: 'ia' }));
  g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'ia' }))).logGroups![0]!;
  assert.equal(g.kmsKeyId, undefined);
  await logs.send(new AssociateKmsKeyCommand({ logGroupName: 'ia', kmsKeyId: kms }));
  const classes = await logs.send(new DescribeLogGroupsCommand({ logGroupClass: 'INFREQUENT_ACCESS' }));
  assert.deepEqual(classes.logGroups!.map((x) => x.logGroupName), ['ia']);
  await rejects(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad', logGroupClass: 'GOLD' as 'STANDARD' })), 'InvalidParameterException');
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'keep', deletionProtectionEnabled: true }));
  await rejects(logs.send(new DeleteLogGroupCommand({ logGroupName: 'keep' })), 'ValidationException', /deletion protection/);
  await logs.send(new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: 'keep', deletionProtectionEnabled: false }));
  await logs.send(new DeleteLogGroupCommand({ logGroupName: 'keep' }));
});

test('retention policies: allowed values only', async () => {
  const { logs } = kit;
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'ret' }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'ret', retentionInDays: 7 }));
  let g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'ret' }))).logGroups![0]!;
  assert.equal(g.retentionInDays, 7);
  await rejects(logs.send(new PutRetentionPolicyCommand({ logGroupName: 'ret', retentionInDays: 2 })), 'InvalidParameterException', /enum value set/);
  await rejects(logs.send(new PutRetentionPolicyCommand({ logGroupName: 'nope', retentionInDays: 1 })), 'ResourceNotFoundException');
  await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'ret' }));
  g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'ret' }))).logGroups![0]!;
  assert.equal(g.retentionInDays, undefined);
});

test('tags are real: TagResource and the legacy TagLogGroup see the same tags', async () => {
  const { logs } = kit;
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'tagged', tags: { team: 'a' } }));
  const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:tagged';
  await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'dev', team: 'b' } }));
  assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'b', env: 'dev' });
  await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
  assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'tagged' }))).tags, { env: 'dev' });
  await logs.send(new TagLogGroupCommand({ logGroupName: 'tagged', tags: { owner: 'me' } }));
  await logs.send(new UntagLogGroupCommand({ logGroupName: 'tagged', tags: ['env'] }));
  assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { owner: 'me' });
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
  await rejects(logs.send(new TagResourceCommand({ resourceArn: arn, tags: many })), 'TooManyTagsException');
  await rejects(logs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:missing' })), 'ResourceNotFoundException');
});

test('bad input answers InvalidParameterException', async () => {
  const { logs } = kit;
  await rejects(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })), 'InvalidParameterException', /regular expression pattern/);
  await rejects(logs.send(new CreateLogStreamCommand({ logGroupName: 'missing', logStreamName: 's' })), 'ResourceNotFoundException');
  await rejects(logs.send(new CreateLogStreamCommand({ logGroupName: 'ret', logStreamName: 'a:b' })), 'InvalidParameterException');
  await rejects(logs.send(new DescribeLogGroupsCommand({ limit: 51 })), 'InvalidParameterException');
  await rejects(logs.send(new DescribeLogGroupsCommand({ nextToken: 'garbage' })), 'InvalidParameterException');
});
