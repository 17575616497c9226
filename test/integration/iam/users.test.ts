import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AddUserToGroupCommand, ChangePasswordCommand, CreateAccessKeyCommand, CreateGroupCommand, CreateLoginProfileCommand, CreateUserCommand,
  DeleteAccessKeyCommand, DeleteGroupCommand, DeleteLoginProfileCommand, DeleteUserCommand, GetAccessKeyLastUsedCommand,
  GetGroupCommand, GetLoginProfileCommand, GetUserCommand, IAMClient, ListAccessKeysCommand, ListGroupsForUserCommand,
  ListUsersCommand, ListUserTagsCommand, RemoveUserFromGroupCommand, TagUserCommand, UntagUserCommand, UpdateAccessKeyCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig } from '../../helpers/kumo.ts';
import { iamHarness, rejects } from './setup.ts';

const h = iamHarness();

test('CreateUser / GetUser / ListUsers with paths, ids and ARNs', async () => {
  const out = await h.iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }] }));
  assert.match(out.User!.UserId!, /^AIDA[A-Z2-7]{17}$/);
  assert.equal(out.User!.Arn, 'arn:aws:iam::000000000000:user/eng/alice');
  assert.equal(out.User!.Path, '/eng/');
  assert.ok(out.User!.CreateDate instanceof Date);
  const got = await h.iam.send(new GetUserCommand({ UserName: 'alice' }));
  assert.equal(got.User!.UserId, out.User!.UserId);
  assert.deepEqual(got.User!.Tags, [{ Key: 'team', Value: 'core' }]);
  await h.iam.send(new CreateUserCommand({ UserName: 'bob' }));
  const eng = await h.iam.send(new ListUsersCommand({ PathPrefix: '/eng/' }));
  assert.deepEqual(eng.Users!.map((u) => u.UserName), ['alice']);
});

test('errors: duplicate (case-insensitive), missing user, invalid name', async () => {
  await h.iam.send(new CreateUserCommand({ UserName: 'carol' }));
  await rejects(h.iam.send(new CreateUserCommand({ UserName: 'CAROL' })), { name: 'EntityAlreadyExistsException', message: 'User with name CAROL already exists.', status: 409 });
  await rejects(h.iam.send(new GetUserCommand({ UserName: 'nobody' })), { name: 'NoSuchEntityException', message: 'The user with name nobody cannot be found.', status: 404 });
  await rejects(h.iam.send(new CreateUserCommand({ UserName: 'bad name!' })), { name: 'ValidationError', message: /failed to satisfy constraint/ });
});

test('ListUsers pages with Marker/MaxItems', async () => {
  for (const n of ['p1', 'p2', 'p3']) await h.iam.send(new CreateUserCommand({ UserName: n, Path: '/paged/' }));
  const first = await h.iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
  assert.equal(first.IsTruncated, true);
  assert.deepEqual(first.Users!.map((u) => u.UserName), ['p1', 'p2']);
  const second = await h.iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: first.Marker }));
  assert.equal(second.IsTruncated, false);
  assert.deepEqual(second.Users!.map((u) => u.UserName), ['p3']);
});

test('UpdateUser renames; tags add, replace and remove', async () => {
  await h.iam.send(new CreateUserCommand({ UserName: 'dave' }));
  await h.iam.send(new UpdateUserCommand({ UserName: 'dave', NewUserName: 'david', NewPath: '/ops/' }));
  const got = await h.iam.send(new GetUserCommand({ UserName: 'david' }));
  assert.equal(got.User!.Arn, 'arn:aws:iam::000000000000:user/ops/david');
  await h.iam.send(new TagUserCommand({ UserName: 'david', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
  await h.iam.send(new TagUserCommand({ UserName: 'david', Tags: [{ Key: 'A', Value: '3' }] }));
  await h.iam.send(new UntagUserCommand({ UserName: 'david', TagKeys: ['b'] }));
  const tags = await h.iam.send(new ListUserTagsCommand({ UserName: 'david' }));
  assert.deepEqual(tags.Tags, [{ Key: 'A', Value: '3' }]);
});

test('groups: membership, GetGroup users, DeleteConflict', async () => {
  await h.iam.send(new CreateUserCommand({ UserName: 'erin' }));
  const g = await h.iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
  assert.match(g.Group!.GroupId!, /^AGPA/);
  await h.iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'erin' }));
  const got = await h.iam.send(new GetGroupCommand({ GroupName: 'devs' }));
  assert.deepEqual(got.Users!.map((u) => u.UserName), ['erin']);
  const forUser = await h.iam.send(new ListGroupsForUserCommand({ UserName: 'erin' }));
  assert.deepEqual(forUser.Groups!.map((x) => x.GroupName), ['devs']);
  await rejects(h.iam.send(new DeleteGroupCommand({ GroupName: 'devs' })), { name: 'DeleteConflictException', message: 'Cannot delete entity, must remove users from group first.', status: 409 });
  await rejects(h.iam.send(new DeleteUserCommand({ UserName: 'erin' })), { name: 'DeleteConflictException' });
  await h.iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'erin' }));
  await h.iam.send(new DeleteGroupCommand({ GroupName: 'devs' }));
  await h.iam.send(new DeleteUserCommand({ UserName: 'erin' }));
  await rejects(h.iam.send(new GetGroupCommand({ GroupName: 'devs' })), { name: 'NoSuchEntityException', message: 'The group with name devs cannot be found.' });
});

test('access keys: create, list, deactivate, limit of two, last used, delete', async () => {
  await h.iam.send(new CreateUserCommand({ UserName: 'frank' }));
  const k1 = await h.iam.send(new CreateAccessKeyCommand({ UserName: 'frank' }));
  assert.match(k1.AccessKey!.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(k1.AccessKey!.SecretAccessKey!.length, 40);
  assert.equal(k1.AccessKey!.Status, 'Active');
  await h.iam.send(new CreateAccessKeyCommand({ UserName: 'frank' }));
  await rejects(h.iam.send(new CreateAccessKeyCommand({ UserName: 'frank' })), { name: 'LimitExceededException', message: 'Cannot exceed quota for AccessKeysPerUser: 2', status: 409 });
  await h.iam.send(new UpdateAccessKeyCommand({ UserName: 'frank', AccessKeyId: k1.AccessKey!.AccessKeyId, Status: 'Inactive' }));
  const list = await h.iam.send(new ListAccessKeysCommand({ UserName: 'frank' }));
  assert.equal(list.AccessKeyMetadata!.length, 2);
  assert.equal(list.AccessKeyMetadata!.find((k) => k.AccessKeyId === k1.AccessKey!.AccessKeyId)!.Status, 'Inactive');
  const used = await h.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k1.AccessKey!.AccessKeyId }));
  assert.equal(used.UserName, 'frank');
  assert.equal(used.AccessKeyLastUsed!.ServiceName, 'N/A');
  await rejects(h.iam.send(new DeleteUserCommand({ UserName: 'frank' })), { name: 'DeleteConflictException', message: 'Cannot delete entity, must delete access keys first.' });
  await h.iam.send(new DeleteAccessKeyCommand({ UserName: 'frank', AccessKeyId: k1.AccessKey!.AccessKeyId }));
  await rejects(h.iam.send(new DeleteAccessKeyCommand({ UserName: 'frank', AccessKeyId: k1.AccessKey!.AccessKeyId })), {
    name: 'NoSuchEntityException', message: `The Access Key with id ${k1.AccessKey!.AccessKeyId} cannot be found.`,
  });
});

test('a user access key signs requests as that user, in its account', async () => {
  const account = new IAMClient(clientConfig(h.kumo.endpoint, '111122223333'));
  await account.send(new CreateUserCommand({ UserName: 'grace' }));
  const key = (await account.send(new CreateAccessKeyCommand({ UserName: 'grace' }))).AccessKey!;
  const creds = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const sts = new STSClient({ endpoint: h.kumo.endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  const who = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(who.Account, '111122223333');
  assert.equal(who.Arn, 'arn:aws:iam::111122223333:user/grace');
  assert.match(who.UserId!, /^AIDA/);
  const asGrace = new IAMClient({ endpoint: h.kumo.endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  assert.equal((await asGrace.send(new GetUserCommand({}))).User!.UserName, 'grace');
  assert.equal((await asGrace.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!.length, 1);
  await rejects(asGrace.send(new ChangePasswordCommand({ OldPassword: 'a', NewPassword: 'b' })), { name: 'NoSuchEntityException', message: 'Login Profile for User grace cannot be found.' });
  await account.send(new CreateLoginProfileCommand({ UserName: 'grace', Password: 'first-Password1' }));
  await asGrace.send(new ChangePasswordCommand({ OldPassword: 'first-Password1', NewPassword: 'second-Password2' }));
  sts.destroy();
  asGrace.destroy();
  account.destroy();
});

test('login profiles', async () => {
  await h.iam.send(new CreateUserCommand({ UserName: 'heidi' }));
  await rejects(h.iam.send(new GetLoginProfileCommand({ UserName: 'heidi' })), { name: 'NoSuchEntityException', message: 'Login Profile for User heidi cannot be found.' });
  const lp = await h.iam.send(new CreateLoginProfileCommand({ UserName: 'heidi', Password: 'S3cret!pass', PasswordResetRequired: true }));
  assert.equal(lp.LoginProfile!.PasswordResetRequired, true);
  await rejects(h.iam.send(new CreateLoginProfileCommand({ UserName: 'heidi', Password: 'S3cret!pass' })), { name: 'EntityAlreadyExistsException' });
  assert.equal((await h.iam.send(new GetLoginProfileCommand({ UserName: 'heidi' }))).LoginProfile!.UserName, 'heidi');
  await rejects(h.iam.send(new DeleteUserCommand({ UserName: 'heidi' })), { name: 'DeleteConflictException', message: 'Cannot delete entity, must delete login profile first.' });
  await h.iam.send(new DeleteLoginProfileCommand({ UserName: 'heidi' }));
  await h.iam.send(new DeleteUserCommand({ UserName: 'heidi' }));
});
