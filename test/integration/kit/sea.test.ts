import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateQueueCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BINARY = join(ROOT, 'dist-sea', 'kumo');

/** Newest modification time under a folder (or of a file), in ms. */
async function newest(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const times = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath ?? e.path, e.name))).mtimeMs));
  return Math.max(s.mtimeMs, ...times);
}

/** `npm run build:sea` unless dist-sea/kumo is newer than everything it is built from. */
async function ensureBuilt(): Promise<void> {
  const built = await stat(BINARY).then((s) => s.mtimeMs, () => 0);
  const sources = Math.max(...(await Promise.all(['src', 'models', 'scripts/build-sea.mjs', 'package-lock.json'].map((p) => newest(join(ROOT, p))))));
  if (built > sources) return;
  await run(process.execPath, [join(ROOT, 'scripts', 'build-sea.mjs')], { cwd: ROOT, maxBuffer: 16 << 20 });
}

test('the single executable (npm run build:sea) starts on port 0, serves health and SQS, and stops', { timeout: 120_000 }, async () => {
  await ensureBuilt();
  assert.match((await run(BINARY, ['--version'])).stdout, /^\d+\.\d+\.\d+\n$/);
  const child = spawn(BINARY, ['start', '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /endpoint=(\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`exited ${code} before it was ready: ${stderr}`)));
    });
    const health = await fetch(endpoint + '/kumo/health');
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'healthy');
    const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sea-smoke' }));
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'sea-smoke' }))).QueueUrl, QueueUrl);
    assert.match(QueueUrl!, /\/000000000000\/sea-smoke$/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  } finally {
    child.kill('SIGKILL');
  }
});
