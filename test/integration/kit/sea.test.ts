import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BINARY = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist-sea', 'kumo');

// `npm run build:sea` takes ~30 s and writes a 100 MB binary, so the suite smoke-tests it only
// when it was built (CI builds it first).
test('the single executable starts, serves and stops', { skip: existsSync(BINARY) ? false : 'dist-sea/kumo not built (npm run build:sea)' }, async () => {
  assert.match((await promisify(execFile)(BINARY, ['--version'])).stdout, /^\d+\.\d+\.\d+\n$/);
  const child = spawn(BINARY, ['start', '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /endpoint=(\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`exited ${code}`)));
  });
  const res = await fetch(endpoint + '/', {
    method: 'POST',
    headers: { 'x-amz-target': 'AmazonSQS.CreateQueue', 'content-type': 'application/x-amz-json-1.0', authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0' },
    body: JSON.stringify({ QueueName: 'sea-smoke' }),
  });
  assert.equal(res.status, 200);
  assert.match(((await res.json()) as any).QueueUrl, /sea-smoke$/);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
