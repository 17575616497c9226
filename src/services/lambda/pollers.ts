/**
 * SQS event source mapping pollers, one per enabled mapping, on the engine's clock: receive up
 * to BatchSize messages (the queue's visibility timeout applies), invoke the function
 * synchronously, delete what succeeded; with a batching window, received messages are held
 * until the batch is full or the window closes. Batches run concurrently, up to
 * ScalingConfig.MaximumConcurrency (AWS starts an SQS mapping at five concurrent batches; kumo
 * stays there when no maximum is set); a poller at its limit receives nothing until one ends. Failed messages become visible again and are retried;
 * the queue's redrive policy moves them to its dead-letter queue. Disabling or deleting the
 * mapping stops its poller at the next tick. Messages are read through the sqs service's
 * internal API (`receiveMessages`, `deleteMessages`).
 */
import type { Clock } from '../../state/types.ts';
import { AwsError } from '../../protocol/aws-error.ts';
import { admit, execute, type Caller } from './execution.ts';
import { pickVersion } from './invoke.ts';
import { functionArn } from './names.ts';
import type { MappingRecord } from './records.ts';
import { handlesToDelete, sqsEvent, type QueueMessage } from './sqs-batches.ts';
import type { LambdaRuntime } from './store.ts';
import { isStreamMapping, nextStreamTick } from './stream-pollers.ts';

/** How often an empty queue is polled again (engine clock). */
const IDLE_POLL_MS = 500;
/** Back-off when the queue, the function or the sqs service is not there. */
const RETRY_MS = 5_000;
/** One batch's payload limit (the synchronous invocation limit). */
const MAX_BATCH_BYTES = 6 * 1024 * 1024;

type ReceiveMessages = (caller: { clock: Clock }, queueArn: string, max: number) => QueueMessage[];
type DeleteMessages = (caller: { clock: Clock }, queueArn: string, receiptHandles: string[]) => string[];

/** Messages received and held (in flight) while a batching window is open. */
interface Gathering {
  messages: QueueMessage[];
  bytes: number;
  /** Engine time the window closes. */
  closes: number;
}

const gatherings = new WeakMap<LambdaRuntime, Map<string, Gathering>>();

/** Concurrent batches when the mapping sets no MaximumConcurrency. */
const DEFAULT_CONCURRENCY = 5;

/** Batches running per mapping, and whether its poller stopped ticking because it was at its limit. */
interface Running {
  batches: number;
  parked: boolean;
}

const runningBatches = new WeakMap<LambdaRuntime, Map<string, Running>>();

function runningOf(lr: LambdaRuntime, uuid: string): Running {
  let all = runningBatches.get(lr);
  if (!all) runningBatches.set(lr, (all = new Map()));
  let r = all.get(uuid);
  if (!r) all.set(uuid, (r = { batches: 0, parked: false }));
  return r;
}

/** Starts pollers for enabled mappings that have none (init, and after any mapping change). */
export function syncPollers(lr: LambdaRuntime): void {
  for (const [uuid, m] of lr.state.table<MappingRecord>('mappings').entries()) {
    if (!m.enabled || lr.pollers.has(uuid)) continue;
    if (m.eventSourceArn.includes(':sqs:')) {
      lr.pollers.add(uuid);
      next(lr, uuid, 0);
    } else if (isStreamMapping(m)) {
      lr.pollers.add(uuid);
      nextStreamTick(lr, uuid, 0);
    }
  }
}

function next(lr: LambdaRuntime, uuid: string, delayMs: number): void {
  const timer = lr.scheduler.after(delayMs, () => {
    lr.timers.delete(timer);
    // Once kumo stopped (or reset) under a running batch, failures touching the closed state are expected.
    tick(lr, uuid).catch((err: unknown) => {
      if (lr.pollers.has(uuid)) throw err;
    });
  });
  lr.timers.add(timer);
}

function gatheringOf(lr: LambdaRuntime): Map<string, Gathering> {
  let g = gatherings.get(lr);
  if (!g) gatherings.set(lr, (g = new Map()));
  return g;
}

async function tick(lr: LambdaRuntime, uuid: string): Promise<void> {
  const open = gatheringOf(lr);
  const m = lr.state.table<MappingRecord>('mappings').get(uuid);
  if (!m || !m.enabled) {
    // Held messages are left in flight: their visibility timeout returns them to the queue.
    open.delete(uuid);
    lr.pollers.delete(uuid);
    return;
  }
  const sqs = lr.rt.services.sqs;
  const receive = sqs?.receiveMessages as ReceiveMessages | undefined;
  const remove = sqs?.deleteMessages as DeleteMessages | undefined;
  const scope = lr.scope(m.account, m.region);
  const fn = scope.functions.get(m.functionName);
  if (!receive || !remove || !fn) return next(lr, uuid, RETRY_MS);
  const caller: Caller = { account: m.account, region: m.region, clock: lr.rt.clock, ids: lr.rt.ids };
  const running = runningOf(lr, uuid);
  if (running.batches >= (m.maximumConcurrency ?? DEFAULT_CONCURRENCY)) {
    running.parked = true;
    return;
  }
  const now = lr.rt.clock.now();
  let g = open.get(uuid);
  if (!g || g.messages.length < m.batchSize) {
    let got: QueueMessage[];
    try {
      got = receive(caller, m.eventSourceArn, m.batchSize - (g?.messages.length ?? 0));
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      return next(lr, uuid, RETRY_MS);
    }
    if (got.length) {
      g ??= { messages: [], bytes: 0, closes: now + m.maximumBatchingWindowInSeconds * 1000 };
      for (const msg of got) {
        g.messages.push(msg);
        g.bytes += Buffer.byteLength(msg.Body) + 1024;
      }
      open.set(uuid, g);
    }
  }
  if (!g) return next(lr, uuid, IDLE_POLL_MS);
  // The window stays open until the batch is full, its payload near the limit, or time is up.
  if (g.messages.length < m.batchSize && g.bytes < MAX_BATCH_BYTES && now < g.closes) {
    return next(lr, uuid, Math.min(IDLE_POLL_MS, g.closes - now));
  }
  open.delete(uuid);
  let release: () => void;
  try {
    release = admit(caller, fn);
  } catch {
    open.set(uuid, g);
    return next(lr, uuid, IDLE_POLL_MS);
  }
  running.batches++;
  const batch = g.messages;
  void deliver(lr, caller, m, batch, remove).finally(() => {
    release();
    running.batches--;
    if (running.parked && lr.pollers.has(uuid)) {
      running.parked = false;
      next(lr, uuid, 0);
    }
  }).catch((err: unknown) => {
    if (lr.pollers.has(uuid)) throw err;
  });
  next(lr, uuid, 0);
}

/** Invokes the function with one batch and deletes what it handled. */
async function deliver(lr: LambdaRuntime, caller: Caller, m: MappingRecord, messages: QueueMessage[], remove: DeleteMessages): Promise<void> {
  const scope = lr.scope(m.account, m.region);
  const fn = scope.functions.get(m.functionName);
  if (!fn) return;
  const v = pickVersion(scope, caller, fn, m.qualifier);
  const payload = Buffer.from(JSON.stringify(sqsEvent(messages, m.eventSourceArn, m.region)));
  let failed = true;
  let response: unknown;
  try {
    const r = await execute(caller, fn, v, { requestId: caller.ids.uuid(), payload, invokedArn: functionArn(scope, fn.name, m.qualifier) });
    failed = Boolean(r.functionError);
    response = parseJson(r.payload);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
  }
  // kumo stopped (or its state was reset) while the function ran: the state is no longer ours.
  if (!lr.pollers.has(m.uuid)) return;
  const handles = handlesToDelete(messages, failed, response, m.functionResponseTypes.includes('ReportBatchItemFailures'));
  if (!handles.length) return;
  try {
    remove(caller, m.eventSourceArn, handles);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
  }
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}
