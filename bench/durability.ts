// Durable vs memory mode through HTTP: DynamoDB PutItem at 16 connections against kumo in
// memory, fsync and process durability, and the bare Node server, all in one run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, type LoadResult } from './load.ts';
import { median, ROOT, round, spawnServer, stop, writeResults } from './lib.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONNECTIONS = 16;
const HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' };
let seq = 0;
const putBody = () => JSON.stringify({ TableName: 'bench', Item: { pk: { S: `k${seq++}` }, v: { S: 'x'.repeat(100) } } });

async function kumo(mode: 'memory' | 'fsync' | 'process'): Promise<LoadResult> {
  const dir = mode === 'memory' ? undefined : await mkdtemp(join(tmpdir(), 'kumo-bench-'));
  const args = [join(ROOT, 'dist', 'cli.js'), 'start', '--port', '0', '--log-level', 'warn'];
  if (dir) args.push('--data-dir', dir, '--durability', mode);
  const s = await spawnServer(process.execPath, args);
  try {
    await fetch(s.endpoint, {
      method: 'POST',
      headers: { ...HEADERS, 'x-amz-target': 'DynamoDB_20120810.CreateTable' },
      body: JSON.stringify({
        TableName: 'bench', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    });
    // A fresh process compiles its hot paths in the first second: measure after that.
    await load({ url: s.endpoint, connections: CONNECTIONS, seconds: 1, headers: HEADERS, body: putBody });
    return await load({ url: s.endpoint, connections: CONNECTIONS, seconds: SECONDS, headers: HEADERS, body: putBody });
  } finally {
    await stop(s.child);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

async function bare(): Promise<LoadResult> {
  const s = await spawnServer(process.execPath, [join(ROOT, 'bench', 'baselines', 'bare-server.mjs')], {}, '/');
  try {
    return await load({ url: s.endpoint, connections: CONNECTIONS, seconds: SECONDS, headers: HEADERS, body: putBody });
  } finally {
    await stop(s.child);
  }
}

export async function runDurability(): Promise<void> {
  const runs: Record<string, LoadResult[]> = { bare: [], memory: [], fsync: [], process: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.bare!.push(await bare());
    for (const mode of ['memory', 'fsync', 'process'] as const) runs[mode]!.push(await kumo(mode));
  }
  const med = (k: string, f: keyof LoadResult) => median(runs[k]!.map((r) => r[f]));
  const rows = (['bare', 'memory', 'fsync', 'process'] as const).map((k) => ({
    server: k === 'bare' ? 'bare node http' : `kumo ${k}`,
    'req/s (median)': round(med(k, 'rps'), 0),
    'p50 ms': round(med(k, 'p50'), 3),
    'p99 ms': round(med(k, 'p99'), 3),
    errors: med(k, 'errors') + med(k, 'non2xx'),
    'vs bare': round(med(k, 'rps') / med('bare', 'rps')),
    'vs memory': k === 'bare' ? '-' : round(med(k, 'rps') / med('memory', 'rps')),
  }));
  const result = {
    case: `DynamoDB PutItem, ${CONNECTIONS} connections, ${SECONDS}s x ${RUNS} runs`,
    rows,
    notes: ['target: kumo fsync >= 0.5 x kumo memory (group commit)'],
  };
  writeResults('durability', result);
  console.log(JSON.stringify(result, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await runDurability();
