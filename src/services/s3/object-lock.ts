/**
 * Object lock: the bucket configuration (with default retention), per-version retention and
 * legal holds, and the rule that locked versions cannot be deleted.
 */
import type {
  GetObjectLegalHoldOutput, GetObjectLegalHoldRequest, GetObjectLockConfigurationOutput, GetObjectLockConfigurationRequest,
  GetObjectRetentionOutput, GetObjectRetentionRequest, ObjectLockConfiguration, PutObjectLegalHoldOutput, PutObjectLegalHoldRequest,
  PutObjectLockConfigurationOutput, PutObjectLockConfigurationRequest, PutObjectRetentionOutput, PutObjectRetentionRequest,
} from '../../generated/s3.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidArgument, invalidRequest, malformedXml, missingConfig } from './errors.ts';
import { configKey } from './keys.ts';
import { getBucket, tables, type BucketRecord, type LockInfo, type ObjectRecord } from './store.ts';
import { findObject, replaceVersion } from './versioning.ts';

const DAY = 86_400_000;

function lockConfig(ctx: RequestContext, bucket: BucketRecord): ObjectLockConfiguration | undefined {
  return tables.configs(ctx.state).get(configKey(bucket.name, 'object-lock')) as ObjectLockConfiguration | undefined;
}

/** The retention a new version gets from the bucket's default rule. */
export function defaultLock(ctx: RequestContext, bucket: BucketRecord, now: number): LockInfo | undefined {
  if (!bucket.objectLock) return undefined;
  const d = lockConfig(ctx, bucket)?.Rule?.DefaultRetention;
  if (!d?.Mode) return undefined;
  const days = d.Days ?? (d.Years ?? 0) * 365;
  return { mode: d.Mode, retainUntil: now + days * DAY };
}

function locked(): AwsError {
  return new AwsError('AccessDenied', 'Access Denied because object protected by object lock.', 403);
}

export function checkDeletable(rec: ObjectRecord, bypassGovernance: boolean, now: number): void {
  const lock = rec.lock;
  if (!lock) return;
  if (lock.legalHold === 'ON') throw locked();
  if (lock.retainUntil !== undefined && lock.retainUntil > now && (lock.mode === 'COMPLIANCE' || !bypassGovernance)) throw locked();
}

function requireLock(bucket: BucketRecord): void {
  if (!bucket.objectLock) throw invalidRequest('Bucket is missing Object Lock Configuration');
}

export function PutObjectLockConfiguration(input: PutObjectLockConfigurationRequest, ctx: RequestContext): PutObjectLockConfigurationOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = input.ObjectLockConfiguration;
  if (!conf || conf.ObjectLockEnabled !== 'Enabled') throw malformedXml();
  if (!bucket.objectLock && bucket.versioning !== 'Enabled') {
    throw new AwsError('InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409);
  }
  const d = conf.Rule?.DefaultRetention;
  if (conf.Rule && !d) throw malformedXml();
  if (d) {
    if (d.Mode !== 'GOVERNANCE' && d.Mode !== 'COMPLIANCE') throw malformedXml();
    if ((d.Days === undefined) === (d.Years === undefined)) throw malformedXml();
    const n = d.Days ?? d.Years!;
    if (!Number.isInteger(n) || n <= 0) throw invalidArgument('Default retention period must be a positive integer value', 'ObjectLockConfiguration', String(n));
  }
  tables.configs(ctx.state).put(configKey(bucket.name, 'object-lock'), conf);
  if (!bucket.objectLock) tables.buckets(ctx.state).put(bucket.name, { ...bucket, objectLock: true });
  return {};
}

export function GetObjectLockConfiguration(input: GetObjectLockConfigurationRequest, ctx: RequestContext): GetObjectLockConfigurationOutput {
  const bucket = getBucket(ctx, input.Bucket);
  if (!bucket.objectLock) throw missingConfig('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', bucket.name);
  return { ObjectLockConfiguration: lockConfig(ctx, bucket) ?? { ObjectLockEnabled: 'Enabled' } };
}

export function PutObjectRetention(input: PutObjectRetentionRequest, ctx: RequestContext): PutObjectRetentionOutput {
  const bucket = getBucket(ctx, input.Bucket);
  requireLock(bucket);
  const r = input.Retention;
  if (!r) throw malformedXml();
  if (r.Mode !== undefined && r.Mode !== 'GOVERNANCE' && r.Mode !== 'COMPLIANCE') throw malformedXml();
  if ((r.Mode === undefined) !== (r.RetainUntilDate === undefined)) throw malformedXml();
  const now = ctx.clock.now();
  if (r.RetainUntilDate && r.RetainUntilDate.getTime() <= now) {
    throw invalidRequest('The retain until date must be in the future!');
  }
  const found = findObject(ctx, bucket, input.Key, input.VersionId, 'PUT');
  const old = found.record.lock;
  if (old?.retainUntil !== undefined && old.retainUntil > now) {
    const shortens = r.RetainUntilDate === undefined || r.RetainUntilDate.getTime() < old.retainUntil || r.Mode !== old.mode;
    if (shortens && (old.mode === 'COMPLIANCE' || !input.BypassGovernanceRetention)) throw locked();
  }
  const lock: LockInfo = { legalHold: old?.legalHold };
  if (r.Mode) {
    lock.mode = r.Mode;
    lock.retainUntil = r.RetainUntilDate!.getTime();
  }
  replaceVersion(ctx.state, bucket.name, found, { ...found.record, lock });
  return {};
}

export function GetObjectRetention(input: GetObjectRetentionRequest, ctx: RequestContext): GetObjectRetentionOutput {
  const bucket = getBucket(ctx, input.Bucket);
  requireLock(bucket);
  const { record } = findObject(ctx, bucket, input.Key, input.VersionId, 'GET');
  if (!record.lock?.mode) throw new AwsError('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
  return { Retention: { Mode: record.lock.mode as 'GOVERNANCE' | 'COMPLIANCE', RetainUntilDate: new Date(record.lock.retainUntil!) } };
}

export function PutObjectLegalHold(input: PutObjectLegalHoldRequest, ctx: RequestContext): PutObjectLegalHoldOutput {
  const bucket = getBucket(ctx, input.Bucket);
  requireLock(bucket);
  const status = input.LegalHold?.Status;
  if (status !== 'ON' && status !== 'OFF') throw malformedXml();
  const found = findObject(ctx, bucket, input.Key, input.VersionId, 'PUT');
  replaceVersion(ctx.state, bucket.name, found, { ...found.record, lock: { ...found.record.lock, legalHold: status } });
  return {};
}

export function GetObjectLegalHold(input: GetObjectLegalHoldRequest, ctx: RequestContext): GetObjectLegalHoldOutput {
  const bucket = getBucket(ctx, input.Bucket);
  requireLock(bucket);
  const { record } = findObject(ctx, bucket, input.Key, input.VersionId, 'GET');
  if (!record.lock?.legalHold) throw new AwsError('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
  return { LegalHold: { Status: record.lock.legalHold as 'ON' | 'OFF' } };
}
