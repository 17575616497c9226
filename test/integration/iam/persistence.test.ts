import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  AttachRolePolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand,
  CreateUserCommand, GetPolicyCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';
import { doc, TRUST } from './setup.ts';

test('IAM entities, access keys and STS sessions survive a restart, and keys still resolve to their identity', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-iam-'));
  try {
    const first = await startTestKumo({ dataDir: dir });
    let iam = new IAMClient(clientConfig(first.endpoint, '444455556666'));
    let sts = new STSClient(clientConfig(first.endpoint, '444455556666'));
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: TRUST }))).Role!;
    const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }))).Policy!;
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policy.Arn, PolicyDocument: doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }), SetAsDefault: true }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'kept', PolicyArn: policy.Arn }));
    await iam.send(new CreateUserCommand({ UserName: 'u' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'u' }))).AccessKey!;
    const session = (await sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'before' }))).Credentials!;
    iam.destroy();
    sts.destroy();
    await first.stop();

    const second = await startTestKumo({ dataDir: dir });
    iam = new IAMClient(clientConfig(second.endpoint, '444455556666'));
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'kept' }))).Role!.RoleId, role.RoleId);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: policy.Arn }))).Policy!.DefaultVersionId, 'v2');
    assert.equal((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: policy.Arn }))).Versions!.length, 2);
    assert.equal((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'kept' }))).AttachedPolicies!.length, 1);
    const asUser = new STSClient({ endpoint: second.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
    assert.equal((await asUser.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::444455556666:user/u');
    const asRole = new STSClient({
      endpoint: second.endpoint, region: 'us-east-1', maxAttempts: 1,
      credentials: { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! },
    });
    assert.equal((await asRole.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:sts::444455556666:assumed-role/kept/before');
    iam.destroy();
    asUser.destroy();
    asRole.destroy();
    await second.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
