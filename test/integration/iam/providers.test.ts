import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  AddClientIDToOpenIDConnectProviderCommand, CreateOpenIDConnectProviderCommand, CreateSAMLProviderCommand,
  DeleteOpenIDConnectProviderCommand, DeleteServerCertificateCommand, GetOpenIDConnectProviderCommand, GetSAMLProviderCommand,
  GetServerCertificateCommand, ListOpenIDConnectProvidersCommand, ListSAMLProvidersCommand, ListServerCertificatesCommand,
  TagOpenIDConnectProviderCommand, ListOpenIDConnectProviderTagsCommand, UploadServerCertificateCommand, UpdateServerCertificateCommand,
} from '@aws-sdk/client-iam';
import { iamHarness, rejects } from './setup.ts';

const h = iamHarness();
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

test('OIDC providers: create, client ids, tags, delete', async () => {
  const out = await h.iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'] }));
  assert.equal(out.OpenIDConnectProviderArn, 'arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com');
  await rejects(h.iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com' })), { name: 'EntityAlreadyExistsException' });
  await h.iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: out.OpenIDConnectProviderArn, ClientID: 'other' }));
  await h.iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: out.OpenIDConnectProviderArn, Tags: [{ Key: 'k', Value: 'v' }] }));
  const got = await h.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: out.OpenIDConnectProviderArn }));
  assert.equal(got.Url, 'token.actions.githubusercontent.com');
  assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com', 'other']);
  assert.deepEqual((await h.iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: out.OpenIDConnectProviderArn }))).Tags, [{ Key: 'k', Value: 'v' }]);
  assert.equal((await h.iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.length, 1);
  await h.iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: out.OpenIDConnectProviderArn }));
  await rejects(h.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: out.OpenIDConnectProviderArn })), { name: 'NoSuchEntityException' });
});

test('SAML providers', async () => {
  const metadata = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com" validUntil="2031-01-01T00:00:00Z">${'<!-- padding -->'.repeat(70)}</EntityDescriptor>`;
  const out = await h.iam.send(new CreateSAMLProviderCommand({ Name: 'corp', SAMLMetadataDocument: metadata }));
  assert.equal(out.SAMLProviderArn, 'arn:aws:iam::000000000000:saml-provider/corp');
  const got = await h.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: out.SAMLProviderArn }));
  assert.equal(got.SAMLMetadataDocument, metadata);
  assert.equal(got.ValidUntil!.toISOString(), '2031-01-01T00:00:00.000Z');
  assert.equal((await h.iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!.length, 1);
  await rejects(h.iam.send(new CreateSAMLProviderCommand({ Name: 'bad', SAMLMetadataDocument: 'x'.repeat(1000) })), { name: 'InvalidInputException' });
});

test('server certificates: upload, rename, delete; malformed bodies refused', async () => {
  const out = await h.iam.send(new UploadServerCertificateCommand({
    ServerCertificateName: 'web', Path: '/cloudfront/', CertificateBody: fixture('server-cert.pem'), PrivateKey: fixture('server-key.pem'),
  }));
  const meta = out.ServerCertificateMetadata!;
  assert.equal(meta.Arn, 'arn:aws:iam::000000000000:server-certificate/cloudfront/web');
  assert.match(meta.ServerCertificateId!, /^ASCA/);
  assert.ok(meta.Expiration!.getUTCFullYear() > 2100);
  await h.iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'web', NewServerCertificateName: 'www' }));
  const got = await h.iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'www' }));
  assert.equal(got.ServerCertificate!.CertificateBody, fixture('server-cert.pem'));
  assert.deepEqual((await h.iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList!.map((c) => c.ServerCertificateName), ['www']);
  await h.iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'www' }));
  await rejects(h.iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'www' })), { name: 'NoSuchEntityException', message: 'The Server Certificate with name www cannot be found.' });
  await rejects(h.iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'bad', CertificateBody: 'not a cert', PrivateKey: fixture('server-key.pem') })), {
    name: 'MalformedCertificateException',
  });
});
