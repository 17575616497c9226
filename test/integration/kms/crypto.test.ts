import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import {
  CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand, GenerateDataKeyWithoutPlaintextCommand, GenerateMacCommand, GenerateRandomCommand,
  GetPublicKeyCommand, ReEncryptCommand, RotateKeyOnDemandCommand, SignCommand, VerifyCommand, VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { kmsHarness, rejects } from './setup.ts';

const h = kmsHarness();
const text = (s: string) => Buffer.from(s);

async function symmetricKey(): Promise<string> {
  return (await h.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
}

test('Encrypt/Decrypt round trip with encryption context; a different context fails', async () => {
  const KeyId = await symmetricKey();
  const enc = await h.kms.send(new EncryptCommand({ KeyId, Plaintext: text('secret'), EncryptionContext: { a: '1', b: '2' } }));
  assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.match(enc.KeyId!, new RegExp(`^arn:aws:kms:us-east-1:\\d{12}:key/${KeyId}$`));
  const dec = await h.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { b: '2', a: '1' } }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'secret');
  assert.equal(dec.KeyId, enc.KeyId);
  await rejects(h.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: '1' } })), 'InvalidCiphertextException');
  await rejects(h.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })), 'InvalidCiphertextException');
});

test('ciphertexts from elsewhere and tampered ones are InvalidCiphertextException', async () => {
  const KeyId = await symmetricKey();
  await rejects(h.kms.send(new DecryptCommand({ CiphertextBlob: crypto.randomBytes(80) })), 'InvalidCiphertextException');
  const enc = await h.kms.send(new EncryptCommand({ KeyId, Plaintext: text('x') }));
  const blob = Buffer.from(enc.CiphertextBlob!);
  blob[blob.length - 1]! ^= 1;
  await rejects(h.kms.send(new DecryptCommand({ CiphertextBlob: blob })), 'InvalidCiphertextException');
  const other = await symmetricKey();
  await rejects(h.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: other })), 'IncorrectKeyException');
});

test('ReEncrypt moves a ciphertext to another key and context', async () => {
  const a = await symmetricKey();
  const b = await symmetricKey();
  const enc = await h.kms.send(new EncryptCommand({ KeyId: a, Plaintext: text('move me'), EncryptionContext: { k: 'v' } }));
  const re = await h.kms.send(new ReEncryptCommand({
    CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { k: 'v' }, DestinationKeyId: b, DestinationEncryptionContext: { n: 'w' },
  }));
  assert.match(re.SourceKeyId!, new RegExp(a));
  assert.match(re.KeyId!, new RegExp(b));
  const dec = await h.kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { n: 'w' } }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'move me');
});

test('rotated keys still decrypt old ciphertexts', async () => {
  const KeyId = await symmetricKey();
  const old = await h.kms.send(new EncryptCommand({ KeyId, Plaintext: text('before') }));
  await h.kms.send(new RotateKeyOnDemandCommand({ KeyId }));
  const dec = await h.kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'before');
});

test('data keys: the ciphertext decrypts to the plaintext; spec or length required', async () => {
  const KeyId = await symmetricKey();
  const dk = await h.kms.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256', EncryptionContext: { c: 'd' } }));
  assert.equal(dk.Plaintext!.length, 32);
  const dec = await h.kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { c: 'd' } }));
  assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(dk.Plaintext!));
  const wp = await h.kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId, NumberOfBytes: 16 }));
  assert.equal('Plaintext' in wp, false);
  assert.equal((await h.kms.send(new DecryptCommand({ CiphertextBlob: wp.CiphertextBlob }))).Plaintext!.length, 16);
  await rejects(h.kms.send(new GenerateDataKeyCommand({ KeyId })), 'ValidationException');
});

test('data key pairs: the private key decrypts and matches the public key', async () => {
  const KeyId = await symmetricKey();
  const pair = await h.kms.send(new GenerateDataKeyPairCommand({ KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
  const priv = crypto.createPrivateKey({ key: Buffer.from(pair.PrivateKeyPlaintext!), format: 'der', type: 'pkcs8' });
  const pub = crypto.createPublicKey({ key: Buffer.from(pair.PublicKey!), format: 'der', type: 'spki' });
  const sig = crypto.sign('sha256', text('m'), priv);
  assert.ok(crypto.verify('sha256', text('m'), pub, sig));
  const dec = await h.kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob }));
  assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(pair.PrivateKeyPlaintext!));
  const np = await h.kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId, KeyPairSpec: 'RSA_2048' }));
  assert.equal('PrivateKeyPlaintext' in np, false);
  assert.ok(np.PublicKey!.length > 200);
});

for (const [spec, algorithms] of [
  ['RSA_2048', ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PSS_SHA_512']],
  ['ECC_NIST_P256', ['ECDSA_SHA_256']],
  ['ECC_NIST_P384', ['ECDSA_SHA_384']],
  ['ECC_NIST_P521', ['ECDSA_SHA_512']],
  ['ECC_SECG_P256K1', ['ECDSA_SHA_256']],
] as const) {
  test(`${spec} Sign/Verify, checked with the public key outside kumo`, async () => {
    const KeyId = (await h.kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
    const pk = await h.kms.send(new GetPublicKeyCommand({ KeyId }));
    assert.deepEqual(pk.SigningAlgorithms!.includes(algorithms[0]), true);
    const pub = crypto.createPublicKey({ key: Buffer.from(pk.PublicKey!), format: 'der', type: 'spki' });
    for (const SigningAlgorithm of algorithms) {
      const hash = `sha${SigningAlgorithm.slice(-3)}`;
      const { Signature } = await h.kms.send(new SignCommand({ KeyId, Message: text('hello'), SigningAlgorithm }));
      const opts = SigningAlgorithm.startsWith('RSASSA_PSS')
        ? { key: pub, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(SigningAlgorithm.slice(-3)) / 8 }
        : pub;
      assert.ok(crypto.verify(hash, text('hello'), opts, Buffer.from(Signature!)), SigningAlgorithm);
      const ok = await h.kms.send(new VerifyCommand({ KeyId, Message: text('hello'), Signature, SigningAlgorithm }));
      assert.equal(ok.SignatureValid, true);
      await rejects(h.kms.send(new VerifyCommand({ KeyId, Message: text('other'), Signature, SigningAlgorithm })), 'KMSInvalidSignatureException');
      {
        const digest = crypto.createHash(hash).update('hello').digest();
        const d = await h.kms.send(new SignCommand({ KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm }));
        assert.ok(crypto.verify(hash, text('hello'), opts, Buffer.from(d.Signature!)), `${SigningAlgorithm} digest`);
        const v = await h.kms.send(new VerifyCommand({ KeyId, Message: digest, MessageType: 'DIGEST', Signature, SigningAlgorithm }));
        assert.equal(v.SignatureValid, true);
      }
    }
    await rejects(h.kms.send(new EncryptCommand({ KeyId, Plaintext: text('x') })), 'InvalidKeyUsageException');
  });
}

test('RSA encryption with OAEP SHA-1 and SHA-256', async () => {
  const KeyId = (await h.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!.KeyId!;
  for (const EncryptionAlgorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
    const enc = await h.kms.send(new EncryptCommand({ KeyId, Plaintext: text('rsa'), EncryptionAlgorithm }));
    const dec = await h.kms.send(new DecryptCommand({ KeyId, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'rsa');
  }
  await rejects(h.kms.send(new EncryptCommand({ KeyId, Plaintext: text('rsa') })), 'InvalidKeyUsageException');
  await rejects(h.kms.send(new SignCommand({ KeyId, Message: text('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })), 'InvalidKeyUsageException');
});

test('HMAC keys: GenerateMac matches node, VerifyMac rejects a wrong MAC', async () => {
  const KeyId = (await h.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!.KeyId!;
  const { Mac } = await h.kms.send(new GenerateMacCommand({ KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: text('m') }));
  assert.equal(Mac!.length, 32);
  assert.equal((await h.kms.send(new VerifyMacCommand({ KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: text('m'), Mac }))).MacValid, true);
  await rejects(h.kms.send(new VerifyMacCommand({ KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: text('n'), Mac })), 'KMSInvalidMacException');
  await rejects(h.kms.send(new GenerateMacCommand({ KeyId, MacAlgorithm: 'HMAC_SHA_512', Message: text('m') })), 'InvalidKeyUsageException');
});

test('GenerateRandom gives the bytes asked for, within 1..1024', async () => {
  assert.equal((await h.kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }))).Plaintext!.length, 64);
  await rejects(h.kms.send(new GenerateRandomCommand({ NumberOfBytes: 2000 })), 'ValidationException');
});
