import { test } from 'node:test';
import {
  CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, GetPublicKeyCommand, ListAliasesCommand,
  ScheduleKeyDeletionCommand, SignCommand, VerifyCommand,
} from '@aws-sdk/client-kms';
import { kmsHarness, rejects } from './setup.ts';

const h = kmsHarness();

test('truncated and foreign-looking ciphertexts are InvalidCiphertextException, not crashes', async () => {
  const KeyId = (await h.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  const blob = Buffer.from((await h.kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('x') }))).CiphertextBlob!);
  for (const bad of [blob.subarray(0, 10), blob.subarray(0, 45), Buffer.concat([blob.subarray(0, 5), Buffer.from([200]), blob.subarray(6)]), Buffer.from('kumo')]) {
    await rejects(h.kms.send(new DecryptCommand({ CiphertextBlob: bad })), 'InvalidCiphertextException');
  }
});

test('wrong key usage, spec and algorithm combinations answer AWS error codes', async () => {
  const sym = (await h.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  await rejects(h.kms.send(new GetPublicKeyCommand({ KeyId: sym })), 'UnsupportedOperationException');
  await rejects(h.kms.send(new SignCommand({ KeyId: sym, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })), 'InvalidKeyUsageException');
  await rejects(h.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'ENCRYPT_DECRYPT' })), 'ValidationException');
  await rejects(h.kms.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' })), 'UnsupportedOperationException');
  const ecc = (await h.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
  await rejects(h.kms.send(new SignCommand({ KeyId: ecc, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_384' })), 'InvalidKeyUsageException');
  await rejects(h.kms.send(new SignCommand({ KeyId: ecc, Message: Buffer.alloc(20), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' })), 'ValidationException');
  await rejects(h.kms.send(new VerifyCommand({ KeyId: ecc, Message: Buffer.from('m'), Signature: Buffer.from('junk'), SigningAlgorithm: 'ECDSA_SHA_256' })),
    'KMSInvalidSignatureException');
  await rejects(h.kms.send(new GenerateDataKeyCommand({ KeyId: ecc, KeySpec: 'AES_256' })), 'InvalidKeyUsageException');
  const ed = (await h.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
  const sig = await h.kms.send(new SignCommand({ KeyId: ed, Message: Buffer.from('m'), SigningAlgorithm: 'ED25519_SHA_512' }));
  await h.kms.send(new VerifyCommand({ KeyId: ed, Message: Buffer.from('m'), Signature: sig.Signature, SigningAlgorithm: 'ED25519_SHA_512' }));
});

test('AWS managed keys cannot be scheduled for deletion', async () => {
  const { SSMClient, PutParameterCommand } = await import('@aws-sdk/client-ssm');
  const ssm = new SSMClient({ endpoint: h.kumo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    await ssm.send(new PutParameterCommand({ Name: '/managed', Value: 'x', Type: 'SecureString' }));
  } finally {
    ssm.destroy();
  }
  const alias = (await h.kms.send(new ListAliasesCommand({}))).Aliases!.find((a) => a.AliasName === 'alias/aws/ssm')!;
  await rejects(h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: alias.TargetKeyId })), 'UnsupportedOperationException');
});
