import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';

let kumo: Kumo;
before(async () => {
  kumo = await startTestKumo();
});
after(() => kumo.stop());

test('GetCallerIdentity returns the default account for a non-numeric key', async () => {
  const sts = new STSClient(clientConfig(kumo.endpoint));
  const out = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(out.Account, '000000000000');
  assert.equal(out.Arn, 'arn:aws:iam::000000000000:root');
  assert.ok(out.$metadata.requestId, 'request id is returned');
});

test('a 12-digit access key id selects that account', async () => {
  const sts = new STSClient(clientConfig(kumo.endpoint, '123456789012'));
  const out = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(out.Account, '123456789012');
  assert.equal(out.Arn, 'arn:aws:iam::123456789012:root');
});
