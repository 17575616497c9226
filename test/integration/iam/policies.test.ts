import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AttachGroupPolicyCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreatePolicyVersionCommand,
  CreateUserCommand, DeletePolicyCommand, DeletePolicyVersionCommand, DetachUserPolicyCommand, GetPolicyCommand,
  GetPolicyVersionCommand, GetUserPolicyCommand, ListEntitiesForPolicyCommand, ListPoliciesCommand, ListPolicyVersionsCommand,
  PutUserPolicyCommand, SetDefaultPolicyVersionCommand, TagPolicyCommand, ListPolicyTagsCommand, GetAccountSummaryCommand,
  CreateAccountAliasCommand, ListAccountAliasesCommand, DeleteAccountAliasCommand, type CreatePolicyVersionCommandOutput,
  GetAccountPasswordPolicyCommand, UpdateAccountPasswordPolicyCommand, DeleteAccountPasswordPolicyCommand, CreateLoginProfileCommand,
  GetAccountAuthorizationDetailsCommand,
} from '@aws-sdk/client-iam';
import { doc, iamHarness, rejects } from './setup.ts';

const h = iamHarness();
const S3_READ = doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' });

test('managed policy versions: default, max five, delete rules', async () => {
  const p = (await h.iam.send(new CreatePolicyCommand({ PolicyName: 'read', Path: '/team/', PolicyDocument: S3_READ, Description: 'reads' }))).Policy!;
  assert.equal(p.Arn, 'arn:aws:iam::000000000000:policy/team/read');
  assert.match(p.PolicyId!, /^ANPA/);
  assert.equal(p.DefaultVersionId, 'v1');
  assert.equal(p.AttachmentCount, 0);
  for (let n = 2; n <= 5; n++) {
    const v: CreatePolicyVersionCommandOutput = await h.iam.send(new CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: S3_READ, SetAsDefault: n === 3 }));
    assert.equal(v.PolicyVersion!.VersionId, `v${n}`);
  }
  assert.equal((await h.iam.send(new GetPolicyCommand({ PolicyArn: p.Arn }))).Policy!.DefaultVersionId, 'v3');
  await rejects(h.iam.send(new CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: S3_READ })), {
    name: 'LimitExceededException', message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
  });
  await rejects(h.iam.send(new DeletePolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v3' })), { name: 'DeleteConflictException', message: 'Cannot delete the default version of a policy.' });
  await h.iam.send(new DeletePolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v1' }));
  await h.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v5' }));
  const versions = await h.iam.send(new ListPolicyVersionsCommand({ PolicyArn: p.Arn }));
  assert.deepEqual(versions.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', true], ['v4', false], ['v3', false], ['v2', false]]);
  const v5 = await h.iam.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v5' }));
  assert.equal(decodeURIComponent(v5.PolicyVersion!.Document!), S3_READ);
  await rejects(h.iam.send(new DeletePolicyCommand({ PolicyArn: p.Arn })), { name: 'DeleteConflictException', message: /more than one version/ });
  await rejects(h.iam.send(new CreatePolicyCommand({ PolicyName: 'read', PolicyDocument: S3_READ })), {
    name: 'EntityAlreadyExistsException', message: 'A policy called read already exists. Duplicate names are not allowed.',
  });
  await h.iam.send(new TagPolicyCommand({ PolicyArn: p.Arn, Tags: [{ Key: 'a', Value: 'b' }] }));
  assert.deepEqual((await h.iam.send(new ListPolicyTagsCommand({ PolicyArn: p.Arn }))).Tags, [{ Key: 'a', Value: 'b' }]);
});

test('attachments: counts, entities, OnlyAttached, DeleteConflict', async () => {
  const p = (await h.iam.send(new CreatePolicyCommand({ PolicyName: 'attach-me', PolicyDocument: S3_READ }))).Policy!;
  await h.iam.send(new CreateUserCommand({ UserName: 'u1' }));
  await h.iam.send(new CreateGroupCommand({ GroupName: 'g1' }));
  await h.iam.send(new AttachUserPolicyCommand({ UserName: 'u1', PolicyArn: p.Arn }));
  await h.iam.send(new AttachGroupPolicyCommand({ GroupName: 'g1', PolicyArn: p.Arn }));
  assert.equal((await h.iam.send(new GetPolicyCommand({ PolicyArn: p.Arn }))).Policy!.AttachmentCount, 2);
  const entities = await h.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: p.Arn }));
  assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['u1']);
  assert.deepEqual(entities.PolicyGroups!.map((g) => g.GroupName), ['g1']);
  const attached = await h.iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }));
  assert.deepEqual(attached.Policies!.map((x) => x.PolicyName), ['attach-me']);
  await rejects(h.iam.send(new DeletePolicyCommand({ PolicyArn: p.Arn })), { name: 'DeleteConflictException', message: 'Cannot delete a policy attached to entities.' });
  await h.iam.send(new DetachUserPolicyCommand({ UserName: 'u1', PolicyArn: p.Arn }));
  await rejects(h.iam.send(new DetachUserPolicyCommand({ UserName: 'u1', PolicyArn: p.Arn })), { name: 'NoSuchEntityException', message: `Policy ${p.Arn} was not found.` });
});

test('policy documents are validated with IAM texts', async () => {
  const cases: Array<[string, string]> = [
    ['{nope', 'Syntax errors in policy.'],
    [JSON.stringify({ Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } }), 'Policy document must be version 2012-10-17 or greater.'],
    [doc({ Effect: 'Maybe', Action: 's3:*', Resource: '*' }), 'Syntax errors in policy.'],
    [doc({ Effect: 'Allow', Resource: '*' }), 'Policy statement must contain actions.'],
    [doc({ Effect: 'Allow', Action: 's3:GetObject' }), 'Policy statement must contain resources.'],
    [doc({ Effect: 'Allow', Action: 'invalid', Resource: '*' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    [doc({ Effect: 'Allow', Action: 's3:List:Bucket', Resource: '*' }), 'Actions/Condition can contain only one colon.'],
    [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'bucket' }), 'Resource bucket must be in ARN format or "*".'],
    [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:error:s3:::b' }), 'Partition "error" is not valid for resource "arn:error:s3:::b".'],
    [doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }), 'Policy document should not specify a principal.'],
  ];
  for (const [document, message] of cases) {
    await rejects(h.iam.send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument: document })), { name: 'MalformedPolicyDocumentException', message, status: 400 });
  }
});

test('inline user policies: size quota', async () => {
  await h.iam.send(new CreateUserCommand({ UserName: 'inline' }));
  await h.iam.send(new PutUserPolicyCommand({ UserName: 'inline', PolicyName: 'p', PolicyDocument: S3_READ }));
  const got = await h.iam.send(new GetUserPolicyCommand({ UserName: 'inline', PolicyName: 'p' }));
  assert.equal(got.UserName, 'inline');
  const big = doc(Array.from({ length: 40 }, (_, n) => ({ Effect: 'Allow', Action: `s3:GetObject${n}`, Resource: `arn:aws:s3:::bucket-with-a-long-name-${n}/*` })));
  await rejects(h.iam.send(new PutUserPolicyCommand({ UserName: 'inline', PolicyName: 'big', PolicyDocument: big })), {
    name: 'LimitExceededException', message: 'Maximum policy size of 2048 bytes exceeded for user inline',
  });
});

test('account alias and summary', async () => {
  await h.iam.send(new CreateAccountAliasCommand({ AccountAlias: 'my-org' }));
  assert.deepEqual((await h.iam.send(new ListAccountAliasesCommand({}))).AccountAliases, ['my-org']);
  await h.iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'my-org' }));
  await rejects(h.iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'my-org' })), { name: 'NoSuchEntityException' });
  const summary = await h.iam.send(new GetAccountSummaryCommand({}));
  assert.equal(summary.SummaryMap!.Users, 2);
  assert.equal(summary.SummaryMap!.AccessKeysPerUserQuota, 2);
});

test('account password policy applies to login profiles', async () => {
  await rejects(h.iam.send(new GetAccountPasswordPolicyCommand({})), { name: 'NoSuchEntityException', message: 'The Password Policy with domain name 000000000000 cannot be found.' });
  await h.iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireNumbers: true, MaxPasswordAge: 90 }));
  const got = await h.iam.send(new GetAccountPasswordPolicyCommand({}));
  assert.equal(got.PasswordPolicy!.MinimumPasswordLength, 12);
  assert.equal(got.PasswordPolicy!.ExpirePasswords, true);
  await h.iam.send(new CreateUserCommand({ UserName: 'pw' }));
  await rejects(h.iam.send(new CreateLoginProfileCommand({ UserName: 'pw', Password: 'short' })), { name: 'PasswordPolicyViolationException', message: 'Password should have a minimum length of 12' });
  await rejects(h.iam.send(new CreateLoginProfileCommand({ UserName: 'pw', Password: 'long-enough-but-no-digits' })), { name: 'PasswordPolicyViolationException', message: 'Password should have at least one number' });
  await h.iam.send(new CreateLoginProfileCommand({ UserName: 'pw', Password: 'long-enough-with-1' }));
  await h.iam.send(new DeleteAccountPasswordPolicyCommand({}));
});

test('GetAccountAuthorizationDetails lists entities with their policies', async () => {
  const out = await h.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'LocalManagedPolicy'] }));
  const inline = out.UserDetailList!.find((u) => u.UserName === 'inline')!;
  assert.deepEqual(inline.UserPolicyList!.map((p) => p.PolicyName), ['p']);
  assert.ok(out.Policies!.some((p) => p.PolicyName === 'attach-me' && p.PolicyVersionList!.length === 1));
  assert.deepEqual(out.RoleDetailList, []);
  const paged = await h.iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1 }));
  assert.equal(paged.IsTruncated, true);
});
