import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, SETTINGS, type KumoConfig } from '../config.ts';
import { loadFixtureFile } from '../fixtures/load.ts';
import { clientConfigFor, timeOf } from './client-config.ts';
import { ControlClient } from './control-client.ts';
import type { KumoInstance } from './types.ts';

export interface ChildOptions {
  overrides: Partial<KumoConfig>;
  logWriter?: (line: string) => void;
  /** The CLI to run (default: the one next to this module). */
  cliPath?: string;
  /** Time allowed to print the ready line (default 30 s). */
  startTimeoutMs?: number;
}

/** Starts `kumo start` as a child process and drives it through its control endpoints. */
export async function startChild(options: ChildOptions): Promise<KumoInstance> {
  const flags = toFlags(options.overrides);
  const config = loadConfig(process.env, flags);
  const args = [...cliCommand(options.cliPath), 'start', ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v])];
  const child = spawn(process.execPath, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const write = options.logWriter ?? ((line: string) => process.stderr.write(line + '\n'));
  let stderrTail = '';
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) write(line);
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  // A parent that exits without stop() must not leave kumo running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let endpoint: string;
  try {
    endpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`kumo did not report ready within ${options.startTimeoutMs ?? 30_000} ms: ${stderrTail}`)), options.startTimeoutMs ?? 30_000);
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const m = /^kumo ready .*endpoint=(\S+)/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`kumo exited (${code}) before it was ready: ${stderrTail.trim()}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    throw err;
  }
  const control = new ControlClient(endpoint);
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    config: { ...config, port: Number(new URL(endpoint).port) },
    clientConfig: (o) => clientConfigFor(endpoint, config.region, o),
    reset: (service) => control.reset(service),
    snapshot: {
      save: (dir) => control.snapshot('save', dir),
      load: (dir) => control.snapshot('load', dir),
    },
    clock: {
      get: () => control.clock(),
      set: async (time) => control.clock({ set: timeOf(time) }),
      advance: (duration) => control.clock({ advance: duration }),
      freeze: (on = true) => control.clock({ freeze: on }),
    },
    fixtures: {
      apply: async (file) => {
        const loaded = await loadFixtureFile(file);
        return control.applyFixtures(loaded.source, loaded.fixture);
      },
    },
    stop() {
      stopping ??= (async () => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        const code = await exited;
        clearTimeout(timer);
        process.off('exit', killOnExit);
        if (code !== 0) throw new Error(`kumo exited with ${code} when stopped: ${stderrTail.trim()}`);
      })();
      return stopping;
    },
  };
}

/** KumoConfig fields as `kumo start` flags (`dataDir` -> `--data-dir`). */
export function toFlags(overrides: Partial<KumoConfig>): Record<string, string> {
  const known = new Set<string>(SETTINGS.map(([, flag]) => flag));
  const flags: Record<string, string> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (!known.has(flag)) throw new TypeError(`startKumo: option ${key} has no \`kumo start\` flag, so it cannot be passed to a child process`);
    flags[flag] = Array.isArray(value)
      ? value.join(',')
      : typeof value === 'boolean'
        ? (value ? '1' : '0')
        : typeof value === 'object' && value !== null
          ? Object.entries(value).map(([k, v]) => `${k}:${String(v)}`).join(',')
          : String(value);
  }
  return flags;
}

/** node arguments that run the CLI: the bundled dist/cli.js, or src/cli.ts through tsx in development. */
function cliCommand(cliPath: string | undefined): string[] {
  if (cliPath) return cliPath.endsWith('.ts') ? ['--import', 'tsx', cliPath] : [cliPath];
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'cli.js'), join(here, '..', 'cli.js')]) if (existsSync(candidate)) return [candidate];
  const source = join(here, '..', 'cli.ts');
  if (existsSync(source)) return ['--import', 'tsx', source];
  throw new Error(`cannot find kumo's CLI next to ${here}; pass cliPath`);
}
