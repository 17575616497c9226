import { ControlClient } from '../api/control-client.ts';
import { ENDPOINT_HELP, ENDPOINT_OPTION, EXIT_OK, endpointFrom, out, parse, runCommand, type Command } from './common.ts';

const usage = `Usage: kumo reset [SERVICE] [--endpoint URL]

Empties all state of a running kumo, or one service's (e.g. sqs).
${ENDPOINT_HELP}
`;

export const reset: Command = {
  name: 'reset',
  summary: 'empty all state, or one service',
  usage,
  run: (args) =>
    runCommand(reset, async () => {
      const { values, positionals } = parse(args, ENDPOINT_OPTION, { min: 0, max: 1 });
      if (values.help) return (out(usage), EXIT_OK);
      await new ControlClient(endpointFrom(values.endpoint)).reset(positionals[0]);
      out(`reset ${positionals[0] ?? 'all services'}`);
      return EXIT_OK;
    }),
};
