import { ControlClient } from '../api/control-client.ts';
import { loadFixtureFile } from '../fixtures/load.ts';
import { ENDPOINT_HELP, ENDPOINT_OPTION, EXIT_OK, UsageError, endpointFrom, err, out, parse, runCommand, type Command } from './common.ts';

const usage = `Usage: kumo fixtures apply FILE [--endpoint URL]

Applies a fixture file (JSON, or YAML for .yaml/.yml) to a running kumo: buckets and objects,
tables and items, queues and messages, topics and subscriptions, secrets, parameters,
functions, rules and targets. All or nothing: on any error nothing is changed. Idempotent:
what exists is kept; objects, items, subscriptions and rules are written again. See
docs/testing-guide.md for the format.
${ENDPOINT_HELP}
`;

export const fixtures: Command = {
  name: 'fixtures',
  summary: 'apply a fixture file to a running kumo',
  usage,
  run: (args) =>
    runCommand(fixtures, async () => {
      const { values, positionals } = parse(args, ENDPOINT_OPTION, { min: 2, max: 2 });
      if (values.help) return (out(usage), EXIT_OK);
      const [action, file] = positionals as [string, string];
      if (action !== 'apply') throw new UsageError(`unknown action ${JSON.stringify(action)}; use apply`);
      const loaded = await loadFixtureFile(file);
      err(`kumo fixtures: applying ${loaded.source}...`);
      const result = await new ControlClient(endpointFrom(values.endpoint)).applyFixtures(loaded.source, loaded.fixture);
      out(result.outcome === 'unchanged'
        ? `${file}: version ${result.version} already applied; nothing to do`
        : `${file}: applied version ${result.version}; created ${result.created.length ? result.created.join(', ') : 'nothing new'}`);
      return EXIT_OK;
    }),
};
