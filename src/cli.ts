#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, SETTINGS } from './config.ts';
import { startKumo, VERSION } from './index.ts';

const USAGE = `kumo ${VERSION}: a local AWS emulator

Usage:
  kumo start [options]    start kumo in the foreground (Ctrl-C stops it)
  kumo --version          print the version

Options of start (each mirrors an environment variable):
${SETTINGS.map(([env, flag, text]) => `  --${flag.padEnd(18)} ${env.padEnd(22)} ${text}`).join('\n')}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'start') {
    process.stderr.write(`kumo: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  const options = Object.fromEntries(SETTINGS.map(([, flag]) => [flag, { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`kumo start: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let kumo;
  try {
    const config = loadConfig(process.env, values as Record<string, string | undefined>);
    kumo = await startKumo(config);
  } catch (err) {
    const message = err instanceof ConfigError ? `invalid configuration: ${err.message}` : (err as Error).message;
    process.stderr.write(`kumo: cannot start: ${message}\n`);
    return 1;
  }
  const c = kumo.config;
  process.stdout.write(
    `kumo ready version=${VERSION} endpoint=${kumo.endpoint} dataDir=${c.dataDir ?? '-'} ` +
      `durability=${c.dataDir ? c.durability : 'memory'} persist=${c.dataDir ? (c.persistServices?.join(',') ?? 'all') : '-'} ` +
      `seed=${c.seed ?? '-'} ui=${kumo.endpoint}/kumo/health\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`kumo: ${signal} received, stopping\n`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await kumo.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`kumo: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
