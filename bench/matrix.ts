// Throughput and latency of operations on several servers at once: every server runs for the
// whole case and the runs interleave (run 1 of every server, then run 2, ...), so a noisy
// moment on the machine hits all of them rather than one. Load comes from wrk when installed,
// else from this process (autocannon; node:http loops for servers that close every
// connection), never from a server under test.
import { load, LOADER, type LoadResult, type LoadSpec } from './load.ts';
import { median, round } from './lib.ts';
import type { Absent, Running } from './peers.ts';

export interface Operation {
  name: string;
  /** The request, for one server (a peer may need another access key or a header). */
  request(server: Running): Omit<LoadSpec, 'url' | 'connections' | 'seconds'> & { path?: () => string };
  /** Which servers speak this operation; all of them if absent. */
  on?: Array<Running['name']>;
}

export interface MatrixOptions {
  servers: Array<Running | Absent>;
  operations: Operation[];
  connections: number[];
  seconds: number;
  runs: number;
}

const isRunning = (s: Running | Absent): s is Running => 'endpoint' in s;

/** One row per operation, connection count and server; ratios are kumo's req/s over the row's. */
export async function measureMatrix(o: MatrixOptions): Promise<Array<Record<string, string | number>>> {
  const results = new Map<string, LoadResult[]>();
  const key = (op: string, c: number, server: string) => `${op}\n${c}\n${server}`;
  const speaks = (op: Operation, s: Running) => !op.on || op.on.includes(s.name);
  const up = o.servers.filter(isRunning);
  const spec = (op: Operation, s: Running, connections: number, seconds: number): LoadSpec =>
    ({ url: s.endpoint, connections, seconds, closes: s.closes, ...op.request(s) });

  for (const op of o.operations) {
    for (const s of up.filter((x) => speaks(op, x))) await load(spec(op, s, Math.max(...o.connections), 1));
  }
  for (let run = 0; run < o.runs; run++) {
    for (const op of o.operations) {
      for (const c of o.connections) {
        for (const s of up.filter((x) => speaks(op, x))) {
          const k = key(op.name, c, s.name);
          results.set(k, [...(results.get(k) ?? []), await load(spec(op, s, c, o.seconds))]);
        }
      }
    }
  }

  const rows: Array<Record<string, string | number>> = [];
  for (const op of o.operations) {
    for (const c of o.connections) {
      const med = (server: string, f: keyof LoadResult) => median((results.get(key(op.name, c, server)) ?? []).map((r) => r[f]));
      const kumoRps = med('kumo', 'rps');
      for (const s of o.servers) {
        const base = { operation: op.name, connections: c, server: s.name };
        if (!isRunning(s) || !speaks(op, s)) {
          const why = isRunning(s) ? 'does not speak it' : s.absent;
          rows.push({ ...base, 'req/s': why, 'p50 ms': '', 'p99 ms': '', 'errors+non2xx': '', 'kumo / this': '' });
          continue;
        }
        const rps = med(s.name, 'rps');
        const failed = med(s.name, 'errors') + med(s.name, 'non2xx');
        rows.push({
          ...base, 'req/s': round(rps, 0), 'p50 ms': round(med(s.name, 'p50'), 3), 'p99 ms': round(med(s.name, 'p99'), 3), 'errors+non2xx': failed,
          'kumo / this': s.kind === 'kumo' ? 1 : rps > 0 ? round(kumoRps / rps) : '-',
        });
      }
    }
  }
  return rows;
}

export const MATRIX_NOTES = [
  'req/s, p50 and p99 are medians over the runs; "kumo / this" is kumo\'s req/s over the row\'s server: over the bare node floor it is kumo/floor (1 is the ceiling), over a peer kumo/peer (> 1: kumo is faster)',
  'rows with errors+non2xx > 0 measured failures as well as answers: compare their ratios with care',
  LOADER === 'wrk'
    ? 'load: wrk (2 threads at most), requests built per request (unique keys) come from a pool of 10,000 that each connection cycles through'
    : 'load: autocannon in the bench process; moto_server (werkzeug) closes the connection after every answer, which autocannon does not handle: it is driven by node:http loops opening a connection per request, as any client of it does',
];

/** Stops what started, whatever happened. */
export async function stopAll(servers: Array<Running | Absent>): Promise<void> {
  await Promise.all(servers.filter(isRunning).map((s) => s.stop()));
}

/** Runs each server's setup; a peer whose setup fails is stopped and reported, never fatal. */
export async function prepareAll(servers: Array<Running | Absent>, prepare: (s: Running) => Promise<void>): Promise<Array<Running | Absent>> {
  const out: Array<Running | Absent> = [];
  for (const s of servers) {
    if (!isRunning(s)) {
      out.push(s);
      continue;
    }
    try {
      await prepare(s);
      out.push(s);
    } catch (err) {
      if (s.kind !== 'peer') throw err;
      await s.stop();
      out.push({ name: s.name, absent: `setup failed: ${(err as Error).message.slice(0, 200)}` });
    }
  }
  return out;
}
