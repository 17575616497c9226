// npm run bench: every case in its own process (so one case's heap never skews another), each
// measuring kumo against its baselines (the bare Node floor, and the peers present on the
// machine) in the same run. Results: bench/results/<case>.{json,md}.
// Run some cases, shorter: npm run bench -- sqs dynamodb --seconds 1 --runs 1
// (--name N becomes BENCH_NAME=N for every case; see each case for the settings it reads).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib.ts';

const CASES = ['startup', 'durability', 'sqs', 'dynamodb', 's3', 'sns', 'state-engine', 'lambda'];
const args = process.argv.slice(2);
const selected: string[] = [];
const env: NodeJS.ProcessEnv = { ...process.env };
for (let i = 0; i < args.length; i++) {
  const flag = /^--([a-z-]+)$/.exec(args[i]!);
  if (flag) env[`BENCH_${flag[1]!.toUpperCase().replace(/-/g, '_')}`] = args[++i];
  else selected.push(args[i]!);
}
const unknown = selected.filter((c) => !CASES.includes(c));
if (unknown.length) {
  console.error(`unknown bench case(s): ${unknown.join(', ')}; cases: ${CASES.join(', ')}`);
  process.exit(2);
}
let failed = 0;
const t0 = performance.now();
for (const name of selected.length ? selected : CASES) {
  console.log(`\n== ${name}`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', `${name}.ts`)], { stdio: 'inherit', cwd: ROOT, env });
  console.log(`== ${name}: ${r.status === 0 ? 'done' : 'FAILED'} in ${Math.round((performance.now() - started) / 1000)} s`);
  if (r.status !== 0) failed++;
}
console.log(`\nbench: ${failed ? `${failed} case(s) failed` : 'all cases done'} in ${Math.round((performance.now() - t0) / 1000)} s`);
process.exit(failed ? 1 : 0);
