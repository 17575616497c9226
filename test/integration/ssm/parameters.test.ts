import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import {
  AddTagsToResourceCommand, DeleteParameterCommand, DeleteParametersCommand, DescribeParametersCommand, GetParameterCommand,
  GetParameterHistoryCommand, GetParametersByPathCommand, GetParametersCommand, LabelParameterVersionCommand,
  ListTagsForResourceCommand, PutParameterCommand, RemoveTagsFromResourceCommand, UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import { rejects, ssmHarness } from './setup.ts';

const h = ssmHarness();

test('String and StringList: put, get, overwrite makes versions, ParameterAlreadyExists without Overwrite', async () => {
  const put = await h.ssm.send(new PutParameterCommand({ Name: '/app/plain', Value: 'v1', Type: 'String', Description: 'd' }));
  assert.deepEqual([put.Version, put.Tier], [1, 'Standard']);
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/app/plain', Value: 'v2', Type: 'String' })), 'ParameterAlreadyExists',
    'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
  assert.equal((await h.ssm.send(new PutParameterCommand({ Name: '/app/plain', Value: 'v2', Overwrite: true }))).Version, 2);
  const got = (await h.ssm.send(new GetParameterCommand({ Name: '/app/plain' }))).Parameter!;
  assert.equal(got.Value, 'v2');
  assert.equal(got.Version, 2);
  assert.equal(got.Type, 'String');
  assert.equal(got.DataType, 'text');
  assert.match(got.ARN!, /^arn:aws:ssm:us-east-1:\d{12}:parameter\/app\/plain$/);
  const v1 = (await h.ssm.send(new GetParameterCommand({ Name: '/app/plain:1' }))).Parameter!;
  assert.deepEqual([v1.Value, v1.Selector, v1.Name], ['v1', ':1', '/app/plain']);
  await rejects(h.ssm.send(new GetParameterCommand({ Name: '/app/plain:9' })), 'ParameterVersionNotFound',
    'Systems Manager could not find version 9 of /app/plain. Verify the version and try again.');
  await h.ssm.send(new PutParameterCommand({ Name: 'list', Value: 'a,b,c', Type: 'StringList' }));
  assert.equal((await h.ssm.send(new GetParameterCommand({ Name: 'list' }))).Parameter!.Value, 'a,b,c');
  await rejects(h.ssm.send(new GetParameterCommand({ Name: '/nope' })), 'ParameterNotFound');
});

test('SecureString: encrypted with alias/aws/ssm by default, ciphertext decrypts through KMS with the parameter ARN as context', async () => {
  await h.ssm.send(new PutParameterCommand({ Name: '/app/secret', Value: 'hunter2', Type: 'SecureString' }));
  const raw = (await h.ssm.send(new GetParameterCommand({ Name: '/app/secret' }))).Parameter!;
  assert.notEqual(raw.Value, 'hunter2');
  const plain = (await h.ssm.send(new GetParameterCommand({ Name: '/app/secret', WithDecryption: true }))).Parameter!;
  assert.equal(plain.Value, 'hunter2');
  const dec = await h.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(raw.Value!, 'base64'), EncryptionContext: { PARAMETER_ARN: raw.ARN! } }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'hunter2');
  const meta = (await h.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/app/secret'] }] }))).Parameters!;
  assert.equal(meta[0]!.KeyId, 'alias/aws/ssm');
});

test('SecureString with a customer key; a disabled key refuses decryption as InvalidKeyId', async () => {
  const KeyId = (await h.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  await h.ssm.send(new PutParameterCommand({ Name: '/app/custom', Value: 's3cret', Type: 'SecureString', KeyId }));
  assert.equal((await h.ssm.send(new GetParameterCommand({ Name: '/app/custom', WithDecryption: true }))).Parameter!.Value, 's3cret');
  await h.kms.send(new DisableKeyCommand({ KeyId }));
  await rejects(h.ssm.send(new GetParameterCommand({ Name: '/app/custom', WithDecryption: true })), 'InvalidKeyId');
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/app/bad', Value: 'x', Type: 'SecureString', KeyId: 'alias/missing' })), 'InvalidKeyId');
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/app/str', Value: 'x', Type: 'String', KeyId })), 'ValidationException');
});

test('GetParameters reports missing names as InvalidParameters', async () => {
  await h.ssm.send(new PutParameterCommand({ Name: '/multi/a', Value: 'a', Type: 'String' }));
  const r = await h.ssm.send(new GetParametersCommand({ Names: ['/multi/a', '/multi/missing'] }));
  assert.deepEqual(r.Parameters!.map((p) => p.Value), ['a']);
  assert.deepEqual(r.InvalidParameters, ['/multi/missing']);
});

test('GetParametersByPath: one level, recursive, filters, pagination', async () => {
  for (const n of ['/tree/a', '/tree/b', '/tree/sub/c', '/tree/sub/deep/d']) {
    await h.ssm.send(new PutParameterCommand({ Name: n, Value: n, Type: n.endsWith('b') ? 'StringList' : 'String' }));
  }
  const one = await h.ssm.send(new GetParametersByPathCommand({ Path: '/tree' }));
  assert.deepEqual(one.Parameters!.map((p) => p.Name), ['/tree/a', '/tree/b']);
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await h.ssm.send(new GetParametersByPathCommand({ Path: '/tree/', Recursive: true, MaxResults: 3, NextToken }));
    names.push(...page.Parameters!.map((p) => p.Name!));
    NextToken = page.NextToken;
  } while (NextToken);
  assert.deepEqual(names, ['/tree/a', '/tree/b', '/tree/sub/c', '/tree/sub/deep/d']);
  const lists = await h.ssm.send(new GetParametersByPathCommand({ Path: '/tree', Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['StringList'] }] }));
  assert.deepEqual(lists.Parameters!.map((p) => p.Name), ['/tree/b']);
  await rejects(h.ssm.send(new GetParametersByPathCommand({ Path: '/tree', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })), 'InvalidFilterKey');
  await rejects(h.ssm.send(new GetParametersByPathCommand({ Path: 'tree' })), 'ValidationException');
});

test('DescribeParameters filters by name prefix, path, type and tags; Filters and ParameterFilters exclusive', async () => {
  await h.ssm.send(new PutParameterCommand({ Name: '/desc/x', Value: '1', Type: 'String', Tags: [{ Key: 'team', Value: 'red' }] }));
  await h.ssm.send(new PutParameterCommand({ Name: '/desc/y', Value: '2', Type: 'String', Tier: 'Advanced' }));
  const byPrefix = await h.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/desc/'] }] }));
  assert.deepEqual(byPrefix.Parameters!.map((p) => p.Name), ['/desc/x', '/desc/y']);
  const byTag = await h.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag:team', Values: ['red'] }] }));
  assert.deepEqual(byTag.Parameters!.map((p) => p.Name), ['/desc/x']);
  const byTier = await h.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Values: ['/desc'] }, { Key: 'Tier', Values: ['Advanced'] }] }));
  assert.deepEqual(byTier.Parameters!.map((p) => [p.Name, p.Tier]), [['/desc/y', 'Advanced']]);
  const legacy = await h.ssm.send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['/desc/x'] }] }));
  assert.deepEqual(legacy.Parameters!.map((p) => p.Name), ['/desc/x']);
  await rejects(h.ssm.send(new DescribeParametersCommand({
    Filters: [{ Key: 'Name', Values: ['a'] }], ParameterFilters: [{ Key: 'Name', Values: ['a'] }],
  })), 'ValidationException');
});

test('labels move between versions; selectors by label; history lists labels; unlabel', async () => {
  const Name = '/lab/p';
  await h.ssm.send(new PutParameterCommand({ Name, Value: 'one', Type: 'String' }));
  await h.ssm.send(new PutParameterCommand({ Name, Value: 'two', Overwrite: true }));
  const r = await h.ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 1, Labels: ['prod', 'aws-bad', '1x'] }));
  assert.deepEqual(r.InvalidLabels, ['aws-bad', '1x']);
  assert.equal((await h.ssm.send(new GetParameterCommand({ Name: `${Name}:prod` }))).Parameter!.Value, 'one');
  await h.ssm.send(new LabelParameterVersionCommand({ Name, Labels: ['prod'] }));
  assert.equal((await h.ssm.send(new GetParameterCommand({ Name: `${Name}:prod` }))).Parameter!.Value, 'two');
  const hist = (await h.ssm.send(new GetParameterHistoryCommand({ Name }))).Parameters!;
  assert.deepEqual(hist.map((v) => [v.Version, v.Value, v.Labels]), [[1, 'one', []], [2, 'two', ['prod']]]);
  const un = await h.ssm.send(new UnlabelParameterVersionCommand({ Name, ParameterVersion: 2, Labels: ['prod', 'none'] }));
  assert.deepEqual([un.RemovedLabels, un.InvalidLabels], [['prod'], ['none']]);
  await rejects(h.ssm.send(new GetParameterCommand({ Name: `${Name}:prod` })), 'ParameterNotFound');
});

test('AllowedPattern, data types, tiers and policies are checked', async () => {
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/chk/num', Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' })),
    'ParameterPatternMismatchException', 'Parameter value, cannot be validated against allowedPattern: ^\\d+$');
  await h.ssm.send(new PutParameterCommand({ Name: '/chk/num', Value: '123', Type: 'String', AllowedPattern: '^\\d+$' }));
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/chk/num', Value: 'x', Overwrite: true })), 'ParameterPatternMismatchException');
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/chk/ami', Value: 'nope', Type: 'String', DataType: 'aws:ec2:image' })), 'ValidationException');
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/chk/big', Value: 'x'.repeat(5000), Type: 'String' })), 'ValidationException',
    /^Standard tier parameters support a maximum parameter value of 4096 characters/);
  const it = await h.ssm.send(new PutParameterCommand({ Name: '/chk/big', Value: 'x'.repeat(5000), Type: 'String', Tier: 'Intelligent-Tiering' }));
  assert.equal(it.Tier, 'Advanced');
  const Policies = JSON.stringify([{ Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: '2030-01-01T00:00:00.000Z' } }]);
  await h.ssm.send(new PutParameterCommand({ Name: '/chk/pol', Value: 'p', Type: 'String', Tier: 'Advanced', Policies }));
  const meta = (await h.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/chk/pol'] }] }))).Parameters![0]!;
  assert.equal(meta.Policies![0]!.PolicyType, 'Expiration');
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/chk/pol2', Value: 'p', Type: 'String', Policies: '[{"Type":"Bogus","Attributes":{}}]', Tier: 'Advanced' })),
    'InvalidPolicyTypeException');
});

test('names: reserved prefixes, bad characters, hierarchy depth', async () => {
  await rejects(h.ssm.send(new PutParameterCommand({ Name: 'awsthing', Value: 'x', Type: 'String' })), 'ValidationException',
    'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/aws/x', Value: 'x', Type: 'String' })), 'AccessDeniedException');
  await rejects(h.ssm.send(new PutParameterCommand({ Name: 'a/b', Value: 'x', Type: 'String' })), 'ValidationException', 'Parameter name must be a fully qualified name.');
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/bad name', Value: 'x', Type: 'String' })), 'ValidationException');
  const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`;
  await rejects(h.ssm.send(new PutParameterCommand({ Name: deep, Value: 'x', Type: 'String' })), 'HierarchyLevelLimitExceededException');
  await rejects(h.ssm.send(new PutParameterCommand({ Name: '/no/type', Value: 'x' })), 'ValidationException');
});

test('tags on parameters; delete and delete many', async () => {
  await h.ssm.send(new PutParameterCommand({ Name: '/tag/p', Value: 'x', Type: 'String', Tags: [{ Key: 'a', Value: '1' }] }));
  await h.ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tag/p', Tags: [{ Key: 'b', Value: '2' }] }));
  await h.ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tag/p', TagKeys: ['a'] }));
  assert.deepEqual((await h.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tag/p' }))).TagList, [{ Key: 'b', Value: '2' }]);
  await rejects(h.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tag/none' })), 'InvalidResourceId');
  await h.ssm.send(new DeleteParameterCommand({ Name: '/tag/p' }));
  await rejects(h.ssm.send(new DeleteParameterCommand({ Name: '/tag/p' })), 'ParameterNotFound');
  await h.ssm.send(new PutParameterCommand({ Name: '/del/a', Value: 'x', Type: 'String' }));
  const r = await h.ssm.send(new DeleteParametersCommand({ Names: ['/del/a', '/del/b'] }));
  assert.deepEqual([r.DeletedParameters, r.InvalidParameters], [['/del/a'], ['/del/b']]);
});
