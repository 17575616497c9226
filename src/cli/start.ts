import { ConfigError, loadConfig, SETTINGS } from '../config.ts';
import { startKumo } from '../index.ts';
import { VERSION } from '../version.ts';
import { EXIT_FAILED, EXIT_OK, err, out, parse, runCommand, type Command } from './common.ts';

const usage = `Usage: kumo start [options]

Starts kumo in the foreground; Ctrl-C (SIGINT) or SIGTERM stops it cleanly. Prints one line
"kumo ready ... endpoint=URL ..." on stdout when it accepts requests.

Options (each mirrors an environment variable; the flag wins):
${SETTINGS.map(([env, flag, text]) => `  --${flag.padEnd(22)} ${env.padEnd(26)} ${text}`).join('\n')}
`;

export const start: Command = {
  name: 'start',
  summary: 'start kumo in the foreground',
  usage,
  run: (args) =>
    runCommand(start, async () => {
      const options = Object.fromEntries(SETTINGS.map(([, flag]) => [flag, { type: 'string' as const }]));
      const { values } = parse(args, options, { min: 0, max: 0 });
      if (values.help) {
        out(usage);
        return EXIT_OK;
      }
      // Handlers first: a supervisor may signal as soon as it reads the ready line.
      let resolveStop!: (signal: string) => void;
      const stopped = new Promise<string>((resolve) => (resolveStop = resolve));
      const onSignal = (signal: string) => resolveStop(signal);
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let kumo;
      try {
        kumo = await startKumo(loadConfig(process.env, values as Record<string, string | undefined>));
      } catch (e) {
        const message = e instanceof ConfigError ? `invalid configuration: ${e.message}` : (e as Error).message;
        err(`kumo: cannot start: ${message}`);
        return EXIT_FAILED;
      }
      const c = kumo.config;
      out(
        `kumo ready version=${VERSION} endpoint=${kumo.endpoint} dataDir=${c.dataDir ?? '-'} ` +
          `durability=${c.dataDir ? c.durability : 'memory'} persist=${c.dataDir ? (c.persistServices?.join(',') ?? 'all') : '-'} ` +
          `seed=${c.seed ?? '-'} ui=${kumo.endpoint}/kumo/ui`,
      );
      err(`kumo: ${await stopped} received, stopping`);
      await kumo.stop();
      return EXIT_OK;
    }),
};
