// State engine benchmarks. Run: node --import tsx bench/state-engine.ts [--records N] [--seconds S]
// Prints one JSON object:
//   throughput  16 concurrent writers, each put + await sync() per write, memory vs durable modes;
//               raw (the engine alone) and with 50 µs of synchronous work per write standing in
//               for a request's parsing and serializing (the regime the >= 50 % target is about:
//               raw memory mode is a few µs per write, no disk sync can keep up with that)
//   restart     StateEngine.open() time over N small records, from a journal and from a snapshot,
//               each in a fresh process
//   compaction  max event-loop delay (monitorEventLoopDelay) while N records are compacted
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StateEngine, type EngineOptions } from '../src/state/index.ts';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: process.env.BENCH_RECORDS ?? '1000000' }, seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '3' },
    'open-only': { type: 'string' },
  },
});
const RECORDS = Number(args.records);
const SECONDS = Number(args.seconds);
const WRITERS = 16;

// Child mode of the restart measurement: open the data dir, print the time, exit.
if (args['open-only']) {
  const t0 = performance.now();
  const engine = await StateEngine.open({ kumoVersion: 'bench', dataDir: args['open-only'], compactEvery: Number.MAX_SAFE_INTEGER });
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms: Math.round(ms), records: engine.stats().services.bench?.records ?? 0 }));
  await engine.close();
  process.exit(0);
}

const root = mkdtempSync(join(tmpdir(), 'kumo-bench-state-'));
let dirs = 0;
const newDir = (): string => join(root, `d${dirs++}`);
const base: EngineOptions = { kumoVersion: 'bench' };

function value(i: number): object {
  return { id: i, name: `queue-${i}`, createdAt: 1_700_000_000_000 + i, attributes: { VisibilityTimeout: '30' } };
}

function busy(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
}

async function throughput(opts: EngineOptions, workUs = 0): Promise<number> {
  const engine = await StateEngine.open(opts);
  const table = engine.service('bench').table<object>('items');
  let ops = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        if (workUs) busy(workUs);
        table.put(`000000000000/us-east-1/w${w}/${i % 1000}`, value(i));
        await engine.sync();
        ops++;
      }
    }),
  );
  const perSec = ops / SECONDS;
  await engine.close();
  return Math.round(perSec);
}

async function fill(opts: EngineOptions, n: number): Promise<void> {
  const engine = await StateEngine.open(opts);
  const table = engine.service('bench').table<object>('items');
  for (let i = 0; i < n; i++) {
    table.put(`000000000000/us-east-1/item-${String(i).padStart(8, '0')}`, value(i));
    if (i % 10_000 === 9_999) await engine.sync();
  }
  await engine.close();
}

/** A restart is a new process: open() is timed in a child, with a fresh heap. */
function timeOpen(dataDir: string): { ms: number; records: number } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--open-only', dataDir], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`open failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { ms: number; records: number };
}


async function compactionStall(dataDir: string): Promise<object> {
  const engine = await StateEngine.open({ ...base, dataDir, durability: 'process', compactEvery: Number.MAX_SAFE_INTEGER });
  const table = engine.service('bench').table<object>('items');
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let writes = 0;
  let stop = false;
  // Writes keep flowing during compaction, as requests would.
  const writer = (async () => {
    while (!stop) {
      table.put(`000000000000/us-east-1/live-${writes % 5000}`, value(writes));
      writes++;
      await engine.sync();
    }
  })();
  const t0 = performance.now();
  await engine.compact('bench');
  const ms = performance.now() - t0;
  stop = true;
  await writer;
  histogram.disable();
  await engine.close();
  return {
    records: RECORDS,
    compactionMs: Math.round(ms),
    writesDuringCompaction: writes,
    maxEventLoopDelayMs: +(histogram.max / 1e6).toFixed(1),
    p99EventLoopDelayMs: +(histogram.percentile(99) / 1e6).toFixed(1),
  };
}

try {
  const memory = await throughput(base);
  const fsync = await throughput({ ...base, dataDir: newDir(), durability: 'fsync' });
  const processMode = await throughput({ ...base, dataDir: newDir(), durability: 'process' });
  const WORK_US = 50;
  const memoryWork = await throughput(base, WORK_US);
  const fsyncWork = await throughput({ ...base, dataDir: newDir(), durability: 'fsync' }, WORK_US);
  const processWork = await throughput({ ...base, dataDir: newDir(), durability: 'process' }, WORK_US);

  const snapDir = newDir();
  await fill({ ...base, dataDir: snapDir, durability: 'process' }, RECORDS);
  const fromJournal = timeOpen(snapDir);
  const compaction = await compactionStall(snapDir);
  const fromSnapshot = timeOpen(snapDir);

  console.log(
    JSON.stringify(
      {
        node: process.version,
        throughput: {
          writers: WRITERS,
          seconds: SECONDS,
          memoryOpsPerSec: memory,
          fsyncOpsPerSec: fsync,
          processOpsPerSec: processMode,
          fsyncVsMemory: +(fsync / memory).toFixed(3),
          processVsMemory: +(processMode / memory).toFixed(3),
          withRequestWork: {
            workUsPerWrite: WORK_US,
            memoryOpsPerSec: memoryWork,
            fsyncOpsPerSec: fsyncWork,
            processOpsPerSec: processWork,
            fsyncVsMemory: +(fsyncWork / memoryWork).toFixed(3),
            processVsMemory: +(processWork / memoryWork).toFixed(3),
          },
        },
        restart: { records: RECORDS, fromJournalMs: fromJournal.ms, fromSnapshotMs: fromSnapshot.ms, recordsLoaded: fromSnapshot.records },
        compaction,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
