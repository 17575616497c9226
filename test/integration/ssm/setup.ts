import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';

export interface SsmHarness {
  kumo: Kumo;
  ssm: SSMClient;
  kms: KMSClient;
}

export function ssmHarness(): SsmHarness {
  const h = {} as SsmHarness;
  before(async () => {
    h.kumo = await startTestKumo();
    h.ssm = new SSMClient(clientConfig(h.kumo.endpoint));
    h.kms = new KMSClient(clientConfig(h.kumo.endpoint));
  });
  after(async () => {
    h.ssm.destroy();
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
