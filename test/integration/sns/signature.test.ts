import assert from 'node:assert/strict';
import { createVerify, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishCommand, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { httpEndpoint, snsHarness, type Received } from './setup.ts';

const h = snsHarness();

/**
 * AWS's documented verification ("Verifying the signatures of Amazon SNS messages"): the
 * "Name\nValue\n" pairs in this order, Subject only when present, then SHA1withRSA (version 1)
 * or SHA256withRSA (version 2) with the certificate fetched from SigningCertURL.
 */
const SIGNED: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

function canonical(doc: Record<string, string>): string {
  return SIGNED[doc.Type!]!.filter((k) => k in doc).map((k) => `${k}\n${doc[k]}\n`).join('');
}

async function verify(doc: Record<string, string>): Promise<boolean> {
  const res = await fetch(doc.SigningCertURL!);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/x-x509-ca-cert');
  const cert = new X509Certificate(await res.text());
  const algorithm = { 1: 'RSA-SHA1', 2: 'RSA-SHA256' }[doc.SignatureVersion!];
  assert.ok(algorithm, `SignatureVersion ${doc.SignatureVersion}`);
  return createVerify(algorithm).update(canonical(doc), 'utf8').verify(cert.publicKey, doc.Signature!, 'base64');
}

function parsed(r: Received, type: string): Record<string, string> {
  assert.equal(r.headers['x-amz-sns-message-type'], type);
  const doc = JSON.parse(r.body);
  assert.equal(doc.Type, type);
  return doc;
}

test('the SigningCertURL serves a self-signed RSA 2048 X.509 certificate for sns.amazonaws.com', async () => {
  const res = await fetch(`${h.kumo.endpoint}/kumo/sns/signing-cert`);
  assert.equal(res.headers.get('content-type'), 'application/x-x509-ca-cert');
  const pem = await res.text();
  assert.match(pem, /^-----BEGIN CERTIFICATE-----\n/);
  const cert = new X509Certificate(pem);
  assert.equal(cert.subject, 'CN=sns.amazonaws.com');
  assert.ok(cert.verify(cert.publicKey), 'self-signed');
  assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
  assert.equal(cert.publicKey.asymmetricKeyDetails!.modulusLength, 2048);
  assert.ok(new Date(cert.validTo).getTime() > Date.now() + 50 * 365 * 86_400_000, 'valid for decades');
});

for (const version of ['1', '2']) {
  test(`SignatureVersion ${version}: confirmation, notifications and unsubscribe confirmation verify with the certificate`, async () => {
    const ep = await httpEndpoint();
    try {
      const { TopicArn } = await h.sns.send(new CreateTopicCommand({
        Name: h.name(), ...(version === '2' ? { Attributes: { SignatureVersion: '2' } } : {}),
      }));
      await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: ep.url }));
      const [c] = await ep.next(1);
      const confirmation = parsed(c!, 'SubscriptionConfirmation');
      assert.equal(confirmation.SignatureVersion, version);
      assert.equal(await verify(confirmation), true);
      const { SubscriptionArn } = await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.Token }));

      // Characters JSON escapes must be signed as themselves.
      const message = 'line one\nline "two"\t\u00e9\u4e91 \\ </end>';
      await h.sns.send(new PublishCommand({ TopicArn, Message: message, Subject: 'a subject' }));
      await h.sns.send(new PublishCommand({ TopicArn, Message: 'no subject' }));
      const [, n1, n2] = await ep.next(3);
      const withSubject = parsed(n1!, 'Notification');
      const withoutSubject = parsed(n2!, 'Notification');
      assert.equal(withSubject.Message, message);
      assert.equal(withoutSubject.Subject, undefined);
      for (const doc of [withSubject, withoutSubject]) {
        assert.equal(doc.SignatureVersion, version);
        assert.equal(await verify(doc), true);
      }
      assert.equal(await verify({ ...withSubject, Message: `${message}.` }), false, 'a changed message fails verification');
      assert.equal(await verify({ ...withSubject, Subject: 'another' }), false, 'the subject is signed');

      await h.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      const [, , , u] = await ep.next(4);
      assert.equal(u!.headers['x-amz-sns-subscription-arn'], SubscriptionArn);
      const bye = parsed(u!, 'UnsubscribeConfirmation');
      assert.equal(bye.Message, `You have chosen to deactivate subscription ${SubscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`);
      assert.equal(bye.SignatureVersion, version);
      assert.equal(await verify(bye), true);
      assert.equal(await verify({ ...bye, Token: `${bye.Token}0` }), false, 'the token is signed');
    } finally {
      await ep.close();
    }
  });
}

test('the UnsubscribeConfirmation SubscribeURL restores the subscription', async () => {
  const ep = await httpEndpoint();
  try {
    const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: h.name() }));
    await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: ep.url }));
    const [c] = await ep.next(1);
    const { SubscriptionArn } = await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: parsed(c!, 'SubscriptionConfirmation').Token }));
    await h.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    const [, u] = await ep.next(2);
    const bye = parsed(u!, 'UnsubscribeConfirmation');
    assert.deepEqual((await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions, []);

    const restored = await (await fetch(bye.SubscribeURL!)).json() as any;
    assert.equal(restored.ConfirmSubscriptionResult.SubscriptionArn, SubscriptionArn);
    const listed = await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.deepEqual(listed.Subscriptions!.map((s) => s.SubscriptionArn), [SubscriptionArn]);
    await h.sns.send(new PublishCommand({ TopicArn, Message: 'back' }));
    const [, , n] = await ep.next(3);
    assert.equal(parsed(n!, 'Notification').Message, 'back');
  } finally {
    await ep.close();
  }
});
