// Spawn-to-first-answer and idle RSS: kumo vs the bare Node floor and the peers present
// (moto_server, dynalite, s3rver), same run, alternating, medians.
import { median, round, rssMb, setting, writeResults } from './lib.ts';
import { startFloor, startKumo, startPeer, type Absent, type Running } from './peers.ts';

const RUNS = setting('runs', 10);

type Name = 'bare node http' | 'kumo' | 'moto_server' | 'dynalite' | 's3rver';
const start: Record<Name, () => Promise<Running | Absent>> = {
  'bare node http': startFloor,
  kumo: () => startKumo(),
  moto_server: () => startPeer('moto_server'),
  dynalite: () => startPeer('dynalite'),
  s3rver: () => startPeer('s3rver'),
};

async function measure(name: Name): Promise<{ ms: number; rss: number } | string> {
  const s = await start[name]();
  if (!('endpoint' in s)) return s.absent;
  try {
    await new Promise((r) => setTimeout(r, 500));
    return { ms: s.firstAnswerMs, rss: rssMb(s.pid) };
  } finally {
    await s.stop();
  }
}

export async function runStartup(): Promise<void> {
  const samples = new Map<Name, Array<{ ms: number; rss: number }>>();
  const absent = new Map<Name, string>();
  for (let i = 0; i < RUNS; i++) {
    for (const name of Object.keys(start) as Name[]) {
      if (absent.has(name)) continue;
      const m = await measure(name);
      if (typeof m === 'string') absent.set(name, m);
      else samples.set(name, [...(samples.get(name) ?? []), m]);
    }
  }
  const med = (name: Name, f: 'ms' | 'rss') => median(samples.get(name)!.map((x) => x[f]));
  const rows = (Object.keys(start) as Name[]).map((name) => samples.has(name)
    ? {
      server: name, 'first answer ms (median)': round(med(name, 'ms')), 'idle RSS MB': round(med(name, 'rss'), 1),
      'this / bare (time)': round(med(name, 'ms') / med('bare node http', 'ms')), 'kumo / this (time)': round(med('kumo', 'ms') / med(name, 'ms')),
    }
    : { server: name, 'first answer ms (median)': absent.get(name)!, 'idle RSS MB': '', 'this / bare (time)': '', 'kumo / this (time)': '' });
  const result = {
    case: 'startup: spawn to first answer, idle RSS',
    rows,
    notes: [
      `${RUNS} runs each, alternating; RSS 500 ms after the first answer; targets: kumo time <= 1.5 x bare, kumo idle RSS <= 60 MB`,
      '"kumo / this (time)" < 1: kumo answers sooner than the row\'s server',
      'moto_server is the pyenv shim exec-ing Python (same pid); dynalite and s3rver are node processes loading the package',
    ],
  };
  writeResults('startup', result);
  console.log(JSON.stringify(result, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await runStartup();
