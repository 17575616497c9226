/**
 * How a function's process is started: which program, arguments and environment, per runtime
 * family. Never through a shell; the environment is built from scratch (kumo's own variables,
 * credentials included, never leak into functions) with the layer directory where AWS puts
 * `/opt`'s parts: `nodejs/node_modules`, `python`, `bin`, `lib`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionSpec } from './executor.ts';

export interface LaunchPlan {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Set when there is nothing to start (a custom runtime without a bootstrap): AWS's message. */
  invalidEntrypoint?: string;
}

/** The function cannot run at all here (missing interpreter, runtime kumo cannot start). */
export class ExecutorError extends Error {}

const here = dirname(fileURLToPath(import.meta.url));

/** The kumo-provided runtime clients: src/lambda/runtimes in a checkout, dist/runtimes in the package. */
export const RUNTIMES_DIR = [join(here, 'runtimes'), join(here, '..', 'runtimes')].find((d) => existsSync(join(d, 'node-bootstrap.mjs'))) ?? join(here, 'runtimes');

/**
 * Every node_modules directory node would search from kumo's own location: what the user
 * installed beside kumo (`@aws-sdk/*` among it) is what functions find, as the SDK bundled in
 * AWS's managed runtimes is.
 */
export const KUMO_NODE_MODULES: string[] = (() => {
  const out: string[] = [];
  for (let dir = here; ; dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') out.push(dir);
    else if (existsSync(join(dir, 'node_modules'))) out.push(join(dir, 'node_modules'));
    if (dirname(dir) === dir) return [...new Set(out)];
  }
})();

export async function launchPlan(spec: FunctionSpec, codeDir: string, optDir: string | undefined): Promise<LaunchPlan> {
  const opt = (...p: string[]) => (optDir ? [join(optDir, ...p)] : []);
  const env: Record<string, string> = {
    ...spec.env,
    LAMBDA_TASK_ROOT: codeDir,
    LAMBDA_RUNTIME_DIR: RUNTIMES_DIR,
    _HANDLER: spec.handler,
    PATH: [...opt('bin'), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(delimiter),
    LD_LIBRARY_PATH: [...opt('lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter),
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  };
  if (!env.LD_LIBRARY_PATH) delete env.LD_LIBRARY_PATH;
  if (optDir) env.KUMO_LAMBDA_OPT = optDir;
  const runtime = spec.runtime;
  if (runtime.startsWith('nodejs')) {
    const major = process.versions.node.split('.')[0];
    env.NODE_PATH = [...opt('nodejs', `node${major}`, 'node_modules'), ...opt('nodejs', 'node_modules'), ...KUMO_NODE_MODULES].join(delimiter);
    return { command: process.execPath, args: [join(RUNTIMES_DIR, 'node-bootstrap.mjs')], cwd: codeDir, env };
  }
  if (runtime.startsWith('python3')) {
    const python = findExecutable([runtime, 'python3']);
    if (!python) throw new ExecutorError(`kumo found neither ${runtime} nor python3 on PATH to run runtime ${runtime}`);
    const version = runtime.slice('python'.length);
    env.PYTHONPATH = [...opt('python'), ...opt('python', 'lib', `python${version}`, 'site-packages'), codeDir].join(delimiter);
    env.PYTHONUNBUFFERED = '1';
    return { command: python, args: [join(RUNTIMES_DIR, 'python-bootstrap.py')], cwd: codeDir, env };
  }
  if (runtime.startsWith('provided')) {
    const candidates = [join(codeDir, 'bootstrap'), ...opt('bootstrap')];
    const bootstrap = candidates.find((p) => existsSync(p) && statSync(p).isFile());
    if (!bootstrap) return { command: '', args: [], cwd: codeDir, env, invalidEntrypoint: `Couldn't find valid bootstrap(s): [${candidates.join(' ')}]` };
    // Zips made on Windows carry no permission bits; AWS requires the bit, kumo sets it.
    await chmod(bootstrap, statSync(bootstrap).mode | 0o755);
    return { command: bootstrap, args: [], cwd: codeDir, env };
  }
  throw new ExecutorError(`kumo runs nodejs*, python3.* and provided* runtimes as local processes; ${runtime} is not one of them`);
}

const interpreters = new Map<string, string | undefined>();

/**
 * The first of `names` on PATH that actually runs: version-manager shims (pyenv) exist for
 * versions that are not installed and fail when started. Checked once per name list.
 */
function findExecutable(names: string[]): string | undefined {
  const cacheKey = names.join('\0');
  if (interpreters.has(cacheKey)) return interpreters.get(cacheKey);
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  let found: string | undefined;
  search: for (const name of names) {
    for (const dir of dirs) {
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        if (!statSync(p).isFile()) continue;
      } catch {
        continue;
      }
      if (spawnSync(p, ['-c', 'pass'], { stdio: 'ignore', timeout: 10_000 }).status === 0) {
        found = p;
        break search;
      }
    }
  }
  interpreters.set(cacheKey, found);
  return found;
}
