import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateKeyCommand, DisableKeyCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import {
  BatchGetSecretValueCommand, CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand,
  ListSecretsCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, RestoreSecretCommand, TagResourceCommand,
  UntagResourceCommand, UpdateSecretCommand, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { rejects, smHarness } from './setup.ts';

const h = smHarness();
const DAY = 86_400_000;
const NOT_FOUND = 'Secrets Manager can\'t find the specified secret.';
const MARKED = 'You can\'t perform this operation on the secret because it was marked for deletion.';

test('create, get by name, full ARN and partial ARN; describe; missing secret', async () => {
  const c = await h.sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"pw":"x"}', Description: 'db' }));
  assert.match(c.ARN!, /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:app\/db-[a-zA-Z]{6}$/);
  assert.ok(c.VersionId);
  for (const SecretId of ['app/db', c.ARN!, c.ARN!.slice(0, -7)]) {
    const v = await h.sm.send(new GetSecretValueCommand({ SecretId }));
    assert.equal(v.SecretString, '{"pw":"x"}', SecretId);
    assert.deepEqual(v.VersionStages, ['AWSCURRENT']);
  }
  const d = await h.sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
  assert.equal(d.Description, 'db');
  assert.deepEqual(d.VersionIdsToStages, { [c.VersionId!]: ['AWSCURRENT'] });
  assert.equal(d.RotationEnabled, false);
  await rejects(h.sm.send(new GetSecretValueCommand({ SecretId: 'missing' })), 'ResourceNotFoundException', NOT_FOUND);
  await rejects(h.sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'y' })), 'ResourceExistsException',
    'The operation failed because the secret app/db already exists.');
  await rejects(h.sm.send(new CreateSecretCommand({ Name: 'bad name!', SecretString: 'y' })), 'InvalidParameterException');
  await rejects(h.sm.send(new CreateSecretCommand({ Name: 'both', SecretString: 'y', SecretBinary: Buffer.from('z') })), 'InvalidParameterException');
});

test('binary secrets and the 64 KB limit', async () => {
  await h.sm.send(new CreateSecretCommand({ Name: 'bin', SecretBinary: Buffer.from([1, 2, 3]) }));
  const v = await h.sm.send(new GetSecretValueCommand({ SecretId: 'bin' }));
  assert.deepEqual(Buffer.from(v.SecretBinary!), Buffer.from([1, 2, 3]));
  assert.equal(v.SecretString, undefined);
  await assert.rejects(h.sm.send(new CreateSecretCommand({ Name: 'huge', SecretString: 'x'.repeat(65537) })));
  await h.sm.send(new CreateSecretCommand({ Name: 'max', SecretString: 'x'.repeat(65536) }));
});

test('PutSecretValue rotates labels: AWSCURRENT moves, AWSPREVIOUS follows; custom labels; version lookups', async () => {
  const c = await h.sm.send(new CreateSecretCommand({ Name: 'ver', SecretString: 'one' }));
  const p2 = await h.sm.send(new PutSecretValueCommand({ SecretId: 'ver', SecretString: 'two' }));
  assert.deepEqual(p2.VersionStages, ['AWSCURRENT']);
  assert.equal((await h.sm.send(new GetSecretValueCommand({ SecretId: 'ver', VersionStage: 'AWSPREVIOUS' }))).SecretString, 'one');
  const p3 = await h.sm.send(new PutSecretValueCommand({ SecretId: 'ver', SecretString: 'three', VersionStages: ['custom'] }));
  assert.equal((await h.sm.send(new GetSecretValueCommand({ SecretId: 'ver' }))).SecretString, 'two');
  assert.equal((await h.sm.send(new GetSecretValueCommand({ SecretId: 'ver', VersionStage: 'custom' }))).SecretString, 'three');
  assert.equal((await h.sm.send(new GetSecretValueCommand({ SecretId: 'ver', VersionId: c.VersionId }))).SecretString, 'one');
  await rejects(h.sm.send(new GetSecretValueCommand({ SecretId: 'ver', VersionStage: 'nope' })), 'ResourceNotFoundException',
    'Secrets Manager can\'t find the specified secret value for staging label: nope');
  const ids = (await h.sm.send(new ListSecretVersionIdsCommand({ SecretId: 'ver' }))).Versions!;
  assert.deepEqual(Object.fromEntries(ids.map((v) => [v.VersionId, v.VersionStages])), {
    [c.VersionId!]: ['AWSPREVIOUS'], [p2.VersionId!]: ['AWSCURRENT'], [p3.VersionId!]: ['custom'],
  });
  await rejects(h.sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'ver', VersionStage: 'AWSCURRENT', MoveToVersionId: p3.VersionId })),
    'InvalidParameterException', new RegExp(`^The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${p2.VersionId}`));
  await h.sm.send(new UpdateSecretVersionStageCommand({
    SecretId: 'ver', VersionStage: 'AWSCURRENT', MoveToVersionId: p3.VersionId, RemoveFromVersionId: p2.VersionId,
  }));
  const d = await h.sm.send(new DescribeSecretCommand({ SecretId: 'ver' }));
  assert.deepEqual(d.VersionIdsToStages, { [p2.VersionId!]: ['AWSPREVIOUS'], [p3.VersionId!]: ['custom', 'AWSCURRENT'] });
});

test('client request tokens: a retry with the same value is a no-op, a different value is refused', async () => {
  const token = 'a'.repeat(32);
  await h.sm.send(new CreateSecretCommand({ Name: 'tok', SecretString: 'v', ClientRequestToken: token }));
  const again = await h.sm.send(new CreateSecretCommand({ Name: 'tok', SecretString: 'v', ClientRequestToken: token }));
  assert.equal(again.VersionId, token);
  const t2 = 'b'.repeat(32);
  await h.sm.send(new PutSecretValueCommand({ SecretId: 'tok', SecretString: 'w', ClientRequestToken: t2 }));
  const retry = await h.sm.send(new PutSecretValueCommand({ SecretId: 'tok', SecretString: 'w', ClientRequestToken: t2 }));
  assert.equal(retry.VersionId, t2);
  await rejects(h.sm.send(new PutSecretValueCommand({ SecretId: 'tok', SecretString: 'other', ClientRequestToken: t2 })), 'ResourceExistsException',
    'You can\'t modify an existing version, you can only create a new version.');
  assert.equal((await h.sm.send(new ListSecretVersionIdsCommand({ SecretId: 'tok' }))).Versions!.length, 2);
});

test('delete with a recovery window on the clock, restore, force delete, errors on deleted secrets', async () => {
  await h.sm.send(new CreateSecretCommand({ Name: 'del', SecretString: 'x' }));
  await rejects(h.sm.send(new DeleteSecretCommand({ SecretId: 'del', RecoveryWindowInDays: 6 })), 'InvalidParameterException',
    'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  await rejects(h.sm.send(new DeleteSecretCommand({ SecretId: 'del', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })), 'InvalidParameterException');
  const d = await h.sm.send(new DeleteSecretCommand({ SecretId: 'del', RecoveryWindowInDays: 7 }));
  assert.ok(d.DeletionDate);
  await rejects(h.sm.send(new GetSecretValueCommand({ SecretId: 'del' })), 'InvalidRequestException', MARKED);
  await rejects(h.sm.send(new CreateSecretCommand({ Name: 'del', SecretString: 'y' })), 'InvalidRequestException');
  assert.ok((await h.sm.send(new DescribeSecretCommand({ SecretId: 'del' }))).DeletedDate);
  const listed = async (IncludePlannedDeletion: boolean) =>
    (await h.sm.send(new ListSecretsCommand({ IncludePlannedDeletion }))).SecretList!.some((s) => s.Name === 'del');
  assert.equal(await listed(false), false);
  assert.equal(await listed(true), true);
  await h.sm.send(new RestoreSecretCommand({ SecretId: 'del' }));
  assert.equal((await h.sm.send(new GetSecretValueCommand({ SecretId: 'del' }))).SecretString, 'x');
  await h.sm.send(new DeleteSecretCommand({ SecretId: 'del', RecoveryWindowInDays: 7 }));
  await h.advance(7 * DAY - 1000);
  assert.ok((await h.sm.send(new DescribeSecretCommand({ SecretId: 'del' }))).DeletedDate);
  await h.advance(2000);
  await rejects(h.sm.send(new DescribeSecretCommand({ SecretId: 'del' })), 'ResourceNotFoundException', NOT_FOUND);
  await h.sm.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'x' }));
  await h.sm.send(new DeleteSecretCommand({ SecretId: 'gone', ForceDeleteWithoutRecovery: true }));
  await rejects(h.sm.send(new GetSecretValueCommand({ SecretId: 'gone' })), 'ResourceNotFoundException');
});

test('UpdateSecret changes the description and adds a version', async () => {
  await h.sm.send(new CreateSecretCommand({ Name: 'upd', SecretString: 'a' }));
  const u = await h.sm.send(new UpdateSecretCommand({ SecretId: 'upd', Description: 'new', SecretString: 'b' }));
  assert.ok(u.VersionId);
  assert.equal((await h.sm.send(new GetSecretValueCommand({ SecretId: 'upd' }))).SecretString, 'b');
  assert.equal((await h.sm.send(new DescribeSecretCommand({ SecretId: 'upd' }))).Description, 'new');
});

test('ListSecrets filters and pagination; BatchGetSecretValue by ids and by filter', async () => {
  for (const n of ['list/a', 'list/b', 'list/c']) {
    await h.sm.send(new CreateSecretCommand({ Name: n, SecretString: n, Tags: [{ Key: 'team', Value: n === 'list/c' ? 'blue' : 'red' }] }));
  }
  const byName = await h.sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }] }));
  assert.deepEqual(byName.SecretList!.map((s) => s.Name), ['list/a', 'list/b', 'list/c']);
  const byTag = await h.sm.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-value', Values: ['red'] }, { Key: 'name', Values: ['list/'] }] }));
  assert.deepEqual(byTag.SecretList!.map((s) => s.Name), ['list/a', 'list/b']);
  const negated = await h.sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }, { Key: 'tag-value', Values: ['!red'] }] }));
  assert.deepEqual(negated.SecretList!.map((s) => s.Name), ['list/c']);
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await h.sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }], MaxResults: 2, NextToken, SortOrder: 'desc' }));
    names.push(...page.SecretList!.map((s) => s.Name!));
    NextToken = page.NextToken;
  } while (NextToken);
  assert.deepEqual(names, ['list/c', 'list/b', 'list/a']);
  const batch = await h.sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['list/a', 'list/none'] }));
  assert.deepEqual(batch.SecretValues!.map((v) => v.SecretString), ['list/a']);
  assert.deepEqual(batch.Errors!.map((e) => [e.SecretId, e.ErrorCode]), [['list/none', 'ResourceNotFoundException']]);
  const byFilter = await h.sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'tag-value', Values: ['blue'] }] }));
  assert.deepEqual(byFilter.SecretValues!.map((v) => v.Name), ['list/c']);
  await rejects(h.sm.send(new BatchGetSecretValueCommand({})), 'InvalidParameterException');
});

test('tags: tag and untag', async () => {
  await h.sm.send(new CreateSecretCommand({ Name: 'tagged', SecretString: 'x' }));
  await h.sm.send(new TagResourceCommand({ SecretId: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
  await h.sm.send(new UntagResourceCommand({ SecretId: 'tagged', TagKeys: ['a'] }));
  assert.deepEqual((await h.sm.send(new DescribeSecretCommand({ SecretId: 'tagged' }))).Tags, [{ Key: 'b', Value: '2' }]);
});

test('KMS: the default key aws/secretsmanager is created on demand; a disabled customer key refuses decryption', async () => {
  const KmsKeyId = (await h.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  await h.sm.send(new CreateSecretCommand({ Name: 'kms/default', SecretString: 'x' }));
  const aliases = (await h.kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName);
  assert.ok(aliases.includes('alias/aws/secretsmanager'));
  await h.sm.send(new CreateSecretCommand({ Name: 'kms/custom', SecretString: 'sealed', KmsKeyId }));
  assert.equal((await h.sm.send(new DescribeSecretCommand({ SecretId: 'kms/custom' }))).KmsKeyId, KmsKeyId);
  assert.equal((await h.sm.send(new GetSecretValueCommand({ SecretId: 'kms/custom' }))).SecretString, 'sealed');
  const versions = (await h.sm.send(new ListSecretVersionIdsCommand({ SecretId: 'kms/custom' }))).Versions!;
  assert.match(versions[0]!.KmsKeyIds![0]!, new RegExp(KmsKeyId));
  await h.kms.send(new DisableKeyCommand({ KeyId: KmsKeyId }));
  await rejects(h.sm.send(new GetSecretValueCommand({ SecretId: 'kms/custom' })), 'DecryptionFailure');
  await rejects(h.sm.send(new CreateSecretCommand({ Name: 'kms/missing', SecretString: 'x', KmsKeyId: 'alias/none' })), 'EncryptionFailure');
});
