/**
 * ListObjects (v1), ListObjectsV2 and ListObjectVersions as ordered range scans of the objects
 * table: a prefix is one key range, a common prefix is reported once and then skipped with a
 * seek past every key under it, so a listing costs what it returns, not the bucket's size.
 */
import type {
  CommonPrefix, DeleteMarkerEntry, ListObjectsOutput, ListObjectsRequest, ListObjectsV2Output, ListObjectsV2Request,
  ListObjectVersionsOutput, ListObjectVersionsRequest, ObjectShape, ObjectVersion,
} from '../../generated/s3.ts';
import type { RequestContext } from '../framework/define.ts';
import type { ServiceState } from '../../state/types.ts';
import { ownerOf } from './acl.ts';
import { invalidArgument } from './errors.ts';
import { AFTER_ALL, bucketPrefix, encodeKey, justAfter } from './keys.ts';
import { getBucket, tables, type BucketRecord, type ObjectRecord } from './store.ts';
import { checkVersionId, noncurrent, shownVersionId } from './versioning.ts';

type Item = { prefix: string; rec?: undefined; next: string } | { rec: ObjectRecord; prefix?: undefined; next: string };

/**
 * Current versions under `prefix` from `start` (an encoded position, inclusive), rolled up into
 * common prefixes at `delimiter`. `next` is where a following page starts. Common prefixes at or
 * before `notAfter` (a marker naming one) are skipped.
 */
function* scan(
  state: ServiceState, bucket: string, prefix: string, delimiter: string | undefined, start: string | undefined,
  opts: { markers: boolean; notAfter?: string },
): Generator<Item> {
  const base = bucketPrefix(bucket);
  const range = { prefix: base + encodeKey(prefix), start: start === undefined ? undefined : base + start };
  const limit = opts.notAfter === undefined ? undefined : encodeKey(opts.notAfter);
  const objects = tables.objects(state);
  for (;;) {
    let reopened = false;
    for (const [tk, rec] of objects.entries(range)) {
      if (rec.deleteMarker && !opts.markers) continue;
      const i = delimiter ? rec.key.indexOf(delimiter, prefix.length) : -1;
      if (i >= 0) {
        const cp = rec.key.slice(0, i + delimiter!.length);
        const encoded = encodeKey(cp);
        const next = encoded + AFTER_ALL;
        if (limit === undefined || encoded > limit) yield { prefix: cp, next };
        range.start = base + next;
        reopened = true;
        break;
      }
      yield { rec, next: justAfter(tk.slice(base.length)) };
    }
    if (!reopened) return;
  }
}

/** S3's `encoding-type=url`: form encoding (space as `+`) that leaves `/` alone. */
export function urlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function encoder(type: string | undefined): (s: string | undefined) => string | undefined {
  if (type === undefined) return (s) => s;
  if (type !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  return (s) => (s === undefined ? undefined : urlEncode(s));
}

function maxKeys(raw: number | undefined): number {
  if (raw === undefined) return 1000;
  if (!Number.isInteger(raw) || raw < 0 || raw > 2147483647) throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', raw);
  return Math.min(raw, 1000);
}

/** An empty delimiter is no delimiter. */
function delimiterOf(raw: string | undefined): string | undefined {
  return raw === undefined || raw === '' ? undefined : raw;
}

function checksumInfo(rec: ObjectRecord): Pick<ObjectShape, 'ChecksumAlgorithm' | 'ChecksumType'> {
  if (!rec.checksum) return {};
  return { ChecksumAlgorithm: [rec.checksum.algorithm as NonNullable<ObjectShape['ChecksumAlgorithm']>[number]], ChecksumType: rec.checksum.type };
}

function entry(rec: ObjectRecord, key: string | undefined, owner: boolean): ObjectShape {
  const o: ObjectShape = {
    Key: key,
    LastModified: new Date(rec.lastModified),
    ETag: rec.etag,
    Size: rec.size,
    StorageClass: rec.storageClass as ObjectShape['StorageClass'],
    ...checksumInfo(rec),
  };
  if (owner) o.Owner = ownerOf(rec.owner);
  if (rec.restoreExpiry !== undefined) o.RestoreStatus = { IsRestoreInProgress: false, RestoreExpiryDate: new Date(rec.restoreExpiry) };
  return o;
}

interface Page {
  contents: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** Where the next page starts (encoded position). */
  next?: string;
  /** The last key or common prefix returned (v1's NextMarker). */
  last?: string;
}

function page(items: Generator<Item>, max: number): Page {
  const p: Page = { contents: [], prefixes: [], truncated: false };
  if (max === 0) return p;
  for (const item of items) {
    if (p.contents.length + p.prefixes.length === max) {
      p.truncated = true;
      break;
    }
    if (item.rec) {
      p.contents.push(item.rec);
      p.last = item.rec.key;
    } else {
      p.prefixes.push(item.prefix);
      p.last = item.prefix;
    }
    p.next = item.next;
  }
  return p;
}

const TOKEN_VERSION = '1';

function continuationToken(position: string): string {
  return Buffer.from(TOKEN_VERSION + position, 'utf8').toString('base64url');
}

function readToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_VERSION) || Buffer.from(text, 'utf8').toString('base64url') !== token.replace(/=+$/, '')) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return text.slice(TOKEN_VERSION.length);
}

export function ListObjectsV2(input: ListObjectsV2Request, ctx: RequestContext): ListObjectsV2Output {
  const bucket = getBucket(ctx, input.Bucket);
  const enc = encoder(input.EncodingType);
  const max = maxKeys(input.MaxKeys);
  const prefix = input.Prefix ?? '';
  const delimiter = delimiterOf(input.Delimiter);
  let start: string | undefined;
  if (input.ContinuationToken !== undefined) start = readToken(input.ContinuationToken);
  else if (input.StartAfter !== undefined && input.StartAfter !== '') start = justAfter(encodeKey(input.StartAfter));
  const notAfter = input.ContinuationToken === undefined && input.StartAfter ? input.StartAfter : undefined;
  const p = page(scan(ctx.state, bucket.name, prefix, delimiter, start, { markers: false, notAfter }), max);
  return {
    Name: bucket.name,
    Prefix: enc(prefix),
    Delimiter: enc(input.Delimiter),
    MaxKeys: input.MaxKeys ?? 1000,
    KeyCount: p.contents.length + p.prefixes.length,
    IsTruncated: p.truncated,
    Contents: p.contents.length ? p.contents.map((r) => entry(r, enc(r.key), input.FetchOwner === true)) : undefined,
    CommonPrefixes: p.prefixes.length ? p.prefixes.map((cp): CommonPrefix => ({ Prefix: enc(cp) })) : undefined,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: p.truncated && p.next !== undefined ? continuationToken(p.next) : undefined,
    StartAfter: enc(input.StartAfter),
    EncodingType: input.EncodingType,
  };
}

export function ListObjects(input: ListObjectsRequest, ctx: RequestContext): ListObjectsOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const enc = encoder(input.EncodingType);
  const max = maxKeys(input.MaxKeys);
  const prefix = input.Prefix ?? '';
  const delimiter = delimiterOf(input.Delimiter);
  const marker = input.Marker === '' ? undefined : input.Marker;
  const start = marker === undefined ? undefined : justAfter(encodeKey(marker));
  const p = page(scan(ctx.state, bucket.name, prefix, delimiter, start, { markers: false, notAfter: marker }), max);
  return {
    Name: bucket.name,
    Prefix: enc(prefix),
    Marker: enc(input.Marker ?? ''),
    Delimiter: enc(input.Delimiter),
    MaxKeys: input.MaxKeys ?? 1000,
    IsTruncated: p.truncated,
    // S3 names NextMarker only when a delimiter is used; otherwise clients continue from the last key.
    NextMarker: p.truncated && delimiter !== undefined ? enc(p.last) : undefined,
    Contents: p.contents.length ? p.contents.map((r) => entry(r, enc(r.key), true)) : undefined,
    CommonPrefixes: p.prefixes.length ? p.prefixes.map((cp): CommonPrefix => ({ Prefix: enc(cp) })) : undefined,
    EncodingType: input.EncodingType,
  };
}

export function ListObjectVersions(input: ListObjectVersionsRequest, ctx: RequestContext): ListObjectVersionsOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const enc = encoder(input.EncodingType);
  const max = maxKeys(input.MaxKeys);
  const prefix = input.Prefix ?? '';
  const delimiter = delimiterOf(input.Delimiter);
  const keyMarker = input.KeyMarker === '' ? undefined : input.KeyMarker;
  const versionMarker = input.VersionIdMarker === '' ? undefined : input.VersionIdMarker;
  if (versionMarker !== undefined) {
    if (keyMarker === undefined) throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', versionMarker);
    checkVersionId(versionMarker);
  }
  // With a version marker the marker key itself is resumed after that version.
  const start = keyMarker === undefined ? undefined : versionMarker !== undefined ? encodeKey(keyMarker) : justAfter(encodeKey(keyMarker));
  const versions: ObjectVersion[] = [];
  const markers: DeleteMarkerEntry[] = [];
  const prefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let nextKey: string | undefined;
  let nextVersion: string | undefined;
  if (max > 0) {
    outer: for (const item of scan(ctx.state, bucket.name, prefix, delimiter, start, { markers: true, notAfter: keyMarker })) {
      if (!item.rec) {
        if (count === max) {
          truncated = true;
          break;
        }
        prefixes.push(item.prefix);
        count++;
        nextKey = item.prefix;
        nextVersion = undefined;
        continue;
      }
      let skipping = versionMarker !== undefined && item.rec.key === keyMarker;
      for (const [rec, latest] of allVersions(ctx.state, bucket, item.rec)) {
        const id = shownVersionId(bucket, rec) ?? 'null';
        if (skipping) {
          if (id === versionMarker) skipping = false;
          continue;
        }
        if (count === max) {
          truncated = true;
          break outer;
        }
        if (rec.deleteMarker) {
          markers.push({ Key: enc(rec.key), VersionId: id, IsLatest: latest, LastModified: new Date(rec.lastModified), Owner: ownerOf(rec.owner) });
        } else {
          versions.push({ ...entry(rec, enc(rec.key), true), VersionId: id, IsLatest: latest } as ObjectVersion);
        }
        count++;
        nextKey = rec.key;
        nextVersion = id;
      }
    }
  }
  return {
    Name: bucket.name,
    Prefix: enc(prefix),
    KeyMarker: enc(input.KeyMarker ?? ''),
    VersionIdMarker: input.VersionIdMarker ?? '',
    Delimiter: enc(input.Delimiter),
    MaxKeys: input.MaxKeys ?? 1000,
    IsTruncated: truncated,
    NextKeyMarker: truncated ? enc(nextKey) : undefined,
    NextVersionIdMarker: truncated ? nextVersion : undefined,
    Versions: versions.length ? versions : undefined,
    DeleteMarkers: markers.length ? markers : undefined,
    CommonPrefixes: prefixes.length ? prefixes.map((cp): CommonPrefix => ({ Prefix: enc(cp) })) : undefined,
    EncodingType: input.EncodingType,
  };
}

function* allVersions(state: ServiceState, bucket: BucketRecord, current: ObjectRecord): Generator<[ObjectRecord, boolean]> {
  yield [current, true];
  for (const [, rec] of noncurrent(state, bucket.name, current.key)) yield [rec, false];
}
