import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, clockAdvance, clockNow, controlPost, startTestKumo } from '../../helpers/kumo.ts';

export interface LogsKit {
  kumo: Kumo;
  logs: CloudWatchLogsClient;
  /** kumo's clock, frozen so timestamps are exact. */
  now(): Promise<number>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function logsKit(options: Parameters<typeof startTestKumo>[0] = {}): Promise<LogsKit> {
  const kumo = await startTestKumo(options);
  const logs = new CloudWatchLogsClient(clientConfig(kumo.endpoint));
  await controlPost(kumo.endpoint, '/kumo/clock', { freeze: true });
  return {
    kumo,
    logs,
    now: () => clockNow(kumo.endpoint),
    advance: (ms) => clockAdvance(kumo.endpoint, ms),
    async close() {
      logs.destroy();
      await kumo.stop();
    },
  };
}

export { rejects } from '../../helpers/kumo.ts';
