#!/usr/bin/env node
import { clock } from './cli/clock.ts';
import { EXIT_OK, EXIT_USAGE, err, out, type Command } from './cli/common.ts';
import { fixtures } from './cli/fixtures.ts';
import { reset } from './cli/reset.ts';
import { snapshot } from './cli/snapshot.ts';
import { start } from './cli/start.ts';
import { state } from './cli/state.ts';
import { status } from './cli/status.ts';
import { VERSION } from './version.ts';

const COMMANDS: Command[] = [start, status, reset, snapshot, clock, fixtures, state];

const USAGE = `kumo ${VERSION}: a local AWS emulator

Usage: kumo COMMAND [options]   (kumo COMMAND --help for its options)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}
  --version  print the version

Exit codes: 0 success, 1 the operation failed, 2 wrong command line.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') return (out(VERSION), EXIT_OK);
  if (name === '--help' || name === '-h' || name === 'help') return (out(USAGE), EXIT_OK);
  if (name === undefined) return (err(USAGE), EXIT_USAGE);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    err(`kumo: unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  // Exit once stdout is flushed: a piped dump would otherwise be cut short.
  (code) => process.stdout.write('', () => process.exit(code)),
  (e: unknown) => {
    process.stderr.write(`kumo: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
