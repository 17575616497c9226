import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AddUserToGroupCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreateUserCommand,
  GetContextKeysForPrincipalPolicyCommand, PutGroupPolicyCommand, PutUserPermissionsBoundaryCommand, PutUserPolicyCommand,
  SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { doc, iamHarness, rejects } from './setup.ts';

const h = iamHarness();

test('SimulatePrincipalPolicy combines user, group and managed policies', async () => {
  await h.iam.send(new CreateUserCommand({ UserName: 'sim' }));
  await h.iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
  await h.iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'sim' }));
  await h.iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::data/*' }) }));
  await h.iam.send(new PutUserPolicyCommand({ UserName: 'sim', PolicyName: 'no-secrets', PolicyDocument: doc({ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::data/secret/*' }) }));
  const managed = (await h.iam.send(new CreatePolicyCommand({ PolicyName: 'queues', PolicyDocument: doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }) }))).Policy!;
  await h.iam.send(new AttachUserPolicyCommand({ UserName: 'sim', PolicyArn: managed.Arn }));
  const arn = 'arn:aws:iam::000000000000:user/sim';
  const out = await h.iam.send(new SimulatePrincipalPolicyCommand({
    PolicySourceArn: arn,
    ActionNames: ['s3:GetObject', 'sqs:SendMessage'],
    ResourceArns: ['arn:aws:s3:::data/a.txt', 'arn:aws:s3:::data/secret/b.txt'],
    ContextEntries: [{ ContextKeyName: 'aws:RequestedRegion', ContextKeyType: 'string', ContextKeyValues: ['eu-west-1'] }],
  }));
  const decisions = out.EvaluationResults!.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision]);
  assert.deepEqual(decisions, [
    ['s3:GetObject', 'arn:aws:s3:::data/a.txt', 'allowed'],
    ['s3:GetObject', 'arn:aws:s3:::data/secret/b.txt', 'explicitDeny'],
    ['sqs:SendMessage', 'arn:aws:s3:::data/a.txt', 'allowed'],
    ['sqs:SendMessage', 'arn:aws:s3:::data/secret/b.txt', 'allowed'],
  ]);
  assert.deepEqual(out.EvaluationResults![0]!.MatchedStatements!.map((m) => [m.SourcePolicyId, m.SourcePolicyType]), [['read', 'group']]);
  assert.deepEqual(out.EvaluationResults![1]!.MatchedStatements!.map((m) => [m.SourcePolicyId, m.SourcePolicyType]), [['no-secrets', 'user']]);
  const noRegion = await h.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: ['sqs:SendMessage'] }));
  assert.equal(noRegion.EvaluationResults![0]!.EvalDecision, 'implicitDeny');
  assert.deepEqual(noRegion.EvaluationResults![0]!.MissingContextValues, ['aws:RequestedRegion']);
  const keys = await h.iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: arn }));
  assert.deepEqual(keys.ContextKeyNames, ['aws:RequestedRegion']);
});

test('permissions boundary limits the simulation', async () => {
  await h.iam.send(new CreateUserCommand({ UserName: 'bounded' }));
  await h.iam.send(new PutUserPolicyCommand({ UserName: 'bounded', PolicyName: 'all', PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
  const b = (await h.iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }))).Policy!;
  await h.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: b.Arn }));
  const out = await h.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::000000000000:user/bounded', ActionNames: ['s3:PutObject', 'iam:CreateUser'] }));
  assert.deepEqual(out.EvaluationResults!.map((r) => r.EvalDecision), ['allowed', 'implicitDeny']);
  assert.equal(out.EvaluationResults![1]!.PermissionsBoundaryDecisionDetail!.AllowedByPermissionsBoundary, false);
});

test('SimulateCustomPolicy evaluates the given documents', async () => {
  const out = await h.iam.send(new SimulateCustomPolicyCommand({
    PolicyInputList: [doc([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' }])],
    ActionNames: ['dynamodb:GetItem', 'dynamodb:DeleteTable', 's3:GetObject'],
  }));
  assert.deepEqual(out.EvaluationResults!.map((r) => r.EvalDecision), ['allowed', 'explicitDeny', 'implicitDeny']);
  assert.equal(out.EvaluationResults![0]!.MatchedStatements![0]!.SourcePolicyId, 'PolicyInputList.1');
  await rejects(h.iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{'], ActionNames: ['s3:GetObject'] })), { name: 'MalformedPolicyDocumentException' });
  await rejects(h.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::000000000000:user/ghost', ActionNames: ['s3:GetObject'] })), { name: 'NoSuchEntityException' });
});
