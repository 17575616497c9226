import { setTimeout as sleep } from 'node:timers/promises';
import { ControlClient, KumoControlError } from '../api/control-client.ts';
import { ENDPOINT_HELP, ENDPOINT_OPTION, EXIT_FAILED, EXIT_OK, UsageError, endpointFrom, err, out, parse, runCommand, type Command } from './common.ts';

const usage = `Usage: kumo status [--endpoint URL] [--wait SECONDS] [--json]

Reports the health of a running kumo: exit 0 when it answers healthy, 1 when it does not.
${ENDPOINT_HELP}
  --wait SECONDS   keep trying this long before giving up (for CI: start kumo, then wait)
  --json           print /kumo/health as JSON
`;

interface Health {
  status?: string;
  version?: string;
  endpoint?: string;
  dataDir?: string | null;
  durability?: string;
  clock?: { now: string; frozen: boolean };
  init?: { done: boolean; scripts: { name: string; state: string }[] } | null;
  services?: Record<string, { state: string; records: number }>;
}

export const status: Command = {
  name: 'status',
  summary: 'health of a running kumo',
  usage,
  run: (args) =>
    runCommand(status, async () => {
      const { values } = parse(args, { ...ENDPOINT_OPTION, wait: { type: 'string' }, json: { type: 'boolean' } }, { min: 0, max: 0 });
      if (values.help) return (out(usage), EXIT_OK);
      const wait = values.wait === undefined ? 0 : Number(values.wait);
      if (!Number.isFinite(wait) || wait < 0) throw new UsageError(`--wait takes a number of seconds, got ${values.wait}`);
      const client = new ControlClient(endpointFrom(values.endpoint));
      const deadline = Date.now() + wait * 1000;
      let health: Health;
      for (let attempt = 1; ; attempt++) {
        try {
          health = (await client.health()) as Health;
          break;
        } catch (e) {
          if (!(e instanceof KumoControlError) || Date.now() >= deadline) throw e;
          err(`kumo status: not ready yet (${e.message}); retrying`);
          await sleep(Math.min(200 * attempt, 1000));
        }
      }
      if (values.json) out(JSON.stringify(health, null, 2));
      else {
        const services = Object.entries(health.services ?? {}).map(([id, s]) => `${id}(${s.state}, ${s.records} records)`).join(' ');
        out(`kumo ${health.version} at ${health.endpoint}: ${health.status}`);
        out(`  data dir: ${health.dataDir ?? '- (memory)'}  durability: ${health.durability}`);
        if (health.clock) out(`  clock: ${health.clock.now}${health.clock.frozen ? ' (frozen)' : ''}`);
        if (health.init) out(`  init scripts: ${health.init.done ? 'done' : 'running'}: ${health.init.scripts.map((s) => `${s.name}=${s.state}`).join(' ') || 'none'}`);
        out(`  services: ${services}`);
      }
      return health.status === 'healthy' ? EXIT_OK : EXIT_FAILED;
    }),
};
