import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Looks a command up on PATH the way a shell would, without running one. */
export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface Spawned {
  child: ChildProcess;
  endpoint: string;
  /** ms from spawn to the first successful HTTP answer. */
  firstAnswerMs: number;
}

/** Spawns a server that prints `endpoint=http://...` and polls it until it answers (200, or anything with `anyStatus`). */
export async function spawnServer(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, probePath = '/health', anyStatus = false): Promise<Spawned> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /endpoint=(http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before printing its endpoint: ${stderr}`)));
  });
  for (;;) {
    if (await probe(endpoint + probePath, anyStatus)) break;
    await new Promise((r) => setTimeout(r, 1));
  }
  return { child, endpoint, firstAnswerMs: performance.now() - t0 };
}

/**
 * Spawns a server that does not announce itself (a peer like moto_server) on a known endpoint
 * and polls it until it answers anything; kills it if it has not within `timeoutMs`.
 */
export async function spawnAt(cmd: string, args: string[], endpoint: string, probePath = '/', timeoutMs = 60_000): Promise<Spawned> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${cmd} exited (${child.exitCode}): ${stderr}`);
    if (await probe(endpoint + probePath, true)) break;
    if (performance.now() - t0 > timeoutMs) {
      await stop(child);
      throw new Error(`${cmd} did not answer within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, endpoint, firstAnswerMs: performance.now() - t0 };
}

function probe(url: string, anyStatus = false): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolve(anyStatus || res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
  return kb / 1024;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A run setting: `--name N` on the command line, else BENCH_<NAME> (set by `npm run bench -- --name N`), else the default. */
export function setting(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i > 0 ? process.argv[i + 1] : process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(n) && n > 0 ? n : dflt;
}

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

type Row = Record<string, string | number>;

export interface CaseResult {
  case: string;
  rows: Row[];
  /** Further tables with their own columns, under their titles. */
  tables?: Array<{ title: string; rows: Row[] }>;
  notes?: string[];
}

function table(rows: Row[]): string[] {
  const cols = Object.keys(rows[0] ?? {});
  return [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${cols.map((c) => String(r[c])).join(' | ')} |`)];
}

export function writeResults(name: string, result: CaseResult): void {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const meta = { date: new Date().toISOString(), node: process.version, cpus: `${availableParallelism()} cpus`, ...result };
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(meta, null, 2) + '\n');
  const md = [`# ${result.case}`, '', `${meta.date}, Node ${meta.node}, ${meta.cpus}`, '', ...table(result.rows),
    ...(result.tables ?? []).flatMap((t) => ['', `## ${t.title}`, '', ...table(t.rows)]),
    ...(result.notes?.length ? ['', ...result.notes.map((n) => `- ${n}`)] : []), ''].join('\n');
  writeFileSync(join(dir, `${name}.md`), md);
}
