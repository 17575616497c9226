/** GetObjectAttributes, and RestoreObject for archived storage classes (restores complete at once). */
import type {
  GetObjectAttributesOutput, GetObjectAttributesRequest, ObjectPart, RestoreObjectOutput, RestoreObjectRequest,
} from '../../generated/s3.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { checksumMembers, memberName } from './checksums.ts';
import { invalidArgument, invalidRequest, malformedXml } from './errors.ts';
import { notifyObject } from './notify.ts';
import { checkCustomerKey } from './object-headers.ts';
import { getBucket } from './store.ts';
import { findObject, replaceVersion, shownVersionId } from './versioning.ts';

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);
const DAY = 86_400_000;

export function GetObjectAttributes(input: GetObjectAttributesRequest, ctx: RequestContext): GetObjectAttributesOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const wanted = new Set(input.ObjectAttributes ?? []);
  if (wanted.size === 0) throw invalidRequest('The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty');
  for (const a of wanted) if (!ATTRIBUTES.has(a)) throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', a);
  const { record: rec } = findObject(ctx, bucket, input.Key, input.VersionId, 'GET');
  checkCustomerKey(rec.sse, input);
  const out: GetObjectAttributesOutput = { LastModified: new Date(rec.lastModified), VersionId: shownVersionId(bucket, rec) };
  if (wanted.has('ETag')) out.ETag = rec.etag.replace(/^"|"$/g, '');
  if (wanted.has('StorageClass')) out.StorageClass = rec.storageClass as GetObjectAttributesOutput['StorageClass'];
  if (wanted.has('ObjectSize')) out.ObjectSize = rec.size;
  if (wanted.has('Checksum') && rec.checksum) {
    // A composite checksum is shown without its `-N` part count here.
    const members = checksumMembers({ ...rec.checksum, value: rec.checksum.value.replace(/-\d+$/, '') });
    out.Checksum = members as GetObjectAttributesOutput['Checksum'];
  }
  if (wanted.has('ObjectParts') && rec.parts) {
    const max = Math.min(input.MaxParts ?? 1000, 1000);
    const marker = input.PartNumberMarker ?? 0;
    const parts: ObjectPart[] = [];
    let truncated = false;
    for (let i = marker; i < rec.parts.length; i++) {
      if (parts.length === max) {
        truncated = true;
        break;
      }
      const p = rec.parts[i]!;
      const part: ObjectPart = { PartNumber: i + 1, Size: p.size };
      if (p.checksum !== undefined && rec.checksum) (part as Record<string, unknown>)[memberName(rec.checksum.algorithm)] = p.checksum;
      parts.push(part);
    }
    out.ObjectParts = {
      TotalPartsCount: rec.parts.length,
      PartNumberMarker: marker,
      NextPartNumberMarker: parts.length ? parts[parts.length - 1]!.PartNumber : undefined,
      MaxParts: max,
      IsTruncated: truncated,
      Parts: parts,
    };
  }
  return out;
}

export function RestoreObject(input: RestoreObjectRequest, ctx: RequestContext): RestoreObjectOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const found = findObject(ctx, bucket, input.Key, input.VersionId, 'POST');
  const rec = found.record;
  if (rec.storageClass !== 'GLACIER' && rec.storageClass !== 'DEEP_ARCHIVE') {
    throw new AwsError('InvalidObjectState', "Restore is not allowed for the object's current storage class", 403, { StorageClass: rec.storageClass });
  }
  const days = input.RestoreRequest?.Days;
  if (input.RestoreRequest?.Type === 'SELECT') throw invalidRequest('SELECT restore requests are not supported');
  if (days === undefined || !Number.isInteger(days) || days < 1) throw malformedXml();
  const now = ctx.clock.now();
  const restored = rec.restoreExpiry !== undefined && rec.restoreExpiry > now;
  const expiry = Math.floor(now / DAY) * DAY + (days + 1) * DAY;
  const updated = { ...rec, restoreExpiry: expiry };
  replaceVersion(ctx.state, bucket.name, found, updated);
  // kumo restores at once: the restore starts and completes in this request.
  if (!restored) {
    notifyObject(ctx, bucket, 'ObjectRestore:Post', updated);
    notifyObject(ctx, bucket, 'ObjectRestore:Completed', updated);
  }
  return { StatusCode: restored ? 200 : 202 };
}
