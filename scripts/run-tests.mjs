// Runs the whole suite with node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [unit|integration|reliability ...]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const suites = process.argv.slice(2);
let names = suites.length ? suites : ['unit', 'integration', 'reliability', 'e2e'];
// The resource browser's end-to-end tests drive Debian's Chromium, which .ci/run installs; on a
// machine without it they are left out with a notice rather than failing (never in CI).
if (names.includes('e2e') && !existsSync('/usr/bin/chromium') && !process.env.CI) {
  console.error('note: /usr/bin/chromium not found, skipping test/e2e (apt-get install chromium to run it)');
  names = names.filter((n) => n !== 'e2e');
}
const roots = names.map((s) => join('test', s));

function collect(dir) {
  let out = [];
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = roots.flatMap(collect);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, KUMO_LOG_LEVEL: process.env.KUMO_LOG_LEVEL ?? 'warn' },
});
process.exit(result.status ?? 1);
