/**
 * What other services call in-process: Lambda reads deployment packages (`readObject`), Logs
 * export tasks write their files (`writeObject`). Both run S3's own rules: reads see versions,
 * delete markers and archived objects as GetObject does; writes are PutObject requests in the
 * caller's account (versioning, ETag, default encryption, notifications).
 */
import type { PutObjectRequest } from '../../generated/s3.ts';
import type { ServiceRuntime } from '../framework/define.ts';
import { collect, readAll } from './bodies.ts';
import { archived, checkCustomerKey, invalidObjectState } from './object-headers.ts';
import { PutObject } from './objects.ts';
import { getBucket } from './store.ts';
import { findObject } from './versioning.ts';

interface Caller {
  account: string;
  region: string;
}

export interface WriteOptions {
  contentType?: string;
  contentEncoding?: string;
}

export function s3Internal(rt: ServiceRuntime) {
  return {
    /** The object's bytes; throws S3's AwsError (NoSuchBucket, NoSuchKey, NoSuchVersion, InvalidObjectState, ...). */
    async readObject(caller: Caller, bucketName: string, key: string, versionId?: string): Promise<Buffer> {
      const ctx = rt.contextFor(caller.account, caller.region, 'GetObject');
      const bucket = getBucket(ctx, bucketName);
      const { record } = findObject(ctx, bucket, key, versionId, 'GET');
      checkCustomerKey(record.sse, {});
      if (archived(record, ctx.clock.now())) throw invalidObjectState(record);
      return collect(readAll(ctx.state, record.segments, record.size));
    },

    /** Stores `body` as PutObject would; returns the new ETag and version id. */
    async writeObject(caller: Caller, bucketName: string, key: string, body: Buffer, opts: WriteOptions = {}): Promise<{ ETag: string; VersionId?: string }> {
      const ctx = rt.contextFor(caller.account, caller.region, 'PutObject');
      ctx.rawRequest = { method: 'PUT', path: `/${bucketName}/${key}`, query: '', headers: { 'content-length': String(body.length) } };
      const input: PutObjectRequest = { Bucket: bucketName, Key: key, Body: body as unknown as PutObjectRequest['Body'] };
      if (opts.contentType !== undefined) input.ContentType = opts.contentType;
      if (opts.contentEncoding !== undefined) input.ContentEncoding = opts.contentEncoding;
      const out = await PutObject(input, ctx);
      return { ETag: out.ETag!, ...(out.VersionId !== undefined ? { VersionId: out.VersionId } : {}) };
    },
  };
}

export type S3Internal = ReturnType<typeof s3Internal>;
