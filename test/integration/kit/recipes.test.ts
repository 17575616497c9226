// Runs the test-runner recipes of examples/recipes/ with the real runners and checks that they
// pass and that every worker had a kumo of its own. The recipes import `kumo` and `kumo/testing`
// by name, which resolve to this package's dist/ (npm test builds it first).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RECIPES = join(ROOT, 'examples', 'recipes');

interface Run {
  code: number;
  output: string;
}

/** Runs node with the arguments (no shell); resolves with the exit code and stdout + stderr. */
function runNode(args: string[], cwd = ROOT): Promise<Run> {
  // NODE_TEST_CONTEXT would make the recipe's `node --test` report to this runner instead of running its files.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

/** `kumo worker=W endpoint=E` lines: which kumo each worker started. */
function kumosByWorker(output: string): Map<string, string> {
  const kumos = new Map<string, string>();
  for (const [, worker, endpoint] of output.matchAll(/^\s*kumo worker=(\S+) endpoint=(\S+)$/gm)) {
    assert.ok(!kumos.has(worker!), `worker ${worker} started a second kumo:\n${output}`);
    kumos.set(worker!, endpoint!);
  }
  return kumos;
}

function assertDistinctPorts(endpoints: string[], output: string): void {
  const ports = new Set(endpoints.map((e) => new URL(e).port));
  assert.equal(ports.size, endpoints.length, `every worker's kumo has its own port:\n${output}`);
}

describe('test-runner recipes (examples/recipes)', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'kumo-recipes-'));
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  test('node:test: every test file is a worker process with its own kumo', async () => {
    const dir = join(RECIPES, 'node-test');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.test.mjs')).sort();
    assert.equal(files.length, 3);
    const run = await runNode(['--test', '--test-concurrency=2', '--test-reporter=tap', ...files], dir);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /^# tests 4$/m, run.output);
    assert.match(run.output, /^# pass 4$/m, run.output);
    const perProcess = new Map<string, Set<string>>();
    for (const [, pid, endpoint] of run.output.matchAll(/^\s*# kumo pid=(\d+) endpoint=(\S+)$/gm)) {
      perProcess.set(pid!, (perProcess.get(pid!) ?? new Set()).add(endpoint!));
    }
    assert.equal(perProcess.size, files.length, `one process per file:\n${run.output}`);
    for (const endpoints of perProcess.values()) assert.equal(endpoints.size, 1, 'a process uses one kumo');
    assertDistinctPorts([...perProcess.values()].map((s) => [...s][0]!), run.output);
  });

  test('Vitest: a worker-scoped fixture gives each of the 2 workers one kumo, shared by its files', async () => {
    const report = join(tmp, 'vitest.json');
    const run = await runNode([
      join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', join(RECIPES, 'vitest'),
      '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
    ]);
    assert.equal(run.code, 0, run.output);
    const result = JSON.parse(await readFile(report, 'utf8')) as { numTotalTests: number; numPassedTests: number; numTotalTestSuites: number; testResults: unknown[] };
    assert.equal(result.testResults.length, 3, 'three test files');
    assert.equal(result.numTotalTests, 4);
    assert.equal(result.numPassedTests, 4);
    const kumos = kumosByWorker(run.output);
    assert.deepEqual([...kumos.keys()].sort(), ['1', '2'], `two workers (VITEST_POOL_ID 1 and 2), one kumo each, for three files:\n${run.output}`);
    assertDistinctPorts([...kumos.values()], run.output);
  });

  test('Jest: globalSetup starts one kumo per worker, each worker uses its own', async () => {
    const report = join(tmp, 'jest.json');
    const run = await runNode([
      '--experimental-vm-modules', join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--config', join(RECIPES, 'jest', 'jest.config.mjs'), '--json', `--outputFile=${report}`,
    ]);
    assert.equal(run.code, 0, run.output);
    const result = JSON.parse(await readFile(report, 'utf8')) as { success: boolean; numTotalTests: number; numPassedTests: number; numTotalTestSuites: number };
    assert.equal(result.success, true);
    assert.equal(result.numTotalTestSuites, 3);
    assert.equal(result.numTotalTests, 4);
    assert.equal(result.numPassedTests, 4);
    const kumos = kumosByWorker(run.output);
    assert.deepEqual([...kumos.keys()].sort(), ['1', '2'], run.output);
    assertDistinctPorts([...kumos.values()], run.output);
    const used = [...run.output.matchAll(/^\s*worker=(\d+) uses endpoint=(\S+)$/gm)];
    assert.equal(used.length, 3, `every test file reports its kumo:\n${run.output}`);
    for (const [, worker, endpoint] of used) assert.equal(endpoint, kumos.get(worker!), `worker ${worker} uses its own kumo`);
  });
});
