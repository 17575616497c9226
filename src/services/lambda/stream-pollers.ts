/**
 * DynamoDB stream event source mappings, one poller per enabled mapping on the engine clock:
 * records are read through the dynamodb service's internal API (`streamRecords`), in order,
 * from the mapping's checkpoint (`position`, the last stream counter handled, kept in the
 * mapping's record so it survives restarts), in batches of up to BatchSize gathered for up to
 * MaximumBatchingWindowInSeconds of engine time. A failed batch is retried from the same place
 * (halved with BisectBatchOnFunctionError, or from the first reported item failure) until
 * MaximumRetryAttempts or MaximumRecordAgeInSeconds give up on it; then the batch's
 * description goes to the on-failure SQS or SNS destination and the stream moves on.
 */
import { AwsError } from '../../protocol/aws-error.ts';
import type { Clock } from '../../state/types.ts';
import { deliverTo } from './destinations.ts';
import { admit, execute, type Caller } from './execution.ts';
import { pickVersion } from './invoke.ts';
import { functionArn } from './names.ts';
import type { MappingRecord } from './records.ts';
import type { LambdaRuntime } from './store.ts';

const IDLE_POLL_MS = 500;
const RETRY_MS = 5_000;
const MAX_BATCH_BYTES = 6 * 1024 * 1024;

interface StreamRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: { ApproximateCreationDateTime: Date; SequenceNumber: string; [k: string]: unknown };
  userIdentity?: { PrincipalId: string; Type: string };
}

interface StreamInfo { shardId: string; last: number; trimmed: number }
type StreamCaller = { clock: Clock; account: string; region: string };
interface StreamsApi {
  describeStream(caller: StreamCaller, arn: string): StreamInfo | undefined;
  streamRecords(caller: StreamCaller, arn: string, after: number, limit: number, maxBytes: number): StreamRecord[];
  parseSequenceNumber(s: string): number | undefined;
}

/** Retry state of the batch at the checkpoint (in memory: a restart retries it afresh). */
interface Retrying {
  attempts: number;
  /** Batch size while bisecting. */
  limit: number;
}

const retries = new WeakMap<LambdaRuntime, Map<string, Retrying>>();

/** Engine time a mapping's batching window opened (the first poll that found records short of a full batch). */
const windows = new WeakMap<LambdaRuntime, Map<string, number>>();

function windowMap(lr: LambdaRuntime): Map<string, number> {
  let m = windows.get(lr);
  if (!m) windows.set(lr, (m = new Map()));
  return m;
}

export function isStreamMapping(m: MappingRecord): boolean {
  return m.eventSourceArn.includes(':dynamodb:') && m.eventSourceArn.includes('/stream/');
}

/** Schedules the next tick of a stream mapping's poller. */
export function nextStreamTick(lr: LambdaRuntime, uuid: string, delayMs: number): void {
  const timer = lr.scheduler.after(delayMs, () => {
    lr.timers.delete(timer);
    // Once kumo stopped (or reset) under a running batch, failures touching the closed state are expected.
    tick(lr, uuid).catch((err: unknown) => {
      if (lr.pollers.has(uuid)) throw err;
    });
  });
  lr.timers.add(timer);
}

function retryMap(lr: LambdaRuntime): Map<string, Retrying> {
  let m = retries.get(lr);
  if (!m) retries.set(lr, (m = new Map()));
  return m;
}

function checkpoint(lr: LambdaRuntime, uuid: string, position: number): void {
  const table = lr.state.table<MappingRecord>('mappings');
  const latest = table.get(uuid);
  if (latest) table.put(uuid, { ...latest, position });
}

/** The counter the mapping starts after, from its starting position. */
function startingCounter(api: StreamsApi, caller: StreamCaller, m: MappingRecord, info: StreamInfo): number {
  if (m.startingPosition === 'LATEST') return info.last;
  if (m.startingPosition === 'AT_TIMESTAMP' && m.startingPositionTimestamp !== undefined) {
    let after = info.trimmed;
    for (;;) {
      const page = api.streamRecords(caller, m.eventSourceArn, after, 1000, MAX_BATCH_BYTES);
      if (page.length === 0) return after;
      for (const r of page) {
        const n = api.parseSequenceNumber(r.dynamodb.SequenceNumber)!;
        if (r.dynamodb.ApproximateCreationDateTime.getTime() >= m.startingPositionTimestamp) return n - 1;
        after = n;
      }
    }
  }
  return info.trimmed;
}

async function tick(lr: LambdaRuntime, uuid: string): Promise<void> {
  const m = lr.state.table<MappingRecord>('mappings').get(uuid);
  if (!m || !m.enabled) {
    retryMap(lr).delete(uuid);
    windowMap(lr).delete(uuid);
    lr.pollers.delete(uuid);
    return;
  }
  const api = lr.rt.services.dynamodb as unknown as StreamsApi | undefined;
  const scope = lr.scope(m.account, m.region);
  const fn = scope.functions.get(m.functionName);
  const caller: Caller = { account: m.account, region: m.region, clock: lr.rt.clock, ids: lr.rt.ids };
  const info = api?.describeStream(caller, m.eventSourceArn);
  if (!api || !fn || !info) return nextStreamTick(lr, uuid, RETRY_MS);
  let position = m.position;
  if (position === undefined) {
    position = startingCounter(api, caller, m, info);
    checkpoint(lr, uuid, position);
  }
  // Records trimmed away while the mapping was behind are lost, as in AWS.
  position = Math.max(position, info.trimmed);
  const retry = retryMap(lr).get(uuid) ?? { attempts: 0, limit: m.batchSize };
  const records = api.streamRecords(caller, m.eventSourceArn, position, Math.min(retry.limit, m.batchSize), MAX_BATCH_BYTES);
  if (records.length === 0) return nextStreamTick(lr, uuid, IDLE_POLL_MS);
  const now = lr.rt.clock.now();
  // A batching window holds a short first attempt until the batch fills or the window closes.
  if (retry.attempts === 0 && records.length < m.batchSize && m.maximumBatchingWindowInSeconds > 0) {
    const opened = windowMap(lr).get(uuid) ?? now;
    windowMap(lr).set(uuid, opened);
    const closes = opened + m.maximumBatchingWindowInSeconds * 1000;
    if (now < closes) return nextStreamTick(lr, uuid, Math.min(IDLE_POLL_MS, closes - now));
  }
  windowMap(lr).delete(uuid);
  const counters = records.map((r) => api.parseSequenceNumber(r.dynamodb.SequenceNumber)!);
  const maxAge = m.maximumRecordAgeInSeconds ?? -1;
  if (maxAge >= 0 && now - records[0]!.dynamodb.ApproximateCreationDateTime.getTime() > maxAge * 1000 + 999) {
    // Too old to process: the expired prefix is reported and skipped.
    const expired = records.filter((r) => now - r.dynamodb.ApproximateCreationDateTime.getTime() > maxAge * 1000 + 999);
    giveUp(lr, caller, m, info, expired, 'RecordAgeExceeded', retry.attempts, undefined);
    retryMap(lr).delete(uuid);
    checkpoint(lr, uuid, counters[expired.length - 1]!);
    return nextStreamTick(lr, uuid, 0);
  }
  let release: () => void;
  try {
    release = admit(caller, fn);
  } catch {
    return nextStreamTick(lr, uuid, IDLE_POLL_MS);
  }
  let outcome: Outcome;
  try {
    outcome = await invoke(lr, caller, m, records);
  } finally {
    release();
  }
  // kumo stopped (or its state was reset) while the function ran: the state is no longer ours.
  if (!lr.pollers.has(uuid)) return;
  if (outcome.ok) {
    retryMap(lr).delete(uuid);
    checkpoint(lr, uuid, counters[counters.length - 1]!);
    return nextStreamTick(lr, uuid, 0);
  }
  // Item failures: what precedes the first reported one is done.
  const firstFailed = outcome.failedSequence === undefined ? 0 : Math.max(0, records.findIndex((r) => r.dynamodb.SequenceNumber === outcome.failedSequence));
  if (firstFailed > 0) {
    checkpoint(lr, uuid, counters[firstFailed - 1]!);
    retryMap(lr).delete(uuid);
    return nextStreamTick(lr, uuid, 0);
  }
  retry.attempts++;
  const maxRetries = m.maximumRetryAttempts ?? -1;
  if (maxRetries >= 0 && retry.attempts > maxRetries) {
    giveUp(lr, caller, m, info, records, 'RetryAttemptsExhausted', retry.attempts, outcome.executedVersion);
    retryMap(lr).delete(uuid);
    checkpoint(lr, uuid, counters[counters.length - 1]!);
    return nextStreamTick(lr, uuid, 0);
  }
  if (m.bisectBatchOnFunctionError && records.length > 1) retry.limit = Math.ceil(records.length / 2);
  retryMap(lr).set(uuid, retry);
  nextStreamTick(lr, uuid, Math.min(RETRY_MS, 500 * retry.attempts));
}

interface Outcome {
  ok: boolean;
  /** With ReportBatchItemFailures: the first failed record's sequence number. */
  failedSequence?: string;
  executedVersion?: string;
}

async function invoke(lr: LambdaRuntime, caller: Caller, m: MappingRecord, records: StreamRecord[]): Promise<Outcome> {
  const scope = lr.scope(m.account, m.region);
  const fn = scope.functions.get(m.functionName);
  if (!fn) return { ok: false };
  const v = pickVersion(scope, caller, fn, m.qualifier);
  const payload = Buffer.from(JSON.stringify({ Records: records.map((r) => lambdaRecord(r, m.eventSourceArn)) }));
  try {
    const r = await execute(caller, fn, v, { requestId: caller.ids.uuid(), payload, invokedArn: functionArn(scope, fn.name, m.qualifier) });
    if (r.functionError) return { ok: false, executedVersion: v.version };
    if (!m.functionResponseTypes.includes('ReportBatchItemFailures')) return { ok: true };
    return itemFailures(r.payload, records, v.version);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return { ok: false };
  }
}

/** AWS's reading of a batchItemFailures response: an unknown or malformed identifier fails the whole batch. */
function itemFailures(payload: Buffer, records: StreamRecord[], executedVersion: string): Outcome {
  let response: unknown;
  try {
    response = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: true };
  }
  const failures = (response as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null || (Array.isArray(failures) && failures.length === 0)) return { ok: true };
  if (!Array.isArray(failures)) return { ok: false, executedVersion };
  const order = new Map(records.map((r, i) => [r.dynamodb.SequenceNumber, i]));
  let first = Infinity;
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const at = typeof id === 'string' ? order.get(id) : undefined;
    if (at === undefined) return { ok: false, executedVersion };
    first = Math.min(first, at);
  }
  return { ok: false, failedSequence: records[first]!.dynamodb.SequenceNumber, executedVersion };
}

/** A stream record as Lambda delivers it: epoch-second times, base64 binaries, lower-case userIdentity. */
function lambdaRecord(r: StreamRecord, streamArn: string): Record<string, unknown> {
  const { ApproximateCreationDateTime, ...rest } = r.dynamodb;
  const out: Record<string, unknown> = {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion,
    eventSource: r.eventSource,
    awsRegion: r.awsRegion,
    dynamodb: { ApproximateCreationDateTime: ApproximateCreationDateTime.getTime() / 1000, ...(binariesAsBase64(rest) as object) },
    eventSourceARN: streamArn,
  };
  if (r.userIdentity) out.userIdentity = { type: r.userIdentity.Type, principalId: r.userIdentity.PrincipalId };
  return out;
}

function binariesAsBase64(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(binariesAsBase64);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, binariesAsBase64(x)]));
  return v;
}

/** Sends the abandoned batch's description to the mapping's on-failure destination (SQS or SNS). */
function giveUp(lr: LambdaRuntime, caller: Caller, m: MappingRecord, info: StreamInfo, records: StreamRecord[], condition: string, attempts: number, executedVersion: string | undefined): void {
  if (!m.onFailure || records.length === 0) return;
  const scope = lr.scope(m.account, m.region);
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const body = {
    requestContext: { requestId: caller.ids.uuid(), functionArn: functionArn(scope, m.functionName, m.qualifier), condition, approximateInvokeCount: attempts },
    responseContext: { statusCode: 200, executedVersion: executedVersion ?? '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: new Date(lr.rt.clock.now()).toISOString(),
    DDBStreamBatchInfo: {
      shardId: info.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: first.dynamodb.ApproximateCreationDateTime.toISOString(),
      approximateArrivalOfLastRecord: last.dynamodb.ApproximateCreationDateTime.toISOString(),
      batchSize: records.length,
      streamArn: m.eventSourceArn,
    },
  };
  deliverTo(lr, caller, m.onFailure, { body: JSON.stringify(body) });
}
