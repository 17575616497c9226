/**
 * AWS's message signatures (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) over the
 * canonical "Key\nValue\n" string, made with the committed key in signing-material.ts; its
 * X.509 certificate is what the SigningCertURL (`/kumo/sns/signing-cert`) serves.
 */
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { SIGNING_KEY_PEM } from './signing-material.ts';

export { SIGNING_CERT_PEM } from './signing-material.ts';

/** Parsed on first use: parsing the PEM costs more than signing, and most runs never sign. */
let key: KeyObject | undefined;

const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
/** SubscriptionConfirmation and UnsubscribeConfirmation. */
const CONFIRMATION_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

/** The string AWS signs: the fields in this order, absent ones (Subject) skipped. */
export function stringToSign(m: Record<string, unknown>): string {
  const keys = m.Type === 'Notification' ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  return keys.filter((k) => m[k] !== undefined).map((k) => `${k}\n${String(m[k])}\n`).join('');
}

export function sign(m: Record<string, unknown>, version: string): string {
  key ??= createPrivateKey(SIGNING_KEY_PEM);
  return createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1').update(stringToSign(m), 'utf8').sign(key, 'base64');
}
