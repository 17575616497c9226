import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand,
  CreateServiceLinkedRoleCommand, DeleteInstanceProfileCommand, DeleteRoleCommand, DeleteRolePolicyCommand,
  DeleteServiceLinkedRoleCommand, DetachRolePolicyCommand, GetInstanceProfileCommand, GetRoleCommand, GetRolePolicyCommand,
  GetServiceLinkedRoleDeletionStatusCommand, ListAttachedRolePoliciesCommand, ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand, ListRolesCommand, ListRoleTagsCommand, PutRolePolicyCommand, RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { doc, iamHarness, rejects, TRUST } from './setup.ts';

const h = iamHarness();

test('CreateRole / GetRole: trust policy (URL-encoded as AWS returns it), duration, description, tags', async () => {
  const out = await h.iam.send(new CreateRoleCommand({
    RoleName: 'app', Path: '/svc/', AssumeRolePolicyDocument: TRUST, Description: 'the app', MaxSessionDuration: 7200,
    Tags: [{ Key: 'env', Value: 'test' }],
  }));
  assert.match(out.Role!.RoleId!, /^AROA[A-Z2-7]{17}$/);
  assert.equal(out.Role!.Arn, 'arn:aws:iam::000000000000:role/svc/app');
  const got = await h.iam.send(new GetRoleCommand({ RoleName: 'app' }));
  assert.deepEqual(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!)), JSON.parse(TRUST));
  assert.equal(got.Role!.MaxSessionDuration, 7200);
  assert.equal(got.Role!.Description, 'the app');
  assert.deepEqual(got.Role!.Tags, [{ Key: 'env', Value: 'test' }]);
  await h.iam.send(new UpdateRoleCommand({ RoleName: 'app', MaxSessionDuration: 3600, Description: 'changed' }));
  const trust2 = TRUST.replace('lambda', 'ec2');
  await h.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'app', PolicyDocument: trust2 }));
  const after = await h.iam.send(new GetRoleCommand({ RoleName: 'app' }));
  assert.equal(after.Role!.Description, 'changed');
  assert.equal(decodeURIComponent(after.Role!.AssumeRolePolicyDocument!), trust2);
  await h.iam.send(new TagRoleCommand({ RoleName: 'app', Tags: [{ Key: 'k', Value: 'v' }] }));
  assert.equal((await h.iam.send(new ListRoleTagsCommand({ RoleName: 'app' }))).Tags!.length, 2);
  const list = await h.iam.send(new ListRolesCommand({ PathPrefix: '/svc/' }));
  assert.deepEqual(list.Roles!.map((r) => r.RoleName), ['app']);
});

test('role errors: exists, missing, malformed trust policy, session duration range', async () => {
  await h.iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: TRUST }));
  await rejects(h.iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: TRUST })), { name: 'EntityAlreadyExistsException', message: 'Role with name dup already exists.' });
  await rejects(h.iam.send(new GetRoleCommand({ RoleName: 'ghost' })), { name: 'NoSuchEntityException', message: 'The role with name ghost cannot be found.', status: 404 });
  await rejects(h.iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: 'not json' })), { name: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.' });
  await rejects(h.iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 60 })), { name: 'ValidationError', message: /maxSessionDuration/ });
});

test('inline and attached role policies; DeleteRole conflicts', async () => {
  await h.iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: TRUST }));
  const policy = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
  await h.iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'read', PolicyDocument: policy }));
  const got = await h.iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'read' }));
  assert.equal(decodeURIComponent(got.PolicyDocument!), policy);
  assert.deepEqual((await h.iam.send(new ListRolePoliciesCommand({ RoleName: 'worker' }))).PolicyNames, ['read']);
  await rejects(h.iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'nope' })), { name: 'NoSuchEntityException', message: 'The role policy with name nope cannot be found.' });
  const basic = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
  await h.iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: basic }));
  const attached = await h.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker' }));
  assert.deepEqual(attached.AttachedPolicies, [{ PolicyArn: basic, PolicyName: 'AWSLambdaBasicExecutionRole' }]);
  await rejects(h.iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: 'arn:aws:iam::000000000000:policy/none' })), {
    name: 'NoSuchEntityException', message: 'Policy arn:aws:iam::000000000000:policy/none does not exist or is not attachable.',
  });
  await rejects(h.iam.send(new DeleteRoleCommand({ RoleName: 'worker' })), { name: 'DeleteConflictException', message: 'Cannot delete entity, must delete policies first.' });
  await h.iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'read' }));
  await rejects(h.iam.send(new DeleteRoleCommand({ RoleName: 'worker' })), { name: 'DeleteConflictException', message: 'Cannot delete entity, must detach all policies first.' });
  await h.iam.send(new DetachRolePolicyCommand({ RoleName: 'worker', PolicyArn: basic }));
  await h.iam.send(new DeleteRoleCommand({ RoleName: 'worker' }));
});

test('instance profiles hold one role', async () => {
  await h.iam.send(new CreateRoleCommand({ RoleName: 'ec2role', AssumeRolePolicyDocument: TRUST }));
  await h.iam.send(new CreateRoleCommand({ RoleName: 'ec2role2', AssumeRolePolicyDocument: TRUST }));
  const p = await h.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'prof' }));
  assert.match(p.InstanceProfile!.InstanceProfileId!, /^AIPA/);
  await h.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'prof', RoleName: 'ec2role' }));
  await rejects(h.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'prof', RoleName: 'ec2role2' })), {
    name: 'LimitExceededException', message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
  });
  const got = await h.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'prof' }));
  assert.deepEqual(got.InstanceProfile!.Roles!.map((r) => r.RoleName), ['ec2role']);
  const forRole = await h.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'ec2role' }));
  assert.deepEqual(forRole.InstanceProfiles!.map((x) => x.InstanceProfileName), ['prof']);
  await rejects(h.iam.send(new DeleteRoleCommand({ RoleName: 'ec2role' })), { name: 'DeleteConflictException', message: 'Cannot delete entity, must remove roles from instance profile first.' });
  await rejects(h.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'prof' })), { name: 'DeleteConflictException' });
  await h.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'prof', RoleName: 'ec2role' }));
  await h.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'prof' }));
  await rejects(h.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'prof' })), { name: 'NoSuchEntityException', message: 'Instance Profile prof cannot be found.' });
});

test('service-linked roles: created under /aws-service-role/, protected, deleted as a task', async () => {
  const out = await h.iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticbeanstalk.amazonaws.com' }));
  assert.equal(out.Role!.RoleName, 'AWSServiceRoleForElasticbeanstalk');
  assert.equal(out.Role!.Path, '/aws-service-role/elasticbeanstalk.amazonaws.com/');
  await rejects(h.iam.send(new DeleteRoleCommand({ RoleName: out.Role!.RoleName })), { name: 'UnmodifiableEntityException' });
  const del = await h.iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: out.Role!.RoleName }));
  const status = await h.iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: del.DeletionTaskId }));
  assert.equal(status.Status, 'SUCCEEDED');
});
