import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  CreateAliasCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, KMSClient, ScheduleKeyDeletionCommand,
  SignCommand, VerifyCommand,
} from '@aws-sdk/client-kms';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-kms-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function withKms<T>(fn: (kms: KMSClient, endpoint: string) => Promise<T>): Promise<T> {
  const kumo = await startTestKumo({ dataDir: dir, durability: 'process' });
  const kms = new KMSClient(clientConfig(kumo.endpoint));
  try {
    return await fn(kms, kumo.endpoint);
  } finally {
    kms.destroy();
    await kumo.stop();
  }
}

test('keys, aliases, material and pending deletions survive a restart', async () => {
  const saved = await withKms(async (kms, endpoint) => {
    await controlPost(endpoint, '/kumo/clock', { freeze: true });
    const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: sym }));
    const blob = (await kms.send(new EncryptCommand({ KeyId: 'alias/kept', Plaintext: Buffer.from('durable'), EncryptionContext: { a: 'b' } }))).CiphertextBlob!;
    const ecc = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
    const sig = (await kms.send(new SignCommand({ KeyId: ecc, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }))).Signature!;
    const doomed = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));
    return { sym, blob, ecc, sig, doomed };
  });
  await withKms(async (kms, endpoint) => {
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: saved.blob, EncryptionContext: { a: 'b' } }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'durable');
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata!.KeyId, saved.sym);
    const v = await kms.send(new VerifyCommand({ KeyId: saved.ecc, Message: Buffer.from('m'), Signature: saved.sig, SigningAlgorithm: 'ECDSA_SHA_256' }));
    assert.equal(v.SignatureValid, true);
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: saved.doomed }))).KeyMetadata!.KeyState, 'PendingDeletion');
    await controlPost(endpoint, '/kumo/clock', { freeze: true });
    await controlPost(endpoint, '/kumo/clock', { advance: 8 * 86_400_000 });
    await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: saved.doomed })), { name: 'NotFoundException' });
  });
});
