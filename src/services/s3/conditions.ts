/**
 * Conditional requests: If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since on
 * reads (412 or 304, with S3's precedence), on copy sources (always 412), and conditional
 * writes (`If-None-Match: *`, `If-Match: <etag>`).
 */
import { AwsError } from '../framework/define.ts';
import { noSuchKey, notModified, preconditionFailed } from './errors.ts';
import type { ObjectRecord } from './store.ts';

function normalize(tag: string): string {
  let t = tag.trim();
  if (t.startsWith('W/')) t = t.slice(2);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
  return t;
}

/** Whether a comma-separated If-Match / If-None-Match list names `etag` (or is `*`). */
export function etagMatches(list: string, etag: string): boolean {
  const target = normalize(etag);
  return list.split(',').some((t) => t.trim() === '*' || normalize(t) === target);
}

/** HTTP dates have whole seconds. */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

interface ReadConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
}

/**
 * S3's rules: a failing If-Match, or a failing If-Unmodified-Since without If-Match, is 412;
 * then a matching If-None-Match, or a failing If-Modified-Since without If-None-Match, is 304.
 */
export function checkReadConditions(rec: ObjectRecord, c: ReadConditions, now: number): void {
  const modified = seconds(rec.lastModified);
  if (c.IfMatch !== undefined && !etagMatches(c.IfMatch, rec.etag)) throw preconditionFailed('If-Match');
  if (c.IfMatch === undefined && c.IfUnmodifiedSince !== undefined && modified > seconds(c.IfUnmodifiedSince.getTime())) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (c.IfNoneMatch !== undefined && etagMatches(c.IfNoneMatch, rec.etag)) throw notModified(notModifiedHeaders(rec));
  // A date in the future is not a valid If-Modified-Since (RFC 9110) and is ignored.
  const since = c.IfModifiedSince?.getTime();
  if (c.IfNoneMatch === undefined && since !== undefined && since <= now && modified <= seconds(since)) throw notModified(notModifiedHeaders(rec));
}

/** Built only for a 304: formatting the date costs more than the checks on every read. */
function notModifiedHeaders(rec: ObjectRecord): Record<string, string> {
  return { etag: rec.etag, 'last-modified': new Date(rec.lastModified).toUTCString() };
}

export interface CopySourceConditions {
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date;
}

/** Copy source conditions fail with 412 whichever header fails, with the same precedence as reads. */
export function checkCopySourceConditions(rec: ObjectRecord, c: CopySourceConditions, now: number): void {
  const modified = seconds(rec.lastModified);
  if (c.CopySourceIfMatch !== undefined && !etagMatches(c.CopySourceIfMatch, rec.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  if (c.CopySourceIfMatch === undefined && c.CopySourceIfUnmodifiedSince !== undefined && modified > seconds(c.CopySourceIfUnmodifiedSince.getTime())) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (c.CopySourceIfNoneMatch !== undefined && etagMatches(c.CopySourceIfNoneMatch, rec.etag)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  const since = c.CopySourceIfModifiedSince?.getTime();
  if (c.CopySourceIfNoneMatch === undefined && since !== undefined && since <= now && modified <= seconds(since)) {
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}

/**
 * Conditional writes against the key's current version (a delete marker counts as absent):
 * `If-None-Match: *` needs no object, `If-Match` needs one with that ETag.
 */
export function checkWriteConditions(key: string, current: ObjectRecord | undefined, ifMatch: string | undefined, ifNoneMatch: string | undefined): void {
  const live = current && !current.deleteMarker ? current : undefined;
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') {
      throw new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { Header: 'If-None-Match' });
    }
    if (live) throw preconditionFailed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    if (!live) throw noSuchKey(key);
    if (!etagMatches(ifMatch, live.etag)) throw preconditionFailed('If-Match');
  }
}
