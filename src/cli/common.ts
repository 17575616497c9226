import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KumoControlError } from '../api/control-client.ts';
import { ConfigError } from '../config.ts';
import { FixtureError } from '../fixtures/errors.ts';
import { StateError } from '../state/errors.ts';

/** Exit codes: 0 success, 1 the operation failed, 2 the command line is wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

/** A wrong command line: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export const ENDPOINT_OPTION = { endpoint: { type: 'string' } } as const satisfies Options;
export const ENDPOINT_HELP = `  --endpoint URL   kumo to talk to (default $KUMO_ENDPOINT, else http://127.0.0.1:$KUMO_PORT or :4566)`;

/** parseArgs with --help, strict flags and a positional count check. */
export function parse<O extends Options>(args: string[], options: O, positionals: { min: number; max: number }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const n = parsed.positionals.length;
  if (!(parsed.values as { help?: boolean }).help) {
    if (n < positionals.min) throw new UsageError('missing argument');
    if (n > positionals.max) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals.max])}`);
  }
  return parsed as { values: { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string } & { help?: boolean }; positionals: string[] };
}

export function endpointFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = flag ?? env.KUMO_ENDPOINT ?? `http://127.0.0.1:${env.KUMO_PORT ?? '4566'}`;
  return raw.replace(/\/+$/, '');
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
}

/** Runs a command body: usage errors exit 2 with the usage, control errors exit 1 with kumo's message. */
export async function runCommand(cmd: Command, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      err(`kumo ${cmd.name}: ${e.message}\n\n${cmd.usage}`);
      return EXIT_USAGE;
    }
    if (e instanceof KumoControlError) {
      err(`kumo ${cmd.name}: ${e.message}${e.code && e.status ? ` (${e.code}, HTTP ${e.status})` : ''}`);
      return EXIT_FAILED;
    }
    if (e instanceof FixtureError || e instanceof StateError || e instanceof ConfigError) {
      err(`kumo ${cmd.name}: ${e.message}`);
      return EXIT_FAILED;
    }
    throw e;
  }
}
