import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand, AssumeRoleWithSAMLCommand, AssumeRoleWithWebIdentityCommand, GetAccessKeyInfoCommand,
  GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand, STSClient, type Credentials,
} from '@aws-sdk/client-sts';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';
import { rejects } from '../iam/setup.ts';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] });
const NOW = Date.parse('2030-01-02T03:04:05Z');

let kumo: Kumo;
let iam: IAMClient;
let sts: STSClient;
before(async () => {
  kumo = await startTestKumo();
  iam = new IAMClient(clientConfig(kumo.endpoint));
  sts = new STSClient(clientConfig(kumo.endpoint));
  assert.equal((await controlPost(kumo.endpoint, '/kumo/clock', { freeze: true, set: NOW })).status, 200);
  await iam.send(new CreateRoleCommand({ RoleName: 'deployer', Path: '/ci/', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 7200 }));
});
after(async () => {
  iam.destroy();
  sts.destroy();
  await kumo.stop();
});

function as(creds: Credentials): STSClient {
  return new STSClient({
    endpoint: kumo.endpoint, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! },
  });
}

test('AssumeRole returns temporary credentials that sign later calls as the assumed role', async () => {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ci/deployer', RoleSessionName: 'build-42', DurationSeconds: 1800 }));
  const c = out.Credentials!;
  assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(c.SecretAccessKey!.length, 40);
  assert.ok(c.SessionToken!.length > 100);
  assert.equal(c.Expiration!.getTime(), NOW + 1800 * 1000);
  assert.equal(out.AssumedRoleUser!.Arn, 'arn:aws:sts::000000000000:assumed-role/deployer/build-42');
  assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:build-42$/);
  const role = as(c);
  const who = await role.send(new GetCallerIdentityCommand({}));
  assert.equal(who.Account, '000000000000');
  assert.equal(who.Arn, out.AssumedRoleUser!.Arn);
  assert.equal(who.UserId, out.AssumedRoleUser!.AssumedRoleId);
  // Role chaining is capped at one hour.
  await rejects(role.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ci/deployer', RoleSessionName: 'again', DurationSeconds: 7200 })), {
    name: 'ValidationError', message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  });
  await rejects(role.send(new GetSessionTokenCommand({})), { name: 'AccessDenied', status: 403 });
  role.destroy();
});

test('a role in another account: the credentials belong to that account', async () => {
  const other = new IAMClient(clientConfig(kumo.endpoint, '222233334444'));
  await other.send(new CreateRoleCommand({ RoleName: 'cross', AssumeRolePolicyDocument: TRUST }));
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222233334444:role/cross', RoleSessionName: 'ss' }));
  const role = as(out.Credentials!);
  const who = await role.send(new GetCallerIdentityCommand({}));
  assert.equal(who.Account, '222233334444');
  assert.equal(who.Arn, 'arn:aws:sts::222233334444:assumed-role/cross/ss');
  const info = await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: out.Credentials!.AccessKeyId }));
  assert.equal(info.Account, '222233334444');
  role.destroy();
  other.destroy();
});

test('AssumeRole errors: missing role, duration, session name', async () => {
  await rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/nope', RoleSessionName: 'ss' })), {
    name: 'AccessDenied', status: 403,
    message: 'User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/nope',
  });
  await rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ci/deployer', RoleSessionName: 'ss', DurationSeconds: 10800 })), {
    name: 'ValidationError', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  });
  await rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ci/deployer', RoleSessionName: 'ss', DurationSeconds: 100 })), {
    name: 'ValidationError', message: "1 validation error detected: Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  });
  await rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ci/deployer', RoleSessionName: 'has space' })), {
    name: 'ValidationError', message: /at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  });
  await rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ci/deployer', RoleSessionName: 'ss', Policy: '{"bad"' })), {
    name: 'MalformedPolicyDocumentException',
  });
});

test('GetSessionToken and GetFederationToken credentials keep or name the identity', async () => {
  const session = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
  // The account root's session tokens last at most an hour.
  assert.equal(session.Credentials!.Expiration!.getTime(), NOW + 3600 * 1000);
  const asSession = as(session.Credentials!);
  assert.equal((await asSession.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:root');
  asSession.destroy();
  const fed = await sts.send(new GetFederationTokenCommand({ Name: 'bob', DurationSeconds: 900 }));
  assert.equal(fed.FederatedUser!.Arn, 'arn:aws:sts::000000000000:federated-user/bob');
  assert.equal(fed.FederatedUser!.FederatedUserId, '000000000000:bob');
  const asFed = as(fed.Credentials!);
  const who = await asFed.send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, 'arn:aws:sts::000000000000:federated-user/bob');
  assert.equal(who.UserId, '000000000000:bob');
  asFed.destroy();
});

test('AssumeRoleWithWebIdentity reads the token claims', async () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${b64({ alg: 'RS256' })}.${b64({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r:ref:main', aud: 'sts.amazonaws.com' })}.sig`;
  const anonymous = new STSClient({ endpoint: kumo.endpoint, region: 'us-east-1', maxAttempts: 1 });
  const out = await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ci/deployer', RoleSessionName: 'gha', WebIdentityToken: token }));
  assert.equal(out.SubjectFromWebIdentityToken, 'repo:o/r:ref:main');
  assert.equal(out.Audience, 'sts.amazonaws.com');
  assert.equal(out.Provider, 'token.actions.githubusercontent.com');
  assert.equal(out.AssumedRoleUser!.Arn, 'arn:aws:sts::000000000000:assumed-role/deployer/gha');
  const role = as(out.Credentials!);
  assert.equal((await role.send(new GetCallerIdentityCommand({}))).Arn, out.AssumedRoleUser!.Arn);
  role.destroy();
  await rejects(anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ci/deployer', RoleSessionName: 'gha', WebIdentityToken: 'not-a-jwt' })), {
    name: 'InvalidIdentityTokenException', message: /not a valid JWT/,
  });
  anonymous.destroy();
});

test('AssumeRoleWithSAML reads the assertion', async () => {
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
<saml:Issuer>https://idp.example.com</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">user@example.com</saml:NameID></saml:Subject>
<saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>alice</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>
</saml:Assertion></samlp:Response>`;
  const anonymous = new STSClient({ endpoint: kumo.endpoint, region: 'us-east-1', maxAttempts: 1 });
  const out = await anonymous.send(new AssumeRoleWithSAMLCommand({
    RoleArn: 'arn:aws:iam::000000000000:role/ci/deployer', PrincipalArn: 'arn:aws:iam::000000000000:saml-provider/corp',
    SAMLAssertion: Buffer.from(xml).toString('base64'),
  }));
  assert.equal(out.AssumedRoleUser!.Arn, 'arn:aws:sts::000000000000:assumed-role/deployer/alice');
  assert.equal(out.Subject, 'user@example.com');
  assert.equal(out.SubjectType, 'persistent');
  assert.equal(out.Issuer, 'https://idp.example.com');
  assert.ok(out.NameQualifier);
  anonymous.destroy();
});

test('an IAM user assumes a role: AccessDenied names the user; GetAccessKeyInfo knows user keys', async () => {
  const other = new IAMClient(clientConfig(kumo.endpoint, '555566667777'));
  await other.send(new CreateUserCommand({ UserName: 'dev' }));
  const key = (await other.send(new CreateAccessKeyCommand({ UserName: 'dev' }))).AccessKey!;
  assert.equal((await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: key.AccessKeyId }))).Account, '555566667777');
  const dev = new STSClient({ endpoint: kumo.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
  await rejects(dev.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::555566667777:role/missing', RoleSessionName: 'ss' })), {
    name: 'AccessDenied', message: 'User: arn:aws:iam::555566667777:user/dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::555566667777:role/missing',
  });
  const session = await dev.send(new GetSessionTokenCommand({}));
  assert.equal(session.Credentials!.Expiration!.getTime(), NOW + 43200 * 1000);
  const asSession = as(session.Credentials!);
  assert.equal((await asSession.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::555566667777:user/dev');
  const anonymous = new STSClient({ endpoint: kumo.endpoint, region: 'us-east-1', maxAttempts: 1 });
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  await rejects(anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::555566667777:role/missing', RoleSessionName: 'ss', WebIdentityToken: `${b64({})}.${b64({ sub: 'x' })}.s` })), {
    name: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity', status: 403,
  });
  for (const c of [other, dev, asSession, anonymous]) c.destroy();
});
