// Spawn-to-first-answer and idle RSS: kumo vs a bare Node HTTP server, same run, medians.
import { join } from 'node:path';
import { median, ROOT, round, rssMb, spawnServer, stop, writeResults } from './lib.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);

async function measure(kind: 'kumo' | 'bare'): Promise<{ ms: number; rss: number }> {
  const s = kind === 'kumo'
    ? await spawnServer(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'start', '--port', '0', '--log-level', 'warn'])
    : await spawnServer(process.execPath, [join(ROOT, 'bench', 'baselines', 'bare-server.mjs')], {}, '/');
  await new Promise((r) => setTimeout(r, 500));
  const rss = rssMb(s.child.pid!);
  await stop(s.child);
  return { ms: s.firstAnswerMs, rss };
}

export async function runStartup(): Promise<void> {
  const kumo: Array<{ ms: number; rss: number }> = [];
  const bare: Array<{ ms: number; rss: number }> = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(await measure('bare'));
    kumo.push(await measure('kumo'));
  }
  const k = { ms: median(kumo.map((x) => x.ms)), rss: median(kumo.map((x) => x.rss)) };
  const b = { ms: median(bare.map((x) => x.ms)), rss: median(bare.map((x) => x.rss)) };
  const result = {
    case: 'startup: spawn to first answer, idle RSS',
    rows: [
      { server: 'bare node http', 'first answer ms (median)': round(b.ms), 'idle RSS MB': round(b.rss, 1), 'ratio vs bare': 1 },
      { server: 'kumo (memory)', 'first answer ms (median)': round(k.ms), 'idle RSS MB': round(k.rss, 1), 'ratio vs bare': round(k.ms / b.ms) },
    ],
    notes: [`${RUNS} runs each, alternating; targets: time ratio <= 1.5, kumo idle RSS <= 60 MB`],
  };
  writeResults('startup', result);
  console.log(JSON.stringify(result, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await runStartup();
