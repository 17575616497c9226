// node:test runs every test file in its own process: a kumo started when this module is first
// imported is that worker's, and the root `after` hook stops it when the file's tests are done.
import { after } from 'node:test';
import { startKumo } from 'kumo';

export const kumo = await startKumo({ port: 0, logLevel: 'warn' });
after(() => kumo.stop());
