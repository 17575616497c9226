import { writeFile } from 'node:fs/promises';
import { EXIT_FAILED, EXIT_OK, UsageError, err, out, parse, runCommand, type Command } from './common.ts';
import { dumpDocument, readDataDir } from './offline.ts';

const usage = `Usage: kumo state dump DATA_DIR [--service NAME] [--output FILE]
       kumo state verify DATA_DIR

Work on the data dir of a STOPPED kumo (a live one's lock is refused), or on a saved snapshot.
  dump     print all state as human-readable JSON (tables by key, blob sizes): failure artifacts
  verify   check every journal, snapshot and blob file; exit 0 when intact, 1 when damaged,
           naming the file and byte offset. A torn journal tail (an interrupted write, which the
           next start truncates) is reported as a warning, not damage.
`;

export const state: Command = {
  name: 'state',
  summary: "dump or verify a stopped kumo's data dir",
  usage,
  run: (args) =>
    runCommand(state, async () => {
      const { values, positionals } = parse(args, { service: { type: 'string' }, output: { type: 'string' } }, { min: 2, max: 2 });
      if (values.help) return (out(usage), EXIT_OK);
      const [action, dir] = positionals as [string, string];
      if (action !== 'dump' && action !== 'verify') throw new UsageError(`unknown action ${JSON.stringify(action)}; use dump or verify`);
      if (action === 'verify' && (values.service || values.output)) throw new UsageError('--service and --output are options of dump');
      const progress = (line: string) => err(`kumo state: ${line}`);
      const read = await readDataDir(dir, progress);
      const damaged = read.services.filter((s) => s.error);
      if (action === 'verify') {
        for (const s of read.services) {
          for (const w of s.warnings) err(`warning: ${w}`);
          if (s.error) out(`DAMAGED ${s.service}: ${s.error}`);
          else out(`ok ${s.service}: ${[...s.data!.tables.values()].reduce((n, t) => n + t.size, 0)} records, ${s.data!.blobs.size} blobs`);
        }
        out(damaged.length ? `${read.dir}: ${damaged.length} damaged service(s)` : `${read.dir}: intact (format ${read.manifest.format}, written by kumo ${read.manifest.kumoVersion})`);
        return damaged.length ? EXIT_FAILED : EXIT_OK;
      }
      const chosen = values.service ? read.services.filter((s) => s.service === values.service) : read.services;
      if (values.service && chosen.length === 0) throw new UsageError(`${read.dir} has no state for service ${values.service}`);
      const doc = dumpDocument(read, chosen);
      const text = JSON.stringify(doc, null, 2) + '\n';
      if (values.output) {
        await writeFile(values.output, text);
        err(`kumo state: wrote ${values.output}`);
      } else process.stdout.write(text);
      for (const s of damaged) err(`kumo state: ${s.service} is damaged: ${s.error}`);
      return damaged.length ? EXIT_FAILED : EXIT_OK;
    }),
};
