/**
 * AWS's message signatures (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) over the
 * canonical "Key\nValue\n" string. kumo signs with an RSA key it generates once and keeps in
 * its state, so signatures stay verifiable across restarts; the public key is served at
 * `/kumo/sns/signing-cert` (SigningCertURL).
 */
import { createPrivateKey, createPublicKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SnsStore } from './store.ts';

const KEY = 'signing-key';
/** Parsed once per store: parsing the PEM costs more than signing. */
const parsed = new WeakMap<SnsStore, KeyObject>();

function privateKey(store: SnsStore): KeyObject {
  let key = parsed.get(store);
  if (key) return key;
  let pem = store.tables.misc.get(KEY) as string | undefined;
  if (!pem) {
    pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    store.tables.misc.put(KEY, pem);
  }
  key = createPrivateKey(pem);
  parsed.set(store, key);
  return key;
}

export function publicKeyPem(store: SnsStore): string {
  return createPublicKey(privateKey(store)).export({ type: 'spki', format: 'pem' }) as string;
}

const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

/** The string AWS signs: the fields in this order, absent ones (Subject) skipped. */
export function stringToSign(m: Record<string, unknown>): string {
  const keys = m.Type === 'Notification' ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  return keys.filter((k) => m[k] !== undefined).map((k) => `${k}\n${String(m[k])}\n`).join('');
}

export function sign(store: SnsStore, m: Record<string, unknown>, version: string): string {
  return createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1').update(stringToSign(m), 'utf8').sign(privateKey(store), 'base64');
}
