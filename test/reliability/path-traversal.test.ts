import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clientConfig, startTestKumo } from '../helpers/kumo.ts';

/** Object keys are data, never paths: nothing lands outside the data dir, keys round-trip exactly. */
const root = await mkdtemp(join(tmpdir(), 'kumo-traversal-'));
after(() => rm(root, { recursive: true, force: true }));

async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    out.push(relative(root, join(entry.parentPath ?? (entry as { path: string }).path, entry.name)));
  }
  return out.sort();
}

const KEYS = [
  '../../escape.txt', '../outside', '..', '.', '/leading/slash', 'a/../../b', '%2F..%2F..%2Fetc', '..\\..\\win',
  'uni/カ/😀', 'sp ace/+plus', 'x'.repeat(1024), 'dots/.../..../', 'ends/with/',
];

test('hostile keys stay inside the data dir and round-trip exactly', async () => {
  const dataDir = join(root, 'data');
  const kumo = await startTestKumo({ dataDir });
  const s3 = new S3Client({ ...clientConfig(kumo.endpoint), forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'traversal' }));
    const before = (await tree(root)).filter((p) => !p.startsWith('data'));
    for (const Key of KEYS) {
      await s3.send(new PutObjectCommand({ Bucket: 'traversal', Key, Body: `body of ${Key}` }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'traversal', Key }));
      assert.equal(await got.Body!.transformToString(), `body of ${Key}`, Key);
    }
    const afterwards = (await tree(root)).filter((p) => !p.startsWith('data'));
    assert.deepEqual(afterwards, before, 'no file was written outside the data dir');
    for (const p of await tree(join(root, 'data'))) {
      assert.doesNotMatch(p, /escape|outside|etc|win|leading/, `a user string became a path: ${p}`);
    }
  } finally {
    s3.destroy();
    await kumo.stop();
  }
});
