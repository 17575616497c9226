// `test` with a `kumo` fixture: started once per worker on a free port, stopped when the
// worker ends. Tests in a worker share it and keep apart with testNamespace.
import { test as base } from 'vitest';
import { startKumo } from 'kumo';
import { saveArtifact } from 'kumo/testing';

export const test = base.extend({
  kumo: [
    async ({}, use) => {
      const kumo = await startKumo({ port: 0, logLevel: 'warn' });
      console.log(`kumo worker=${process.env.VITEST_POOL_ID} endpoint=${kumo.endpoint}`);
      await use(kumo);
      await kumo.stop();
    },
    { scope: 'worker' },
  ],
  // The worker's state goes to test-artifacts/ when a test fails.
  artifacts: [
    async ({ kumo, task, onTestFailed }, use) => {
      onTestFailed(() => saveArtifact(kumo, 'test-artifacts', task.name));
      await use('test-artifacts');
    },
    { auto: true },
  ],
});
