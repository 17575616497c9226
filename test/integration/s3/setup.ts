import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { CreateBucketCommand, S3Client, type S3ClientConfig, type S3ServiceException } from '@aws-sdk/client-s3';
import type { Kumo, KumoOptions } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

export interface S3Harness {
  kumo: Kumo;
  s3: S3Client;
  /** A client with other settings (path style, checksum behaviour, region). */
  client(extra?: Partial<S3ClientConfig>): S3Client;
  /** A bucket name no other test of the file uses. */
  name(prefix?: string): string;
  /** Creates a fresh bucket and returns its name. */
  bucket(prefix?: string): Promise<string>;
  freeze(): Promise<void>;
  advance(ms: number): Promise<void>;
}

/** One kumo and one path-style S3 client per test file. */
export function s3Harness(options: KumoOptions = {}): S3Harness {
  let n = 0;
  const h = {
    name: (prefix = 'b') => `${prefix}-${process.pid}-${++n}`,
    client: (extra: Partial<S3ClientConfig> = {}) => new S3Client({ ...clientConfig(h.kumo.endpoint), forcePathStyle: true, ...extra }),
    bucket: async (prefix?: string) => {
      const name = h.name(prefix);
      await h.s3.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    freeze: async () => {
      assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { freeze: true })).status, 200);
    },
    advance: async (ms: number) => {
      assert.equal((await controlPost(h.kumo.endpoint, '/kumo/clock', { advance: ms })).status, 200);
    },
  } as S3Harness;
  before(async () => {
    h.kumo = await startTestKumo(options);
    h.s3 = h.client();
  });
  after(async () => {
    h.s3.destroy();
    await h.kumo.stop();
  });
  return h;
}

/** Awaits a rejection with this S3 error code (and message, when given). */
export async function rejects(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<S3ServiceException> {
  try {
    await p;
  } catch (e) {
    const err = e as S3ServiceException;
    assert.equal(err.name, code, `expected ${code}, got ${err.name}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

/** Reads a streamed SDK body as text. */
export async function text(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> }).transformToString();
}
