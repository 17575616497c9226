/**
 * Lifecycle configurations: validated and stored, shown in `x-amz-expiration`, and executed on
 * kumo's clock. A sweep at every UTC hour boundary applies expiration (deleting, or adding a
 * delete marker in versioned buckets), noncurrent version expiration, expired delete marker
 * removal and incomplete multipart upload aborts, with S3's due times (creation time plus the
 * rule's days, rounded up to the next midnight UTC). Moving the clock forward runs them.
 * Transitions are stored but do not change storage classes.
 */
import type {
  DeleteBucketLifecycleRequest, GetBucketLifecycleConfigurationOutput, GetBucketLifecycleConfigurationRequest, LifecycleRule,
  LifecycleRuleFilter, PutBucketLifecycleConfigurationOutput, PutBucketLifecycleConfigurationRequest, Tag,
} from '../../generated/s3.ts';
import type { RequestContext, ServiceRuntime } from '../framework/define.ts';
import type { ServiceState, TimerHandle } from '../../state/types.ts';
import { invalidArgument, invalidRequest, malformedXml, missingConfig } from './errors.ts';
import { bucketPrefix, configKey, encodeKey } from './keys.ts';
import { abortUpload } from './multipart.ts';
import { notifyLifecycle } from './notify.ts';
import { getBucket, tables, type BucketRecord, type ObjectRecord } from './store.ts';
import { commitVersion, deleteMarkerDraft, noncurrent, removeVersion } from './versioning.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface StoredLifecycle {
  Rules: LifecycleRule[];
  TransitionDefaultMinimumObjectSize?: string;
}

function lifecycleOf(state: ServiceState, bucket: string): StoredLifecycle | undefined {
  return tables.configs(state).get(configKey(bucket, 'lifecycle')) as StoredLifecycle | undefined;
}

/** Midnight UTC after `from` plus `days` days. */
function dueAfterDays(from: number, days: number): number {
  return Math.floor(from / DAY) * DAY + (days + 1) * DAY;
}

function isMidnight(d: Date): boolean {
  return d.getTime() % DAY === 0;
}

function validateRule(rule: LifecycleRule, ids: Set<string>): void {
  if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled') throw malformedXml();
  if (rule.ID !== undefined) {
    if (rule.ID.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', rule.ID);
    if (ids.has(rule.ID)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', rule.ID);
    ids.add(rule.ID);
  }
  if ((rule.Filter === undefined) === (rule.Prefix === undefined)) throw malformedXml();
  const f = rule.Filter;
  if (f) {
    const set = [f.Prefix, f.Tag, f.And, f.ObjectSizeGreaterThan, f.ObjectSizeLessThan].filter((x) => x !== undefined).length;
    if (set > 1) throw malformedXml();
  }
  const hasTags = Boolean(f?.Tag || f?.And?.Tags?.length);
  const e = rule.Expiration;
  if (!e && !rule.NoncurrentVersionExpiration && !rule.AbortIncompleteMultipartUpload && !rule.Transitions?.length && !rule.NoncurrentVersionTransitions?.length) {
    throw invalidRequest('At least one action needs to be specified in a rule');
  }
  if (e) {
    const set = [e.Date, e.Days, e.ExpiredObjectDeleteMarker].filter((x) => x !== undefined).length;
    if (set !== 1) throw malformedXml();
    if (e.Days !== undefined && (!Number.isInteger(e.Days) || e.Days <= 0)) {
      throw invalidArgument("'Days' for Expiration action must be a positive integer", 'Days', e.Days);
    }
    if (e.Date !== undefined && !isMidnight(e.Date)) throw invalidArgument("'Date' must be at midnight GMT", 'Date', e.Date.toISOString());
    if (e.ExpiredObjectDeleteMarker !== undefined && hasTags) throw invalidRequest('ExpiredObjectDeleteMarker cannot be specified with object tags');
  }
  const n = rule.NoncurrentVersionExpiration;
  if (n && (n.NoncurrentDays === undefined || !Number.isInteger(n.NoncurrentDays) || n.NoncurrentDays <= 0)) {
    throw invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", 'NoncurrentDays', n.NoncurrentDays);
  }
  const a = rule.AbortIncompleteMultipartUpload;
  if (a) {
    if (a.DaysAfterInitiation === undefined || !Number.isInteger(a.DaysAfterInitiation) || a.DaysAfterInitiation <= 0) {
      throw invalidArgument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", 'DaysAfterInitiation', a.DaysAfterInitiation);
    }
    if (hasTags) throw invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
  }
  for (const t of rule.Transitions ?? []) {
    if ((t.Days === undefined) === (t.Date === undefined) || !t.StorageClass) throw malformedXml();
    if (t.Days !== undefined && (t.StorageClass === 'STANDARD_IA' || t.StorageClass === 'ONEZONE_IA') && t.Days < 30) {
      throw invalidArgument(`'Days' in Transition action must be greater than or equal to 30 for storageClass '${t.StorageClass}'`, 'Days', t.Days);
    }
  }
}

export function PutBucketLifecycleConfiguration(input: PutBucketLifecycleConfigurationRequest, ctx: RequestContext): PutBucketLifecycleConfigurationOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const rules = input.LifecycleConfiguration?.Rules;
  if (!rules || rules.length === 0) throw malformedXml();
  if (rules.length > 1000) throw invalidRequest('The number of lifecycle rules should not exceed allowed limit of 1000 rules');
  const ids = new Set<string>();
  for (const rule of rules) validateRule(rule, ids);
  const minSize = input.TransitionDefaultMinimumObjectSize ?? 'all_storage_classes_128K';
  const stored: StoredLifecycle = { Rules: rules.map((r) => ({ ...r, ID: r.ID ?? ctx.ids.base64(36).replace(/[+/=]/g, '').slice(0, 48) })), TransitionDefaultMinimumObjectSize: minSize };
  tables.configs(ctx.state).put(configKey(bucket.name, 'lifecycle'), stored);
  return { TransitionDefaultMinimumObjectSize: minSize as PutBucketLifecycleConfigurationOutput['TransitionDefaultMinimumObjectSize'] };
}

export function GetBucketLifecycleConfiguration(input: GetBucketLifecycleConfigurationRequest, ctx: RequestContext): GetBucketLifecycleConfigurationOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const stored = lifecycleOf(ctx.state, bucket.name);
  if (!stored) throw missingConfig('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket.name);
  return stored as GetBucketLifecycleConfigurationOutput;
}

export function DeleteBucketLifecycle(input: DeleteBucketLifecycleRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  tables.configs(ctx.state).delete(configKey(bucket.name, 'lifecycle'));
  return {};
}

function rulePrefix(rule: LifecycleRule): string {
  const f = rule.Filter;
  return f?.Prefix ?? f?.And?.Prefix ?? rule.Prefix ?? '';
}

function hasTags(tags: Tag[] | undefined, wanted: Tag[]): boolean {
  return wanted.every((w) => tags?.some((t) => t.Key === w.Key && t.Value === w.Value));
}

function matches(f: LifecycleRuleFilter | undefined, prefix: string, rec: ObjectRecord): boolean {
  if (!rec.key.startsWith(prefix)) return false;
  if (!f) return true;
  const cond = f.And ?? f;
  const tags = f.And ? f.And.Tags ?? [] : f.Tag ? [f.Tag] : [];
  if (!hasTags(rec.tags, tags)) return false;
  if (cond.ObjectSizeGreaterThan !== undefined && !(rec.size > cond.ObjectSizeGreaterThan)) return false;
  if (cond.ObjectSizeLessThan !== undefined && !(rec.size < cond.ObjectSizeLessThan)) return false;
  return true;
}

/** When the current version `rec` expires under `rule`, if it does. */
function currentDue(rule: LifecycleRule, rec: ObjectRecord): number | undefined {
  const e = rule.Expiration;
  if (!e || rule.Status !== 'Enabled' || rec.deleteMarker || !matches(rule.Filter, rulePrefix(rule), rec)) return undefined;
  if (e.Date !== undefined) return new Date(e.Date).getTime();
  if (e.Days !== undefined) return dueAfterDays(rec.lastModified, e.Days);
  return undefined;
}

/** The `x-amz-expiration` value for a current version: its earliest expiration and the rule. */
export function expirationOf(state: ServiceState, bucket: BucketRecord, rec: ObjectRecord): string | undefined {
  const conf = lifecycleOf(state, bucket.name);
  if (!conf) return undefined;
  let best: { at: number; id: string } | undefined;
  for (const rule of conf.Rules) {
    const at = currentDue(rule, rec);
    if (at !== undefined && (!best || at < best.at)) best = { at, id: rule.ID ?? '' };
  }
  return best && `expiry-date="${new Date(best.at).toUTCString()}", rule-id="${best.id}"`;
}

/** Applies every due lifecycle action of every bucket. */
function sweepLifecycle(rt: ServiceRuntime): void {
  const now = rt.clock.now();
  const state = rt.state;
  for (const [name, bucket] of tables.buckets(state).entries()) {
    const conf = lifecycleOf(state, name);
    if (!conf) continue;
    for (const rule of conf.Rules) {
      if (rule.Status === 'Enabled') applyRule(rt, tables.buckets(state).get(name) ?? bucket, rule, now);
    }
  }
}

function applyRule(rt: ServiceRuntime, bucket: BucketRecord, rule: LifecycleRule, now: number): void {
  const state = rt.state;
  const prefix = rulePrefix(rule);
  const base = bucketPrefix(bucket.name);
  for (const [, rec] of [...tables.objects(state).entries({ prefix: base + encodeKey(prefix) })]) {
    const due = currentDue(rule, rec);
    if (due !== undefined && due <= now) {
      if (bucket.versioning) {
        const marker = commitVersion(state, rt.ids, bucket, deleteMarkerDraft(rec.key, rec.owner, now));
        notifyLifecycle(rt, bucket, 'LifecycleExpiration:DeleteMarkerCreated', marker);
      } else {
        removeVersion(state, bucket.name, { record: rec, current: true });
        notifyLifecycle(rt, bucket, 'LifecycleExpiration:Delete', rec);
      }
    }
    const nv = rule.NoncurrentVersionExpiration;
    if (nv?.NoncurrentDays !== undefined && matches(rule.Filter, prefix, rec)) expireNoncurrent(rt, bucket, rec.key, nv.NoncurrentDays, nv.NewerNoncurrentVersions ?? 0, now);
    if (rule.Expiration?.ExpiredObjectDeleteMarker) {
      const current = tables.objects(state).get(base + encodeKey(rec.key));
      if (current?.deleteMarker && current.key.startsWith(prefix) && noncurrent(state, bucket.name, rec.key).next().done) {
        removeVersion(state, bucket.name, { record: current, current: true });
        notifyLifecycle(rt, bucket, 'LifecycleExpiration:Delete', current);
      }
    }
  }
  const abort = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
  if (abort !== undefined) {
    for (const [, upload] of [...tables.uploads(state).entries({ prefix: base + encodeKey(prefix) })]) {
      if (dueAfterDays(upload.initiated, abort) <= now) abortUpload(state, upload);
    }
  }
}

/** A version becomes noncurrent when the next newer one is written. */
function expireNoncurrent(rt: ServiceRuntime, bucket: BucketRecord, key: string, days: number, keep: number, now: number): void {
  const state = rt.state;
  const current = tables.objects(state).get(bucketPrefix(bucket.name) + encodeKey(key));
  if (!current) return;
  let newer = current.lastModified;
  let index = 0;
  for (const [, rec] of [...noncurrent(state, bucket.name, key)]) {
    if (index >= keep && dueAfterDays(newer, days) <= now) {
      removeVersion(state, bucket.name, { record: rec, current: false });
      notifyLifecycle(rt, bucket, 'LifecycleExpiration:Delete', rec);
    }
    newer = rec.lastModified;
    index++;
  }
}

const timers = new WeakMap<ServiceState, TimerHandle>();

/** Sweeps at every whole UTC hour of kumo's clock (lifecycle due times are midnights). */
export function scheduleLifecycle(rt: ServiceRuntime): void {
  timers.get(rt.state)?.cancel();
  const arm = () => {
    const next = Math.floor(rt.clock.now() / HOUR) * HOUR + HOUR;
    timers.set(rt.state, rt.scheduler.at(next, () => {
      sweepLifecycle(rt);
      arm();
    }));
  };
  arm();
}
