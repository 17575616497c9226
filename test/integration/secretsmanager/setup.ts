import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

export interface SmHarness {
  kumo: Kumo;
  sm: SecretsManagerClient;
  kms: KMSClient;
  advance(ms: number): Promise<void>;
}

/** One kumo per test file, its clock frozen so that only advance() moves it. */
export function smHarness(): SmHarness {
  const h = {
    advance: async (ms: number) => {
      assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { advance: ms })).status, 200);
    },
  } as SmHarness;
  before(async () => {
    h.kumo = await startTestKumo();
    h.sm = new SecretsManagerClient(clientConfig(h.kumo.endpoint));
    h.kms = new KMSClient(clientConfig(h.kumo.endpoint));
    assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { freeze: true })).status, 200);
  });
  after(async () => {
    h.sm.destroy();
    h.kms.destroy();
    await h.kumo.stop();
  });
  return h;
}

export async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.name, name, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}
