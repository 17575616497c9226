import type { RequestContext } from '../framework/define.ts';
import type {
  CancelMessageMoveTaskRequest, CancelMessageMoveTaskResult, ListMessageMoveTasksRequest, ListMessageMoveTasksResult,
  ListMessageMoveTasksResultEntry, StartMessageMoveTaskRequest, StartMessageMoveTaskResult,
} from '../../generated/sqs.ts';
import { parseRedrivePolicy } from './attributes.ts';
import { invalidParameterValue, resourceNotFound } from './errors.ts';
import type { QueueRuntime } from './queue.ts';
import { seqKey, type MessageRecord, type TaskRecord } from './records.ts';
import { moveInto } from './redrive.ts';
import { storeFor, type SqsStore } from './store.ts';
import { parseQueueArn } from './urls.ts';
import { intParam, requireString } from './validation.ts';

/** Message move tasks (dead-letter queue redrive): messages go back to their source queues or to a destination. */

const STEP_MS = 1000;
const NON_EXISTENT = 'AWS.SimpleQueueService.NonExistentQueue';

function queueByArn(store: SqsStore, arn: string | undefined): QueueRuntime | undefined {
  const ref = arn === undefined ? undefined : parseQueueArn(arn);
  return ref && store.find(ref);
}

function sourceNotFound() {
  return resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
}

function taskHandle(t: TaskRecord): string {
  return Buffer.from(JSON.stringify({ taskId: t.id, sourceArn: t.source }), 'utf8').toString('base64');
}

/** The next message a task may move: a visible one (FIFO: a visible group head). */
function nextVisible(q: QueueRuntime): { seq: number; r: MessageRecord } | undefined {
  if (!q.fifo) {
    while (q.ready.length > 0) {
      const seq = q.ready.get(0, 0);
      const gen = q.ready.get(0, 1);
      q.ready.shift();
      const r = q.get(seq);
      if (r && r.gen === gen) return { seq, r };
    }
    return undefined;
  }
  while (q.available.length > 0) {
    const id = q.available.shift()!;
    const g = q.group(id);
    if (!g) continue;
    g.queued = false;
    const seq = g.seqs.get(0);
    const r = q.get(seq);
    if (r && r.vis <= q.processed) return { seq, r };
    q.refreshGroup(id);
  }
  return undefined;
}

/** Moves what the task's rate allows now, then finishes or schedules the next step. */
function step(store: SqsStore, key: string): void {
  store.taskTimers.delete(key);
  let t = store.tables.tasks.get(key);
  if (!t || t.status !== 'RUNNING') return;
  const src = queueByArn(store, t.source);
  const finish = (changes: Partial<TaskRecord>) => store.tables.tasks.put(key, { ...t!, ...changes });
  if (!src) return finish({ status: 'FAILED', failure: NON_EXISTENT });
  const now = src.tick();
  let budget = t.rate ?? Infinity;
  let moved = t.moved;
  while (budget > 0 && moved < t.toMove) {
    const next = nextVisible(src);
    if (!next) break;
    const dest = queueByArn(store, t.dest ?? next.r.src);
    if (!dest) {
      if (src.fifo) src.refreshGroup(next.r.group!);
      else src.ready.push(next.seq, next.r.gen);
      return finish({ status: 'FAILED', failure: NON_EXISTENT, moved });
    }
    src.remove(next.seq, next.r);
    moveInto(dest, next.r, now, { fresh: true });
    moved++;
    budget--;
  }
  const remaining = src.visible + src.inflight + src.delayed;
  if (moved >= t.toMove || remaining === 0) return finish({ status: 'COMPLETED', moved });
  t = { ...t, moved };
  store.tables.tasks.put(key, t);
  store.taskTimers.set(key, store.scheduler.after(STEP_MS, () => step(store, key)));
}

/** Continues tasks that were running when state was saved. */
export function resumeTasks(store: SqsStore): void {
  for (const [key, t] of store.tables.tasks.entries()) {
    if (t.status === 'RUNNING') store.taskTimers.set(key, store.scheduler.after(0, () => step(store, key)));
  }
}

export function StartMessageMoveTask(input: StartMessageMoveTaskRequest, ctx: RequestContext): StartMessageMoveTaskResult {
  const store = storeFor(ctx);
  const sourceArn = requireString(input.SourceArn, 'SourceArn');
  const src = queueByArn(store, sourceArn);
  if (!src) throw sourceNotFound();
  if (input.DestinationArn !== undefined && !queueByArn(store, input.DestinationArn)) {
    throw resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.");
  }
  const rate = intParam(input.MaxNumberOfMessagesPerSecond, 'MaxNumberOfMessagesPerSecond', 1, 500, 'Must be between 1 and 500, if provided.');
  const isDeadLetterQueue = [...store.queues.values()].some((q) => parseRedrivePolicy(q.attr('RedrivePolicy'))?.deadLetterTargetArn === src.arn);
  if (!isDeadLetterQueue) throw invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
  for (const [, t] of store.tables.tasks.entries({ prefix: src.prefix })) {
    if (t.status === 'RUNNING') {
      throw invalidParameterValue('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
    }
  }
  const now = src.tick();
  const task: TaskRecord = {
    id: store.ids.uuid(),
    source: sourceArn,
    dest: input.DestinationArn,
    rate,
    started: now,
    status: 'RUNNING',
    moved: 0,
    toMove: src.visible + src.inflight + src.delayed,
  };
  const key = `${src.prefix}${seqKey(now)}/${task.id}`;
  store.tables.tasks.put(key, task);
  step(store, key);
  return { TaskHandle: taskHandle(task) };
}

export function CancelMessageMoveTask(input: CancelMessageMoveTaskRequest, ctx: RequestContext): CancelMessageMoveTaskResult {
  const store = storeFor(ctx);
  let parsed: { taskId?: unknown; sourceArn?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(requireString(input.TaskHandle, 'TaskHandle'), 'base64').toString('utf8')) as typeof parsed;
  } catch {
    throw invalidParameterValue('Value for parameter TaskHandle is invalid.');
  }
  if (typeof parsed?.taskId !== 'string' || typeof parsed.sourceArn !== 'string') throw invalidParameterValue('Value for parameter TaskHandle is invalid.');
  const src = queueByArn(store, parsed.sourceArn);
  if (!src) throw sourceNotFound();
  for (const [key, t] of store.tables.tasks.entries({ prefix: src.prefix })) {
    if (t.id !== parsed.taskId) continue;
    if (t.status !== 'RUNNING') break;
    store.taskTimers.get(key)?.cancel();
    store.taskTimers.delete(key);
    store.tables.tasks.put(key, { ...t, status: 'CANCELLED' });
    return { ApproximateNumberOfMessagesMoved: t.moved };
  }
  throw resourceNotFound('Task does not exist.');
}

export function ListMessageMoveTasks(input: ListMessageMoveTasksRequest, ctx: RequestContext): ListMessageMoveTasksResult {
  const store = storeFor(ctx);
  const src = queueByArn(store, requireString(input.SourceArn, 'SourceArn'));
  if (!src) throw sourceNotFound();
  const max = intParam(input.MaxResults, 'MaxResults', 1, 10, 'Must be between 1 and 10, if provided.') ?? 1;
  const Results: ListMessageMoveTasksResultEntry[] = [];
  for (const [, t] of store.tables.tasks.entries({ prefix: src.prefix, reverse: true })) {
    if (Results.length === max) break;
    Results.push({
      TaskHandle: t.status === 'RUNNING' ? taskHandle(t) : undefined,
      Status: t.status,
      SourceArn: t.source,
      DestinationArn: t.dest,
      MaxNumberOfMessagesPerSecond: t.rate,
      ApproximateNumberOfMessagesMoved: t.moved,
      ApproximateNumberOfMessagesToMove: t.toMove,
      FailureReason: t.failure,
      StartedTimestamp: t.started,
    });
  }
  return { Results };
}
