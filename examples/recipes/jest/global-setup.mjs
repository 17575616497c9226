// Jest's globalSetup runs once, before the workers start: it starts one kumo per worker and
// hands each worker its endpoint through the environment the workers inherit
// (KUMO_ENDPOINT_<JEST_WORKER_ID>; worker ids run from 1 to maxWorkers).
import { startKumo } from 'kumo';

export default async function globalSetup(globalConfig) {
  const kumos = await Promise.all(Array.from({ length: globalConfig.maxWorkers }, () => startKumo({ port: 0, logLevel: 'warn' })));
  kumos.forEach((kumo, i) => {
    process.env[`KUMO_ENDPOINT_${i + 1}`] = kumo.endpoint;
    console.log(`kumo worker=${i + 1} endpoint=${kumo.endpoint}`);
  });
  // globalSetup and globalTeardown share the parent's global object.
  globalThis.__KUMOS__ = kumos;
}
