// npm run bench: every case in its own process (so one case's heap never skews another), each
// measuring kumo against its baselines in the same run. Results: bench/results/<case>.{json,md}.
// Run one case: npm run bench -- durability
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib.ts';

const CASES = ['startup', 'durability', 'sqs', 'sns', 'state-engine', 'lambda'];
const selected = process.argv.slice(2);
const unknown = selected.filter((c) => !CASES.includes(c));
if (unknown.length) {
  console.error(`unknown bench case(s): ${unknown.join(', ')}; cases: ${CASES.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of selected.length ? selected : CASES) {
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', `${name}.ts`)], { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
