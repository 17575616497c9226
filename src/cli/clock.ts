import { ControlClient } from '../api/control-client.ts';
import { timeOf } from '../api/client-config.ts';
import { parseDuration } from '../control/duration.ts';
import { ENDPOINT_HELP, ENDPOINT_OPTION, EXIT_OK, UsageError, endpointFrom, out, parse, runCommand, type Command } from './common.ts';

const usage = `Usage: kumo clock [set TIME | advance DURATION | freeze | unfreeze] [--endpoint URL]

Without an action prints kumo's clock. Timers due on the way (message visibility, TTLs,
schedules) fire in order when the clock moves forward.
  set TIME           ISO 8601 time (2030-01-01T00:00:00Z) or epoch milliseconds
  advance DURATION   ISO 8601 duration (PT5M, P1D) or milliseconds
  freeze, unfreeze   stop or restart the clock
${ENDPOINT_HELP}
`;

export const clock: Command = {
  name: 'clock',
  summary: "read, set, advance or freeze kumo's clock",
  usage,
  run: (args) =>
    runCommand(clock, async () => {
      const { values, positionals } = parse(args, ENDPOINT_OPTION, { min: 0, max: 2 });
      if (values.help) return (out(usage), EXIT_OK);
      const [action, value] = positionals;
      const arity = (n: number) => {
        if (positionals.length !== n) throw new UsageError(`clock ${action} takes ${n - 1 === 0 ? 'no argument' : 'one argument'}`);
      };
      let change: { set?: number; advance?: number; freeze?: boolean } | undefined;
      switch (action) {
        case undefined:
          break;
        case 'set':
          arity(2);
          try {
            change = { set: timeOf(/^\d+$/.test(value!) ? Number(value) : value!) };
          } catch {
            throw new UsageError(`not a time: ${value}`);
          }
          break;
        case 'advance': {
          arity(2);
          const ms = parseDuration(value);
          if (ms === undefined) throw new UsageError(`not a duration (PT5M or milliseconds): ${value}`);
          change = { advance: ms };
          break;
        }
        case 'freeze':
        case 'unfreeze':
          arity(1);
          change = { freeze: action === 'freeze' };
          break;
        default:
          throw new UsageError(`unknown action ${JSON.stringify(action)}`);
      }
      const state = await new ControlClient(endpointFrom(values.endpoint)).clock(change);
      out(`${state.now}${state.frozen ? ' (frozen)' : ''} offset=${state.offsetMs}ms`);
      return EXIT_OK;
    }),
};
