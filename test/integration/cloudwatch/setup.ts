import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

export interface CwKit {
  kumo: Kumo;
  cw: CloudWatchClient;
  now(): Promise<number>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** A kumo whose clock is frozen (at the start of an hour unless `align` is false, so periods line up). */
export async function cwKit(options: Parameters<typeof startTestKumo>[0] = {}, align = true): Promise<CwKit> {
  const kumo = await startTestKumo(options);
  const cw = new CloudWatchClient(clientConfig(kumo.endpoint));
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  await controlPost(kumo.endpoint, '/kumo/clock', align ? { freeze: true, set: hour } : { freeze: true });
  return {
    kumo,
    cw,
    async now() {
      const res = await fetch(`${kumo.endpoint}/kumo/clock`);
      return Date.parse(((await res.json()) as { now: string }).now);
    },
    async advance(ms) {
      const r = await controlPost(kumo.endpoint, '/kumo/clock', { advance: ms });
      if (r.status !== 200) throw new Error(`advance failed: ${JSON.stringify(r.json)}`);
    },
    async close() {
      cw.destroy();
      await kumo.stop();
    },
  };
}

export async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string };
    if (err.name !== name) throw new Error(`expected ${name}, got ${err.name}: ${err.message}`);
    if (message instanceof RegExp ? !message.test(err.message) : message !== undefined && err.message !== message) {
      throw new Error(`expected message ${String(message)}, got ${err.message}`);
    }
    return;
  }
  throw new Error(`expected ${name}, but the call succeeded`);
}
