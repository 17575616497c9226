/**
 * The four rotation steps, run through a stand-in for the lambda service's in-process invoke
 * API that behaves like AWS's rotation function template (it calls back into kumo over HTTP).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateSecretCommand, DescribeSecretCommand, GetRandomPasswordCommand, GetSecretValueCommand, PutSecretValueCommand,
  RotateSecretCommand, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { rejects, smHarness } from './setup.ts';

const h = smHarness();
const DAY = 86_400_000;
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:rotator';
const steps: string[] = [];
let failAt: string | undefined;

async function rotationFunction(event: { Step: string; SecretId: string; ClientRequestToken: string }): Promise<void> {
  const { Step, SecretId, ClientRequestToken } = event;
  steps.push(Step);
  if (Step === failAt) throw new Error(`failing ${Step}`);
  const meta = await h.sm.send(new DescribeSecretCommand({ SecretId }));
  assert.ok(meta.VersionIdsToStages![ClientRequestToken]!.includes('AWSPENDING') || meta.VersionIdsToStages![ClientRequestToken]!.includes('AWSCURRENT'));
  if (Step === 'createSecret') {
    // As AWS's template does: a version that already has its value (a reattempt) is kept.
    try {
      await h.sm.send(new GetSecretValueCommand({ SecretId, VersionId: ClientRequestToken, VersionStage: 'AWSPENDING' }));
      return;
    } catch (err) {
      if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    }
    const pw = (await h.sm.send(new GetRandomPasswordCommand({ PasswordLength: 16, ExcludePunctuation: true }))).RandomPassword!;
    await h.sm.send(new PutSecretValueCommand({ SecretId, ClientRequestToken, SecretString: pw, VersionStages: ['AWSPENDING'] }));
  } else if (Step === 'testSecret') {
    await h.sm.send(new GetSecretValueCommand({ SecretId, VersionId: ClientRequestToken, VersionStage: 'AWSPENDING' }));
  } else if (Step === 'finishSecret') {
    const current = Object.entries(meta.VersionIdsToStages!).find(([, s]) => s.includes('AWSCURRENT'))![0];
    if (current === ClientRequestToken) return;
    await h.sm.send(new UpdateSecretVersionStageCommand({ SecretId, VersionStage: 'AWSCURRENT', MoveToVersionId: ClientRequestToken, RemoveFromVersionId: current }));
  }
}

async function installLambda(): Promise<void> {
  // Services load on the first request; the stand-in replaces the real Lambda API after that.
  await h.kumo.app.host.ensureLoaded();
  h.kumo.app.host.internal.lambda = {
    invoke: async (_caller: unknown, arn: string, payload: Buffer) => {
      assert.equal(arn, FN);
      try {
        await rotationFunction(JSON.parse(payload.toString('utf8')));
        return { payload: Buffer.from('null') };
      } catch (err) {
        return { functionError: 'Unhandled', payload: Buffer.from(JSON.stringify({ errorMessage: (err as Error).message })) };
      }
    },
  } as never;
}

test('RotateSecret runs createSecret, setSecret, testSecret, finishSecret and moves the labels', async () => {
  await installLambda();
  const c = await h.sm.send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'initial' }));
  steps.length = 0;
  const r = await h.sm.send(new RotateSecretCommand({ SecretId: 'rotating', RotationLambdaARN: FN, RotationRules: { AutomaticallyAfterDays: 30 } }));
  assert.deepEqual(steps, ['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
  const now = await h.sm.send(new GetSecretValueCommand({ SecretId: 'rotating' }));
  assert.equal(now.VersionId, r.VersionId);
  assert.match(now.SecretString!, /^[a-zA-Z0-9]{16}$/);
  const d = await h.sm.send(new DescribeSecretCommand({ SecretId: 'rotating' }));
  assert.deepEqual(d.VersionIdsToStages, { [c.VersionId!]: ['AWSPREVIOUS'], [r.VersionId!]: ['AWSCURRENT'] });
  assert.ok(d.LastRotatedDate);
  assert.equal(d.RotationEnabled, true);

  steps.length = 0;
  await h.advance(30 * DAY + 1000);
  const rotated = async () => (await h.sm.send(new GetSecretValueCommand({ SecretId: 'rotating' }))).VersionId !== r.VersionId;
  for (let i = 0; i < 200 && !(await rotated()); i++) await new Promise((res) => setTimeout(res, 10));
  assert.deepEqual(steps, ['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
  assert.ok(await rotated());
});

test('a failing step leaves AWSPENDING in place; only a RotateSecret with that version\'s token reattempts it', async () => {
  await installLambda();
  await h.sm.send(new CreateSecretCommand({ Name: 'flaky', SecretString: 'initial' }));
  failAt = 'testSecret';
  await rejects(h.sm.send(new RotateSecretCommand({ SecretId: 'flaky', RotationLambdaARN: FN })), 'InvalidRequestException', /failed at step testSecret/);
  const pending = Object.entries((await h.sm.send(new DescribeSecretCommand({ SecretId: 'flaky' }))).VersionIdsToStages!)
    .find(([, s]) => s.includes('AWSPENDING'))![0];
  await rejects(h.sm.send(new RotateSecretCommand({ SecretId: 'flaky', ClientRequestToken: 'c'.repeat(32) })), 'InvalidRequestException',
    'A previous rotation isn\'t complete. That rotation will be reattempted.');
  failAt = undefined;
  const r = await h.sm.send(new RotateSecretCommand({ SecretId: 'flaky', ClientRequestToken: pending }));
  assert.equal(r.VersionId, pending);
  assert.equal((await h.sm.send(new GetSecretValueCommand({ SecretId: 'flaky' }))).VersionId, pending);
});
