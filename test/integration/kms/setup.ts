import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { KMSClient } from '@aws-sdk/client-kms';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

export interface KmsHarness {
  kumo: Kumo;
  kms: KMSClient;
  advance(ms: number): Promise<void>;
}

/** One kumo and one KMS client per test file, its clock frozen so that only advance() moves it. */
export function kmsHarness(): KmsHarness {
  const h = {
    advance: async (ms: number) => {
      assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { advance: ms })).status, 200);
    },
  } as KmsHarness;
  before(async () => {
    h.kumo = await startTestKumo();
    h.kms = new KMSClient(clientConfig(h.kumo.endpoint));
    assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { freeze: true })).status, 200);
  });
  after(async () => {
    h.kms.destroy();
    await h.kumo.stop();
  });
  return h;
}

/** Asserts the call fails with this error name (and message, when given). */
export async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.name, name, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}
