import { ControlClient } from '../api/control-client.ts';
import { ENDPOINT_HELP, ENDPOINT_OPTION, EXIT_OK, UsageError, endpointFrom, err, out, parse, runCommand, type Command } from './common.ts';

const usage = `Usage: kumo snapshot save|load DIR [--endpoint URL]

  save DIR   write a consistent copy of all state to DIR (new or empty) as a data dir
  load DIR   replace all state with the snapshot (or stopped data dir) in DIR
DIR is resolved here and must be reachable by kumo under the same path.
${ENDPOINT_HELP}
`;

export const snapshot: Command = {
  name: 'snapshot',
  summary: 'save or load a snapshot of all state',
  usage,
  run: (args) =>
    runCommand(snapshot, async () => {
      const { values, positionals } = parse(args, ENDPOINT_OPTION, { min: 2, max: 2 });
      if (values.help) return (out(usage), EXIT_OK);
      const [action, dir] = positionals as [string, string];
      if (action !== 'save' && action !== 'load') throw new UsageError(`unknown action ${JSON.stringify(action)}; use save or load`);
      err(`kumo snapshot: ${action === 'save' ? 'saving to' : 'loading from'} ${dir}...`);
      await new ControlClient(endpointFrom(values.endpoint)).snapshot(action, dir);
      out(`${action === 'save' ? 'saved' : 'loaded'} ${dir}`);
      return EXIT_OK;
    }),
};
