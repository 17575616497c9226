/**
 * SQS event source mapping pollers, one per enabled mapping, on the engine's clock: receive up
 * to BatchSize messages (the queue's visibility timeout applies), invoke the function
 * synchronously, delete what succeeded. Failed messages become visible again and are retried;
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

/** How often an empty queue is polled again (engine clock). */
const IDLE_POLL_MS = 500;
/** Back-off when the queue, the function or the sqs service is not there. */
const RETRY_MS = 5_000;

type ReceiveMessages = (caller: { clock: Clock }, queueArn: string, max: number) => QueueMessage[];
type DeleteMessages = (caller: { clock: Clock }, queueArn: string, receiptHandles: string[]) => void;

/** Starts pollers for enabled SQS mappings that have none (init, and after any mapping change). */
export function syncPollers(lr: LambdaRuntime): void {
  for (const [uuid, m] of lr.state.table<MappingRecord>('mappings').entries()) {
    if (m.enabled && m.eventSourceArn.includes(':sqs:') && !lr.pollers.has(uuid)) {
      lr.pollers.add(uuid);
      next(lr, uuid, 0);
    }
  }
}

function next(lr: LambdaRuntime, uuid: string, delayMs: number): void {
  const timer = lr.scheduler.after(delayMs, () => {
    lr.timers.delete(timer);
    void tick(lr, uuid);
  });
  lr.timers.add(timer);
}

async function tick(lr: LambdaRuntime, uuid: string): Promise<void> {
  const m = lr.state.table<MappingRecord>('mappings').get(uuid);
  if (!m || !m.enabled) {
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
  let release: () => void;
  try {
    release = admit(caller, fn);
  } catch {
    return next(lr, uuid, IDLE_POLL_MS);
  }
  try {
    let messages: QueueMessage[];
    try {
      messages = receive(caller, m.eventSourceArn, m.batchSize);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      return next(lr, uuid, RETRY_MS);
    }
    if (messages.length === 0) return next(lr, uuid, IDLE_POLL_MS);
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
    const handles = handlesToDelete(messages, failed, response, m.functionResponseTypes.includes('ReportBatchItemFailures'));
    if (handles.length) {
      try {
        remove(caller, m.eventSourceArn, handles);
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
      }
    }
    next(lr, uuid, 0);
  } finally {
    release();
  }
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}
