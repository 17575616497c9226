import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, clockAdvance, clockNow, controlPost, startTestKumo } from '../../helpers/kumo.ts';

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
    now: () => clockNow(kumo.endpoint),
    advance: (ms) => clockAdvance(kumo.endpoint, ms),
    async close() {
      cw.destroy();
      await kumo.stop();
    },
  };
}

export { rejects } from '../../helpers/kumo.ts';
