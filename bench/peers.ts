// The servers a case measures: the bare Node floor, kumo, and the peers present on this machine
// (moto_server from PATH; dynalite and s3rver from node_modules, each in its own child process).
// A missing peer is reported as "not present", never a failure.
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { onPath, ROOT, spawnAt, spawnServer, stop, type Spawned } from './lib.ts';

export type ServerName = 'bare node http' | 'kumo' | 'moto_server' | 'dynalite' | 's3rver';

export interface Running {
  name: ServerName;
  kind: 'floor' | 'kumo' | 'peer';
  endpoint: string;
  pid: number;
  /** ms from spawn to the first answer. */
  firstAnswerMs: number;
  /** Answers `Connection: close` to every request (moto_server). */
  closes?: boolean;
  stop(): Promise<void>;
}

export interface Absent {
  name: ServerName;
  absent: string;
}

function installed(pkg: string): boolean {
  try {
    createRequire(join(ROOT, 'package.json')).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const running = (name: ServerName, kind: Running['kind'], s: Spawned): Running =>
  ({ name, kind, endpoint: s.endpoint, pid: s.child.pid!, firstAnswerMs: s.firstAnswerMs, stop: () => stop(s.child) });

export async function startFloor(): Promise<Running> {
  return running('bare node http', 'floor', await spawnServer(process.execPath, [join(ROOT, 'bench', 'baselines', 'bare-server.mjs')], {}, '/'));
}

export async function startKumo(args: string[] = []): Promise<Running> {
  return running('kumo', 'kumo', await spawnServer(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'start', '--port', '0', '--log-level', 'warn', ...args]));
}

export async function startPeer(name: 'moto_server' | 'dynalite' | 's3rver'): Promise<Running | Absent> {
  try {
    if (name === 'moto_server') {
      const bin = onPath('moto_server');
      if (!bin) return { name, absent: 'not present (moto_server not on PATH)' };
      const port = await freePort();
      return { ...running(name, 'peer', await spawnAt(bin, ['-H', '127.0.0.1', '-p', String(port)], `http://127.0.0.1:${port}`, '/moto-api/')), closes: true };
    }
    if (!installed(name)) return { name, absent: `not present (npm package ${name} not installed)` };
    return running(name, 'peer', await spawnServer(process.execPath, [join(ROOT, 'bench', 'baselines', `${name}.mjs`)], {}, '/', true));
  } catch (err) {
    return { name, absent: `not started: ${(err as Error).message.split('\n')[0]}` };
  }
}
