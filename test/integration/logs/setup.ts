import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

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
    async now() {
      const res = await fetch(`${kumo.endpoint}/kumo/clock`);
      return Date.parse(((await res.json()) as { now: string }).now);
    },
    async advance(ms) {
      const r = await controlPost(kumo.endpoint, '/kumo/clock', { advance: ms });
      if (r.status !== 200) throw new Error(`advance failed: ${JSON.stringify(r.json)}`);
    },
    async close() {
      logs.destroy();
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
