import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { open, tmpDir } from './state-helpers.ts';

const engineModule = fileURLToPath(new URL('../../src/state/index.ts', import.meta.url));

// Writes forever, compacting often; prints each key once sync() acknowledged it.
const writer = (dataDir: string, round: number) => `
import { StateEngine } from ${JSON.stringify(engineModule)};
const e = await StateEngine.open({ kumoVersion: 'crash', dataDir: ${JSON.stringify(dataDir)}, compactEvery: 32 * 1024 });
const t = e.service('sqs').table('t');
const blobs = e.service('s3').blobs;
let i = 0;
await Promise.all(Array.from({ length: 8 }, async (_, w) => {
  for (;;) {
    const key = 'r${round}-w' + w + '-' + i++;
    t.put(key, { key, pad: 'x'.repeat(i % 200) });
    if (i % 50 === 0) e.service('s3').table('o').put(key, await blobs.write((async function* () { yield Buffer.from(key); })()));
    // Churn (deletes, overwrites) in another table, so every acknowledged key of t must exist.
    e.service('sqs').table('churn').put(String(i % 100), i);
    if (i % 7 === 0) e.service('sqs').table('churn').delete(String((i + 50) % 100));
    await e.sync();
    process.stdout.write(key + '\\n');
  }
}));
`;

test('kill -9 at random moments (compactions included): every acknowledged write survives', async () => {
  const dataDir = tmpDir();
  const acked = new Set<string>();
  for (let round = 0; round < 3; round++) {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer(dataDir, round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (out.split('\n').length > 1500 + round * 500) {
          clearInterval(check);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      child.once('exit', (code) => {
        clearInterval(check);
        if (code !== null) reject(new Error(`writer exited ${code}: ${err}`));
      });
    });
    await new Promise((r) => child.once('exit', r));
    const lines = out.split('\n');
    lines.pop();
    for (const key of lines) acked.add(key);

    const e = await open({ dataDir });
    const t = e.service('sqs').table<{ key: string }>('t');
    const objects = e.service('s3').table<{ id: string; size: number }>('o');
    for (const key of acked) assert.equal(t.get(key)?.key, key, `acknowledged ${key} lost`);
    for (const [key, ref] of objects.entries()) {
      const chunks: Buffer[] = [];
      for await (const c of e.service('s3').blobs.read(ref)) chunks.push(c as Buffer);
      assert.equal(Buffer.concat(chunks).toString(), key);
    }
    await e.close();
  }
});
