import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-sm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function withKumo<T>(fn: (sm: SecretsManagerClient, kms: KMSClient, endpoint: string) => Promise<T>): Promise<T> {
  const kumo = await startTestKumo({ dataDir: dir, durability: 'process' });
  const sm = new SecretsManagerClient(clientConfig(kumo.endpoint));
  const kms = new KMSClient(clientConfig(kumo.endpoint));
  try {
    return await fn(sm, kms, kumo.endpoint);
  } finally {
    sm.destroy();
    kms.destroy();
    await kumo.stop();
  }
}

test('secrets, versions, KMS-sealed values and recovery windows survive a restart', async () => {
  await withKumo(async (sm, kms) => {
    const KmsKeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await sm.send(new CreateSecretCommand({ Name: 'keep', SecretString: 'v1', KmsKeyId }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'keep', SecretString: 'v2' }));
    await sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'x' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }));
  });
  await withKumo(async (sm, _kms, endpoint) => {
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'keep' }))).SecretString, 'v2');
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'keep', VersionStage: 'AWSPREVIOUS' }))).SecretString, 'v1');
    assert.ok((await sm.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).DeletedDate);
    await controlPost(endpoint, '/kumo/clock', { freeze: true });
    await controlPost(endpoint, '/kumo/clock', { advance: 8 * 86_400_000 });
    await assert.rejects(sm.send(new DescribeSecretCommand({ SecretId: 'doomed' })), { name: 'ResourceNotFoundException' });
  });
});
