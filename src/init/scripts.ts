import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../server/app.ts';
import type { Logger } from '../server/logger.ts';

export type ScriptState = 'UNKNOWN' | 'RUNNING' | 'SUCCESSFUL' | 'ERROR';

export interface ScriptStatus {
  stage: 'READY';
  name: string;
  state: ScriptState;
  exitCode?: number | string;
  ms?: number;
}

export interface InitStatus {
  dir: string;
  done: boolean;
  scripts: ScriptStatus[];
}

const statuses = new WeakMap<App, InitStatus>();

/** Init script status for /kumo/health and /_localstack/init; undefined without KUMO_INIT_DIR. */
export function initStatus(app: App): InitStatus | undefined {
  return statuses.get(app);
}

/** LocalStack's /_localstack/init shape. */
export function localstackInit(app: App) {
  const s = statuses.get(app);
  return {
    completed: { BOOT: true, START: true, READY: s ? s.done : true, SHUTDOWN: false },
    scripts: s?.scripts.map(({ stage, name, state }) => ({ stage, name, state })) ?? [],
  };
}

/**
 * Runs the `.sh` (with /bin/sh, the path as its argument) and `.mjs` (with node) scripts of
 * `dir` — or of `dir/ready.d` when it exists, LocalStack's layout — one at a time in name order,
 * with kumo's endpoint and dummy credentials in their environment. A failing script is
 * reported and the next one still runs. Resolves when all have finished.
 */
export async function runInitScripts(app: App, dir: string, logger: Logger, region: string): Promise<InitStatus> {
  const status: InitStatus = { dir, done: false, scripts: [] };
  statuses.set(app, status);
  const ready = join(dir, 'ready.d');
  const folder = (await stat(ready).then((s) => s.isDirectory(), () => false)) ? ready : dir;
  let names: string[];
  try {
    names = (await readdir(folder)).sort();
  } catch (err) {
    logger.log('error', 'cannot read the init script directory', { dir: folder, error: (err as Error).message });
    status.done = true;
    return status;
  }
  for (const name of names) {
    if (!name.endsWith('.sh') && !name.endsWith('.mjs')) continue;
    status.scripts.push({ stage: 'READY', name, state: 'UNKNOWN' });
  }
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: app.endpoint,
    KUMO_ENDPOINT: app.endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'test',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
  };
  for (const script of status.scripts) {
    const path = join(folder, script.name);
    const [cmd, args] = script.name.endsWith('.sh') ? ['/bin/sh', [path]] : [process.execPath, [path]];
    script.state = 'RUNNING';
    const started = performance.now();
    const code = await new Promise<number | string>((resolve) => {
      const child = spawn(cmd, args, { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const forward = (stream: NodeJS.ReadableStream) => {
        let partial = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          const lines = (partial + chunk).split('\n');
          partial = lines.pop()!;
          for (const line of lines) logger.log('info', 'init script output', { script: script.name, line });
        });
      };
      forward(child.stdout!);
      forward(child.stderr!);
      child.once('error', (err) => resolve(err.message));
      child.once('exit', (c, signal) => resolve(c ?? signal ?? -1));
    });
    script.ms = Math.round(performance.now() - started);
    script.exitCode = code;
    script.state = code === 0 ? 'SUCCESSFUL' : 'ERROR';
    logger.log(code === 0 ? 'info' : 'error', 'init script finished', { script: script.name, exitCode: code, ms: script.ms });
  }
  status.done = true;
  return status;
}
