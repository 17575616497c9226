import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand,
  DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, EnableKeyRotationCommand, EncryptCommand, GetKeyPolicyCommand,
  GetKeyRotationStatusCommand, ListAliasesCommand, ListGrantsCommand, ListKeyPoliciesCommand, ListKeysCommand,
  ListResourceTagsCommand, ListRetirableGrantsCommand, PutKeyPolicyCommand, ReplicateKeyCommand, RetireGrantCommand,
  RevokeGrantCommand, ScheduleKeyDeletionCommand, TagResourceCommand, UntagResourceCommand, UpdateAliasCommand,
  DisableKeyRotationCommand, KMSClient, ListKeyRotationsCommand, RotateKeyOnDemandCommand,
} from '@aws-sdk/client-kms';
import { kmsHarness, rejects } from './setup.ts';

const h = kmsHarness();
const DAY = 86_400_000;

async function newKey(description = ''): Promise<{ id: string; arn: string }> {
  const m = (await h.kms.send(new CreateKeyCommand({ Description: description }))).KeyMetadata!;
  return { id: m.KeyId!, arn: m.Arn! };
}

test('CreateKey metadata and DescribeKey by id, ARN, alias name and alias ARN', async () => {
  const m = (await h.kms.send(new CreateKeyCommand({ Description: 'd', Tags: [{ TagKey: 't', TagValue: 'v' }] }))).KeyMetadata!;
  assert.equal(m.KeyState, 'Enabled');
  assert.equal(m.KeySpec, 'SYMMETRIC_DEFAULT');
  assert.equal(m.KeyUsage, 'ENCRYPT_DECRYPT');
  assert.equal(m.KeyManager, 'CUSTOMER');
  assert.deepEqual(m.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
  assert.match(m.KeyId!, /^[0-9a-f-]{36}$/);
  await h.kms.send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: m.KeyId }));
  const aliasArn = m.Arn!.replace(/key\/.*/, 'alias/describe-me');
  for (const KeyId of [m.KeyId!, m.Arn!, 'alias/describe-me', aliasArn]) {
    assert.equal((await h.kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.KeyId, m.KeyId, KeyId);
  }
  await rejects(h.kms.send(new DescribeKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })), 'NotFoundException',
    /^Key 'arn:aws:kms:us-east-1:\d{12}:key\/00000000-0000-0000-0000-000000000000' does not exist$/);
  await rejects(h.kms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })), 'NotFoundException', /^Alias arn:aws:kms:us-east-1:\d{12}:alias\/nope is not found\.$/);
  await rejects(h.kms.send(new DescribeKeyCommand({ KeyId: 'garbage' })), 'NotFoundException', 'Invalid keyId garbage');
});

test('ListKeys paginates with markers', async () => {
  for (let i = 0; i < 3; i++) await newKey();
  const seen: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await h.kms.send(new ListKeysCommand({ Limit: 2, Marker }));
    assert.ok(page.Keys!.length <= 2);
    seen.push(...page.Keys!.map((k) => k.KeyId!));
    Marker = page.Truncated ? page.NextMarker : undefined;
  } while (Marker);
  const all = (await h.kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId!);
  assert.deepEqual(seen, all);
  assert.equal(new Set(seen).size, seen.length);
});

test('disabled keys refuse cryptography with DisabledException until enabled', async () => {
  const { id, arn } = await newKey();
  await h.kms.send(new DisableKeyCommand({ KeyId: id }));
  assert.equal((await h.kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyState, 'Disabled');
  await rejects(h.kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') })), 'DisabledException', `${arn} is disabled.`);
  await h.kms.send(new EnableKeyCommand({ KeyId: id }));
  await h.kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') }));
});

test('ScheduleKeyDeletion: 7-30 days, PendingDeletion, cancel, deletion on the clock', async () => {
  const { id, arn } = await newKey();
  await rejects(h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 6 })), 'ValidationException');
  await rejects(h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 31 })), 'ValidationException');
  const s = await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 }));
  assert.equal(s.KeyState, 'PendingDeletion');
  assert.equal(s.PendingWindowInDays, 7);
  await rejects(h.kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', `${arn} is pending deletion.`);
  await h.kms.send(new CancelKeyDeletionCommand({ KeyId: id }));
  assert.equal((await h.kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyState, 'Disabled');

  const doomed = await newKey();
  await h.kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: doomed.id }));
  await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.id, PendingWindowInDays: 7 }));
  await h.advance(7 * DAY - 1000);
  assert.equal((await h.kms.send(new DescribeKeyCommand({ KeyId: doomed.id }))).KeyMetadata!.KeyState, 'PendingDeletion');
  await h.advance(2000);
  await rejects(h.kms.send(new DescribeKeyCommand({ KeyId: doomed.id })), 'NotFoundException');
  const aliases = (await h.kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName);
  assert.ok(!aliases.includes('alias/doomed'));
});

test('key rotation status, period and automatic rotation on the clock', async () => {
  const { id } = await newKey();
  assert.equal((await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: id }))).KeyRotationEnabled, false);
  const old = await h.kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('old') }));
  await h.kms.send(new EnableKeyRotationCommand({ KeyId: id, RotationPeriodInDays: 90 }));
  const st = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: id }));
  assert.equal(st.KeyRotationEnabled, true);
  assert.equal(st.RotationPeriodInDays, 90);
  await h.advance(90 * DAY + 1000);
  const rotations = (await h.kms.send(new ListKeyRotationsCommand({ KeyId: id }))).Rotations!;
  assert.equal(rotations.length, 1);
  assert.equal(rotations[0]!.RotationType, 'AUTOMATIC');
  assert.equal(Buffer.from((await h.kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext!).toString(), 'old');
  await h.kms.send(new DisableKeyRotationCommand({ KeyId: id }));
  assert.equal((await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: id }))).KeyRotationEnabled, false);
});

test('aliases: create, list by key, update, delete; reserved and duplicate names refused', async () => {
  const a = await newKey();
  const b = await newKey();
  await h.kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: a.id }));
  await rejects(h.kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: b.id })), 'AlreadyExistsException');
  await rejects(h.kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: b.id })), 'InvalidAliasNameException');
  await rejects(h.kms.send(new CreateAliasCommand({ AliasName: 'nope', TargetKeyId: b.id })), 'InvalidAliasNameException');
  const listed = (await h.kms.send(new ListAliasesCommand({ KeyId: a.id }))).Aliases!;
  assert.deepEqual(listed.map((x) => x.AliasName), ['alias/app']);
  assert.equal(listed[0]!.TargetKeyId, a.id);
  await h.kms.send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: b.id }));
  assert.equal((await h.kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata!.KeyId, b.id);
  await h.kms.send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
  await rejects(h.kms.send(new DeleteAliasCommand({ AliasName: 'alias/app' })), 'NotFoundException');
});

test('grants: create, list, retire by token, revoke', async () => {
  const { id } = await newKey();
  const g1 = await h.kms.send(new CreateGrantCommand({
    KeyId: id, GranteePrincipal: 'arn:aws:iam::123456789012:role/a', RetiringPrincipal: 'arn:aws:iam::123456789012:role/r',
    Operations: ['Encrypt', 'Decrypt'], Name: 'g1',
  }));
  const again = await h.kms.send(new CreateGrantCommand({
    KeyId: id, GranteePrincipal: 'arn:aws:iam::123456789012:role/a', Operations: ['Decrypt', 'Encrypt'], Name: 'g1',
  }));
  assert.equal(again.GrantId, g1.GrantId);
  const g2 = await h.kms.send(new CreateGrantCommand({ KeyId: id, GranteePrincipal: 'arn:aws:iam::123456789012:role/b', Operations: ['Decrypt'] }));
  assert.equal((await h.kms.send(new ListGrantsCommand({ KeyId: id }))).Grants!.length, 2);
  const retirable = await h.kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'arn:aws:iam::123456789012:role/r' }));
  assert.deepEqual(retirable.Grants!.map((g) => g.GrantId), [g1.GrantId]);
  await h.kms.send(new RetireGrantCommand({ GrantToken: g1.GrantToken }));
  await h.kms.send(new RevokeGrantCommand({ KeyId: id, GrantId: g2.GrantId }));
  assert.equal((await h.kms.send(new ListGrantsCommand({ KeyId: id }))).Grants!.length, 0);
  await rejects(h.kms.send(new RevokeGrantCommand({ KeyId: id, GrantId: g2.GrantId! })), 'InvalidGrantIdException');
});

test('key policies: default document, put and get back, malformed refused', async () => {
  const { id } = await newKey();
  const def = JSON.parse((await h.kms.send(new GetKeyPolicyCommand({ KeyId: id, PolicyName: 'default' }))).Policy!);
  assert.equal(def.Statement[0].Action, 'kms:*');
  assert.deepEqual((await h.kms.send(new ListKeyPoliciesCommand({ KeyId: id }))).PolicyNames, ['default']);
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] });
  await h.kms.send(new PutKeyPolicyCommand({ KeyId: id, PolicyName: 'default', Policy }));
  assert.equal((await h.kms.send(new GetKeyPolicyCommand({ KeyId: id }))).Policy, Policy);
  await rejects(h.kms.send(new PutKeyPolicyCommand({ KeyId: id, Policy: '{not json' })), 'MalformedPolicyDocumentException');
});

test('tags: tag, overwrite, untag, aws: prefix refused', async () => {
  const { id } = await newKey();
  await h.kms.send(new TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }] }));
  await h.kms.send(new TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'a', TagValue: '3' }] }));
  await h.kms.send(new UntagResourceCommand({ KeyId: id, TagKeys: ['b'] }));
  assert.deepEqual((await h.kms.send(new ListResourceTagsCommand({ KeyId: id }))).Tags, [{ TagKey: 'a', TagValue: '3' }]);
  await rejects(h.kms.send(new TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'aws:x', TagValue: '1' }] })), 'TagException');
});

test('multi-Region keys replicate with the same id and material', async () => {
  const m = (await h.kms.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
  assert.match(m.KeyId!, /^mrk-[0-9a-f]{32}$/);
  assert.equal(m.MultiRegionConfiguration!.MultiRegionKeyType, 'PRIMARY');
  const enc = await h.kms.send(new EncryptCommand({ KeyId: m.KeyId, Plaintext: Buffer.from('everywhere') }));
  const r = await h.kms.send(new ReplicateKeyCommand({ KeyId: m.KeyId, ReplicaRegion: 'eu-west-1' }));
  assert.equal(r.ReplicaKeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType, 'REPLICA');
  const eu = new KMSClient({ endpoint: h.kumo.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    const dec = await eu.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'everywhere');
  } finally {
    eu.destroy();
  }
  await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: m.KeyId }));
  const rotated = await h.kms.send(new EncryptCommand({ KeyId: m.KeyId, Plaintext: Buffer.from('after rotation') }));
  const eu2 = new KMSClient({ endpoint: h.kumo.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    assert.equal(Buffer.from((await eu2.send(new DecryptCommand({ CiphertextBlob: rotated.CiphertextBlob }))).Plaintext!).toString(), 'after rotation');
  } finally {
    eu2.destroy();
  }
  const primary = (await h.kms.send(new DescribeKeyCommand({ KeyId: m.KeyId }))).KeyMetadata!;
  assert.deepEqual(primary.MultiRegionConfiguration!.ReplicaKeys!.map((k) => k.Region), ['eu-west-1']);
});
