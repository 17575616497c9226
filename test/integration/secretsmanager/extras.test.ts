import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CancelRotateSecretCommand, CreateSecretCommand, DeleteResourcePolicyCommand, DescribeSecretCommand, GetRandomPasswordCommand,
  GetResourcePolicyCommand, PutResourcePolicyCommand, RemoveRegionsFromReplicationCommand, ReplicateSecretToRegionsCommand,
  RotateSecretCommand, ValidateResourcePolicyCommand,
} from '@aws-sdk/client-secrets-manager';
import { rejects, smHarness } from './setup.ts';

const h = smHarness();
const DAY = 86_400_000;

test('GetRandomPassword honours every option', async () => {
  const p = (await h.sm.send(new GetRandomPasswordCommand({}))).RandomPassword!;
  assert.equal(p.length, 32);
  assert.match(p, /[a-z]/);
  assert.match(p, /[A-Z]/);
  assert.match(p, /[0-9]/);
  assert.match(p, /[^a-zA-Z0-9]/);
  const digits = (await h.sm.send(new GetRandomPasswordCommand({
    PasswordLength: 50, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: '0123',
  }))).RandomPassword!;
  assert.match(digits, /^[4-9]{50}$/);
  const spaced = (await h.sm.send(new GetRandomPasswordCommand({ PasswordLength: 200, IncludeSpace: true, ExcludePunctuation: true }))).RandomPassword!;
  assert.match(spaced, /^[a-zA-Z0-9 ]{200}$/);
  const loose = (await h.sm.send(new GetRandomPasswordCommand({ PasswordLength: 1, RequireEachIncludedType: false }))).RandomPassword!;
  assert.equal(loose.length, 1);
  await rejects(h.sm.send(new GetRandomPasswordCommand({ PasswordLength: 2 })), 'InvalidParameterException');
  await rejects(h.sm.send(new GetRandomPasswordCommand({
    ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true,
  })), 'InvalidParameterException');
});

test('resource policies: put, get, delete, validate; malformed and public refused', async () => {
  await h.sm.send(new CreateSecretCommand({ Name: 'pol', SecretString: 'x' }));
  const ResourcePolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
  });
  await h.sm.send(new PutResourcePolicyCommand({ SecretId: 'pol', ResourcePolicy }));
  assert.equal((await h.sm.send(new GetResourcePolicyCommand({ SecretId: 'pol' }))).ResourcePolicy, ResourcePolicy);
  assert.equal((await h.sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy }))).PolicyValidationPassed, true);
  const bad = await h.sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: '{"Statement":[{"Action":"x"}]}' }));
  assert.equal(bad.PolicyValidationPassed, false);
  assert.ok(bad.ValidationErrors!.length > 0);
  await rejects(h.sm.send(new PutResourcePolicyCommand({ SecretId: 'pol', ResourcePolicy: 'not json' })), 'MalformedPolicyDocumentException');
  const open = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:*', Resource: '*' }] });
  await rejects(h.sm.send(new PutResourcePolicyCommand({ SecretId: 'pol', ResourcePolicy: open, BlockPublicPolicy: true })), 'PublicPolicyException');
  await h.sm.send(new DeleteResourcePolicyCommand({ SecretId: 'pol' }));
  assert.equal((await h.sm.send(new GetResourcePolicyCommand({ SecretId: 'pol' }))).ResourcePolicy, undefined);
});

test('replication is recorded per region', async () => {
  await h.sm.send(new CreateSecretCommand({ Name: 'rep', SecretString: 'x', AddReplicaRegions: [{ Region: 'eu-west-1' }] }));
  const r = await h.sm.send(new ReplicateSecretToRegionsCommand({ SecretId: 'rep', AddReplicaRegions: [{ Region: 'ap-south-1', KmsKeyId: 'alias/k' }] }));
  assert.deepEqual(r.ReplicationStatus!.map((s) => [s.Region, s.Status]), [['eu-west-1', 'InSync'], ['ap-south-1', 'InSync']]);
  await h.sm.send(new RemoveRegionsFromReplicationCommand({ SecretId: 'rep', RemoveReplicaRegions: ['eu-west-1'] }));
  assert.deepEqual((await h.sm.send(new DescribeSecretCommand({ SecretId: 'rep' }))).ReplicationStatus!.map((s) => s.Region), ['ap-south-1']);
});

test('rotation configuration: schedule on the clock, cancel; rotating needs a function', async () => {
  await h.sm.send(new CreateSecretCommand({ Name: 'rot', SecretString: 'x' }));
  await rejects(h.sm.send(new RotateSecretCommand({ SecretId: 'rot' })), 'InvalidRequestException', 'No Lambda rotation function ARN is associated with this secret.');
  const RotationLambdaARN = 'arn:aws:lambda:us-east-1:000000000000:function:rotator';
  await h.sm.send(new RotateSecretCommand({ SecretId: 'rot', RotationLambdaARN, RotationRules: { AutomaticallyAfterDays: 10 }, RotateImmediately: false }));
  const d = await h.sm.send(new DescribeSecretCommand({ SecretId: 'rot' }));
  assert.equal(d.RotationEnabled, true);
  assert.equal(d.RotationLambdaARN, RotationLambdaARN);
  assert.deepEqual(d.RotationRules, { AutomaticallyAfterDays: 10 });
  assert.ok(d.NextRotationDate!.getTime() > Date.now() + 9 * DAY);
  await rejects(h.sm.send(new RotateSecretCommand({ SecretId: 'rot', RotationRules: { ScheduleExpression: 'rate(2 hours)' } })), 'InvalidParameterException');
  await rejects(h.sm.send(new RotateSecretCommand({ SecretId: 'rot' })), 'ResourceNotFoundException', /Function not found/);
  await h.sm.send(new CancelRotateSecretCommand({ SecretId: 'rot' }));
  assert.equal((await h.sm.send(new DescribeSecretCommand({ SecretId: 'rot' }))).RotationEnabled, false);
});
