import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GetParameterCommand, GetParameterHistoryCommand, LabelParameterVersionCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-ssm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function withSsm<T>(fn: (ssm: SSMClient) => Promise<T>): Promise<T> {
  const kumo = await startTestKumo({ dataDir: dir, durability: 'process' });
  const ssm = new SSMClient(clientConfig(kumo.endpoint));
  try {
    return await fn(ssm);
  } finally {
    ssm.destroy();
    await kumo.stop();
  }
}

test('parameters, versions, labels and KMS-encrypted SecureStrings survive a restart', async () => {
  await withSsm(async (ssm) => {
    await ssm.send(new PutParameterCommand({ Name: '/keep/secret', Value: 'persisted', Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/keep/plain', Value: 'one', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/keep/plain', Value: 'two', Overwrite: true }));
    await ssm.send(new LabelParameterVersionCommand({ Name: '/keep/plain', ParameterVersion: 1, Labels: ['first'] }));
  });
  await withSsm(async (ssm) => {
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/keep/secret', WithDecryption: true }))).Parameter!.Value, 'persisted');
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/keep/plain:first' }))).Parameter!.Value, 'one');
    assert.equal((await ssm.send(new GetParameterHistoryCommand({ Name: '/keep/plain' }))).Parameters!.length, 2);
    await ssm.send(new PutParameterCommand({ Name: '/keep/secret', Value: 'after', Type: 'SecureString', Overwrite: true }));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/keep/secret', WithDecryption: true }))).Parameter!.Value, 'after');
  });
});
