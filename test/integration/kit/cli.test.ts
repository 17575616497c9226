import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, open, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CLI, spawnKumo, type KumoProcess } from '../../helpers/process.ts';

function kumo(endpoint: string | undefined, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, ...(endpoint ? ['--endpoint', endpoint] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const client = (endpoint: string) => new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

describe('kumo CLI against a running kumo', () => {
  let proc: KumoProcess;
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kumo-cli-'));
    proc = await spawnKumo([]);
  });
  after(async () => {
    proc.child.kill('SIGTERM');
    assert.equal(await proc.exited, 0);
    await rm(scratch, { recursive: true, force: true });
  });

  test('status prints health; --json the document; --wait retries', async () => {
    const text = await kumo(proc.endpoint, 'status');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /: healthy\n/);
    assert.match(text.stdout, /services: .*sqs\(/);
    const json = await kumo(proc.endpoint, 'status', '--json');
    assert.equal(JSON.parse(json.stdout).status, 'healthy');
    const waited = await kumo('http://127.0.0.1:9', 'status', '--wait', '0.5');
    assert.equal(waited.code, 1);
    assert.match(waited.stderr, /not ready yet/);
  });

  test('reset [service], snapshot save|load', async () => {
    const sqs = client(proc.endpoint);
    await sqs.send(new CreateQueueCommand({ QueueName: 'cli-q' }));
    const dir = join(scratch, 'snap');
    const saved = await kumo(proc.endpoint, 'snapshot', 'save', dir);
    assert.equal(saved.code, 0, saved.stderr);
    assert.ok((await readdir(dir)).includes('kumo.json'));
    assert.equal((await kumo(proc.endpoint, 'reset', 'sqs')).code, 0);
    assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
    assert.equal((await kumo(proc.endpoint, 'snapshot', 'load', dir)).code, 0);
    assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls?.length, 1);
    assert.equal((await kumo(proc.endpoint, 'reset')).code, 0);
    const unknown = await kumo(proc.endpoint, 'reset', 'nosuchservice');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no enabled service named nosuchservice \(UnknownService, HTTP 404\)/);
    const again = await kumo(proc.endpoint, 'snapshot', 'save', dir);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not empty/);
  });

  test('clock: read, freeze, set, advance, unfreeze', async () => {
    assert.match((await kumo(proc.endpoint, 'clock', 'freeze')).stdout, /\(frozen\)/);
    assert.match((await kumo(proc.endpoint, 'clock', 'set', '2031-02-03T04:05:06Z')).stdout, /^2031-02-03T04:05:06\.000Z \(frozen\)/);
    assert.match((await kumo(proc.endpoint, 'clock', 'advance', 'PT1H')).stdout, /^2031-02-03T05:05:06\.000Z/);
    assert.match((await kumo(proc.endpoint, 'clock')).stdout, /^2031-02-03T05:05:06\.000Z/);
    const running = await kumo(proc.endpoint, 'clock', 'unfreeze');
    assert.doesNotMatch(running.stdout, /frozen/);
    await kumo(proc.endpoint, 'clock', 'set', String(Date.now()));
  });

  test('fixtures apply: applied, then unchanged; a bad file names the file', async () => {
    const file = join(scratch, 'f.yaml');
    await writeFile(file, 'queues:\n  - name: from-fixture\n    messages:\n      - body: hi\n');
    const first = await kumo(proc.endpoint, 'fixtures', 'apply', file);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /applied version sha256:\w+; created queues\[0\] \("from-fixture"\)/);
    assert.match((await kumo(proc.endpoint, 'fixtures', 'apply', file)).stdout, /already applied/);
    const missing = await kumo(proc.endpoint, 'fixtures', 'apply', join(scratch, 'nope.json'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.json: cannot read the fixture file \(ENOENT\)/);
    await kumo(proc.endpoint, 'reset');
  });
});

describe('kumo state dump|verify', () => {
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kumo-cli-state-'));
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  test('dump refuses a live data dir, reads a stopped one; verify names damage', async () => {
    const dataDir = join(scratch, 'data');
    const proc = await spawnKumo(['--data-dir', dataDir, '--durability', 'process']);
    for (const name of ['dumped-q', 'second-q', 'third-q']) await client(proc.endpoint).send(new CreateQueueCommand({ QueueName: name }));
    const live = await kumo(undefined, 'state', 'dump', dataDir);
    assert.equal(live.code, 1);
    assert.match(live.stderr, /in use by kumo pid/);
    proc.child.kill('SIGTERM');
    assert.equal(await proc.exited, 0);

    const dump = await kumo(undefined, 'state', 'dump', dataDir);
    assert.equal(dump.code, 0, dump.stderr);
    assert.match(dump.stderr, /reading sqs \(\d+\/\d+\)/);
    const doc = JSON.parse(dump.stdout);
    assert.equal(doc.manifest.format, 1);
    assert.match(JSON.stringify(doc.services.sqs), /dumped-q/);
    const out = join(scratch, 'dump.json');
    assert.equal((await kumo(undefined, 'state', 'dump', dataDir, '--service', 'sqs', '--output', out)).code, 0);

    const ok = await kumo(undefined, 'state', 'verify', dataDir);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^ok sqs: \d+ records/m);
    assert.match(ok.stdout, /intact/);

    // A cut-off last record is what a crash leaves: recoverable, so a warning and exit 0.
    const journal = (await readdir(join(dataDir, 'sqs'))).find((n) => n.startsWith('journal-'))!;
    const size = (await stat(join(dataDir, 'sqs', journal))).size;
    await truncate(join(dataDir, 'sqs', journal), size - 3);
    const torn = await kumo(undefined, 'state', 'verify', dataDir);
    assert.equal(torn.code, 0, torn.stdout);
    assert.match(torn.stderr, new RegExp(`warning: .*${journal}: journal ends in a torn record; ignoring it at byte offset \\d+`));

    // A flipped byte inside the journal's first record is damage: named with file and offset.
    const fh = await open(join(dataDir, 'sqs', journal), 'r+');
    await fh.write(Buffer.from([0xff]), 0, 1, 12);
    await fh.close();
    const bad = await kumo(undefined, 'state', 'verify', dataDir);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, new RegExp(`DAMAGED sqs: .*${journal}: .* at byte offset 0`));
    const notDir = await kumo(undefined, 'state', 'verify', join(scratch, 'none'));
    assert.equal(notDir.code, 1);
    assert.match(notDir.stderr, /is not a directory/);
  });
});
