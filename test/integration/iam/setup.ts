import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { Kumo, KumoOptions } from '../../../src/index.ts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';

export interface IamHarness {
  kumo: Kumo;
  iam: IAMClient;
  sts: STSClient;
  /** A name no other test of the file uses. */
  name(prefix?: string): string;
}

export const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const doc = (statement: object | object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

/** One kumo and one IAM and STS client per test file. */
export function iamHarness(options: KumoOptions = {}): IamHarness {
  let n = 0;
  const h = { name: (prefix = 'x') => `${prefix}-${++n}` } as IamHarness;
  before(async () => {
    h.kumo = await startTestKumo(options);
    h.iam = new IAMClient(clientConfig(h.kumo.endpoint));
    h.sts = new STSClient(clientConfig(h.kumo.endpoint));
  });
  after(async () => {
    h.iam.destroy();
    h.sts.destroy();
    await h.kumo.stop();
  });
  return h;
}

export interface ExpectedError {
  name: string;
  message?: string | RegExp;
  status?: number;
}

export async function rejects(p: Promise<unknown>, expected: ExpectedError): Promise<void> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, expected.name, `error name (message: ${e.message})`);
    if (typeof expected.message === 'string') assert.equal(e.message, expected.message);
    else if (expected.message) assert.match(e.message, expected.message);
    if (expected.status !== undefined) assert.equal(e.$metadata?.httpStatusCode, expected.status);
    return;
  }
  assert.fail(`expected ${expected.name}`);
}
