/**
 * Asynchronous invocation (InvocationType Event): events wait in a persisted queue and run on
 * the engine's clock with AWS's policy: up to 2 retries (1 then 2 minutes apart), a maximum
 * event age (6 hours unless configured), then the on-failure destination or the dead-letter
 * queue; successes go to the on-success destination. Destinations reach SQS queues, SNS topics,
 * EventBridge buses (destinations.ts) and other functions.
 */
import { AwsError } from '../../protocol/aws-error.ts';
import type { ServiceRuntime } from '../framework/define.ts';
import { deliverTo, destinationKind } from './destinations.ts';
import { admit, execute, type Caller } from './execution.ts';
import { functionArn, parseFunctionName } from './names.ts';
import type { FunctionRecord } from './records.ts';
import { runtimeOf, type LambdaRuntime } from './store.ts';
import { pickVersion } from './invoke.ts';

export interface QueuedEvent {
  account: string;
  region: string;
  functionName: string;
  qualifier?: string;
  payload: Buffer;
  requestId: string;
  received: number;
  /** Attempts made so far. */
  attempts: number;
  due: number;
}

const EVENTS = 'events';
const DEFAULT_RETRIES = 2;
const DEFAULT_MAX_AGE_S = 6 * 3600;
const RETRY_DELAYS = [60_000, 120_000];
/** A throttled event is tried again after this long (AWS keeps trying until the event's maximum age). */
const THROTTLE_DELAY = 60_000;

interface Enqueue {
  functionName: string;
  qualifier: string | undefined;
  payload: Buffer;
  requestId: string;
}

export function enqueueEvent(caller: Caller & { state: ServiceRuntime['state'] }, e: Enqueue): void {
  const lr = runtimeOf(caller);
  const now = caller.clock.now();
  const ev: QueuedEvent = { account: caller.account, region: caller.region, ...e, received: now, attempts: 0, due: now };
  if (ev.qualifier === undefined) delete ev.qualifier;
  lr.state.table<QueuedEvent>(EVENTS).put(e.requestId, ev);
  schedule(lr, ev);
}

/** `GET /kumo/lambda/events`: asynchronous invocations waiting for their next attempt. */
export function inspectEvents(_query: URLSearchParams, rt: ServiceRuntime): unknown {
  return [...rt.state.table<QueuedEvent>(EVENTS).entries()].map(([, e]) => ({
    requestId: e.requestId, account: e.account, region: e.region, functionName: e.functionName, qualifier: e.qualifier,
    attempts: e.attempts, received: new Date(e.received).toISOString(), due: new Date(e.due).toISOString(),
  }));
}

/** Re-arms every queued event (start, reset, snapshot load). */
export function resumeEvents(lr: LambdaRuntime): void {
  for (const [, ev] of lr.state.table<QueuedEvent>(EVENTS).entries()) schedule(lr, ev);
}

function schedule(lr: LambdaRuntime, ev: QueuedEvent): void {
  const timer = lr.scheduler.at(ev.due, () => {
    lr.timers.delete(timer);
    void run(lr, ev.requestId);
  });
  lr.timers.add(timer);
}

interface Outcome {
  ok: boolean;
  payload?: unknown;
  functionError?: string;
  executedVersion?: string;
  condition?: string;
}

async function run(lr: LambdaRuntime, id: string): Promise<void> {
  const table = lr.state.table<QueuedEvent>(EVENTS);
  const ev = table.get(id);
  if (!ev) return;
  const scope = lr.scope(ev.account, ev.region);
  const caller: Caller = { account: ev.account, region: ev.region, clock: lr.rt.clock, ids: lr.rt.ids };
  const fn = scope.functions.get(ev.functionName);
  if (!fn) {
    table.delete(id);
    return;
  }
  const cfg = scope.invokeConfigs.get(`${fn.name}/${ev.qualifier ?? '$LATEST'}`);
  const maxRetries = cfg?.maximumRetryAttempts ?? DEFAULT_RETRIES;
  const maxAge = (cfg?.maximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
  const now = lr.rt.clock.now();
  if (now - ev.received > maxAge) {
    table.delete(id);
    return deliverFailure(lr, caller, fn, ev, { ok: false, condition: 'EventAgeExceeded' }, cfg?.destinations.onFailure);
  }
  let outcome: Outcome;
  let release: () => void;
  try {
    release = admit(caller, fn);
  } catch {
    return requeue(lr, { ...ev, due: now + THROTTLE_DELAY });
  }
  try {
    const v = pickVersion(scope, caller, fn, ev.qualifier);
    const r = await execute(caller, fn, v, { requestId: ev.requestId, payload: ev.payload, invokedArn: functionArn(scope, fn.name, ev.qualifier) });
    outcome = { ok: !r.functionError, payload: parse(r.payload), executedVersion: v.version };
    if (r.functionError) outcome.functionError = r.functionError;
  } catch (err) {
    outcome = { ok: false, payload: { errorMessage: err instanceof Error ? err.message : String(err), errorType: err instanceof AwsError ? err.code : 'ServiceException' }, functionError: 'Unhandled' };
  } finally {
    release();
  }
  const attempts = ev.attempts + 1;
  if (!table.has(id)) return;
  if (outcome.ok) {
    table.delete(id);
    return deliver(lr, caller, fn, { ...ev, attempts }, { ...outcome, condition: 'Success' }, cfg?.destinations.onSuccess);
  }
  if (attempts <= maxRetries) {
    const due = lr.rt.clock.now() + RETRY_DELAYS[Math.min(attempts - 1, RETRY_DELAYS.length - 1)]!;
    if (due - ev.received <= maxAge) return requeue(lr, { ...ev, attempts, due });
  }
  table.delete(id);
  deliverFailure(lr, caller, fn, { ...ev, attempts }, { ...outcome, condition: 'RetriesExhausted' }, cfg?.destinations.onFailure);
}

function requeue(lr: LambdaRuntime, ev: QueuedEvent): void {
  lr.state.table<QueuedEvent>(EVENTS).put(ev.requestId, ev);
  schedule(lr, ev);
}

function parse(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return payload.toString('utf8');
  }
}

/** The record AWS sends to invocation destinations. */
function record(caller: Caller, fn: FunctionRecord, ev: QueuedEvent, o: Outcome): string {
  const responseContext: Record<string, unknown> = { statusCode: 200, executedVersion: o.executedVersion ?? '$LATEST' };
  if (o.functionError) responseContext.functionError = o.functionError;
  const body: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(caller.clock.now()).toISOString(),
    requestContext: {
      requestId: ev.requestId,
      functionArn: functionArn(caller, fn.name, ev.qualifier ?? '$LATEST'),
      condition: o.condition,
      approximateInvokeCount: ev.attempts,
    },
    requestPayload: parse(ev.payload),
    responseContext,
  };
  if (o.payload !== undefined) body.responsePayload = o.payload;
  return JSON.stringify(body);
}

function deliverFailure(lr: LambdaRuntime, caller: Caller, fn: FunctionRecord, ev: QueuedEvent, o: Outcome, destination: string | undefined): void {
  if (destination) return deliver(lr, caller, fn, ev, o, destination);
  const dlq = fn.latest.deadLetterArn;
  if (!dlq) return;
  const error = o.payload as { errorMessage?: string } | undefined;
  deliverTo(lr, caller, dlq, {
    body: ev.payload.toString('utf8'),
    attributes: {
      RequestID: { DataType: 'String', StringValue: ev.requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: String(error?.errorMessage ?? o.condition ?? 'Unhandled') },
    },
  });
}

function deliver(lr: LambdaRuntime, caller: Caller, fn: FunctionRecord, ev: QueuedEvent, o: Outcome, destination: string | undefined): void {
  if (!destination) return;
  const body = record(caller, fn, ev, o);
  if (destinationKind(destination) === 'lambda') {
    const ref = parseFunctionName(caller, destination);
    if (!ref || !lr.scope(caller.account, caller.region).functions.has(ref.name)) return;
    enqueueEvent({ ...caller, state: lr.state }, { functionName: ref.name, qualifier: ref.qualifier, payload: Buffer.from(body), requestId: caller.ids.uuid() });
    return;
  }
  const bus = /^arn:aws[a-zA-Z-]*:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(destination);
  deliverTo(lr, caller, destination, {
    body,
    detailType: `Lambda Function Invocation Result - ${o.condition === 'Success' ? 'Success' : 'Failure'}`,
    resources: bus ? [destination, functionArn(caller, fn.name, ev.qualifier ?? '$LATEST')] : [],
  });
}
