/**
 * Export tasks: CreateExportTask checks the bucket by writing `aws-logs-write-test` there (as
 * AWS does), then the task runs on the engine clock: PENDING, RUNNING a second later, then each
 * log stream's events in the range are written as `<prefix>/<taskId>/<stream>/000000.gz` (gzip
 * of `<ISO timestamp> <message>` lines) through S3's internal API, and the task COMPLETES — or
 * FAILS when the bucket went away meanwhile. Unfinished tasks resume after a restart.
 */
import { gzipSync } from 'node:zlib';
import type { CancelExportTaskRequest, CreateExportTaskRequest, DescribeExportTasksRequest, ExportTask } from '../../generated/logs.ts';
import { AwsError, type RequestContext, type ServiceRuntime } from '../framework/define.ts';
import type { Clock, TimerHandle } from '../../state/types.ts';
import { invalidParameter, limitExceeded, notFound } from './errors.ts';
import { groupOf } from './groups.ts';
import { page } from './names.ts';
import { EXPORTS, eventPosition, type EventRecord, type ExportRecord } from './records.ts';
import { scopeOf, storeFor, type Scope } from './store.ts';

/** How long a task stays PENDING before it runs (AWS takes seconds too). */
const START_DELAY_MS = 1000;
const DEFAULT_PREFIX = 'exportedlogs';
const WRITE_TEST_KEY = 'aws-logs-write-test';
const WRITE_TEST_BODY = 'Permission Check Successful';

interface S3Writer {
  writeObject(caller: { account: string; region: string }, bucket: string, key: string, body: Buffer, opts?: { contentType?: string; contentEncoding?: string }): Promise<unknown>;
}

interface Runner {
  rt: Pick<ServiceRuntime, 'clock' | 'scheduler' | 'services'>;
  timers: Map<string, TimerHandle>;
  closed: boolean;
}

const runners = new WeakMap<Clock, Runner>();

function s3Of(services: ServiceRuntime['services']): S3Writer | undefined {
  const s3 = services.s3 as Partial<S3Writer> | undefined;
  return s3?.writeObject ? (s3 as S3Writer) : undefined;
}

const bucketMissing = () => invalidParameter('The given bucket does not exist. Please make sure the bucket is valid.');

function status(code: string, message: string): Pick<ExportRecord, 'status' | 'message'> {
  return { status: code, message };
}

function describeExport(e: ExportRecord): ExportTask {
  const out: ExportTask = {
    taskId: e.id, logGroupName: e.group, from: e.from, to: e.to, destination: e.destination, destinationPrefix: e.destinationPrefix,
    status: { code: e.status as NonNullable<ExportTask['status']>['code'], ...(e.message ? { message: e.message } : {}) },
    executionInfo: { creationTime: e.created, ...(e.completed !== undefined ? { completionTime: e.completed } : {}) },
  };
  if (e.name !== undefined) out.taskName = e.name;
  return out;
}

/** One active (PENDING or RUNNING) task per account and region. */
function checkNoneActive(scope: Scope): void {
  for (const [, e] of scope.exports.entries()) {
    if (e.status === 'PENDING' || e.status === 'RUNNING') throw limitExceeded('Resource limit exceeded.');
  }
}

export async function CreateExportTask(input: CreateExportTaskRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  groupOf(scope, input.logGroupName);
  if (input.from > input.to) throw invalidParameter('The value of parameter "from" must be less than or equal to the value of parameter "to".');
  checkNoneActive(scope);
  const s3 = s3Of(ctx.services);
  if (!s3) throw bucketMissing();
  const prefix = input.destinationPrefix || DEFAULT_PREFIX;
  try {
    await s3.writeObject(ctx, input.destination, `${prefix}/${WRITE_TEST_KEY}`, Buffer.from(WRITE_TEST_BODY));
  } catch (err) {
    if (err instanceof AwsError && err.code === 'NoSuchBucket') throw bucketMissing();
    throw err;
  }
  // Another task may have been created while the write test ran.
  checkNoneActive(scope);
  const rec: ExportRecord = {
    id: ctx.ids.uuid(), group: input.logGroupName, from: input.from, to: input.to, destination: input.destination,
    destinationPrefix: prefix, ...status('PENDING', 'Pending'), created: ctx.clock.now(),
  };
  if (input.taskName !== undefined) rec.name = input.taskName;
  if (input.logStreamNamePrefix !== undefined) rec.streamPrefix = input.logStreamNamePrefix;
  scope.exports.put(rec.id, rec);
  const runner = runners.get(ctx.clock);
  if (runner) arm(runner, scope, rec.id, rec.created + START_DELAY_MS);
  return { taskId: rec.id };
}

export function DescribeExportTasks(input: DescribeExportTasksRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const all = [...scope.exports.entries()].map(([, e]) => e)
    .filter((e) => (input.taskId === undefined || e.id === input.taskId) && (input.statusCode === undefined || e.status === input.statusCode))
    .sort((a, b) => b.created - a.created)
    .map(describeExport);
  const p = page(all, input.limit, 50, input.nextToken);
  return p.nextToken ? { exportTasks: p.items, nextToken: p.nextToken } : { exportTasks: p.items };
}

export function CancelExportTask(input: CancelExportTaskRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const e = scope.exports.get(input.taskId);
  if (!e) throw notFound('The specified export task does not exist.');
  if (e.status !== 'PENDING' && e.status !== 'RUNNING') throw new AwsError('InvalidOperationException', 'The specified export task has already finished');
  scope.exports.put(e.id, { ...e, ...status('CANCELLED', 'Cancelled by user'), completed: ctx.clock.now() });
  const runner = runners.get(ctx.clock);
  runner?.timers.get(timerId(scope, e.id))?.cancel();
  runner?.timers.delete(timerId(scope, e.id));
  return {};
}

function timerId(scope: Scope, id: string): string {
  return `${scope.account}/${scope.region}/${id}`;
}

function arm(runner: Runner, scope: Scope, id: string, at: number): void {
  const key = timerId(scope, id);
  runner.timers.get(key)?.cancel();
  runner.timers.set(key, runner.rt.scheduler.at(Math.max(at, runner.rt.clock.now()), () => {
    runner.timers.delete(key);
    void run(runner, scope, id);
  }));
}

/** Each stream's lines in the task's range, streams in name order, events in time order. */
function exportedLines(scope: Scope, task: ExportRecord): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const head = `${task.group}:${task.streamPrefix ?? ''}`;
  for (const [key, e] of scope.events.entries({ prefix: head }) as Iterable<[string, EventRecord]>) {
    const { ts } = eventPosition(key);
    if (ts < task.from || ts > task.to) continue;
    const stream = key.slice(task.group.length + 1).split(':')[0]!;
    let lines = out.get(stream);
    if (!lines) out.set(stream, (lines = []));
    lines.push(`${new Date(ts).toISOString()} ${e.m}`);
  }
  return out;
}

async function run(runner: Runner, scope: Scope, id: string): Promise<void> {
  const task = scope.exports.get(id);
  // RUNNING: the task was interrupted by a restart and starts over.
  if (!task || (task.status !== 'PENDING' && task.status !== 'RUNNING')) return;
  scope.exports.put(id, { ...task, ...status('RUNNING', 'Started Successfully') });
  const s3 = s3Of(runner.rt.services);
  let failure: string | undefined;
  try {
    if (!s3) throw bucketMissing();
    for (const [stream, lines] of exportedLines(scope, task)) {
      if (runner.closed || scope.exports.get(id)?.status !== 'RUNNING') return;
      // A stream's folder is one level: slashes in its name (Lambda's `2024/01/02/[$LATEST]...`) become dashes.
      const key = `${task.destinationPrefix}/${task.id}/${stream.replace(/\//g, '-')}/000000.gz`;
      await s3.writeObject(scope, task.destination, key, gzipSync(`${lines.join('\n')}\n`));
    }
  } catch (err) {
    failure = err instanceof AwsError && err.code === 'NoSuchBucket' ? bucketMissing().message : (err as Error).message;
  }
  const now = scope.exports.get(id);
  if (runner.closed || now?.status !== 'RUNNING') return;
  const done = failure === undefined ? status('COMPLETED', 'Completed successfully') : status('FAILED', failure);
  scope.exports.put(id, { ...now, ...done, completed: runner.rt.clock.now() });
}

/** Re-arms unfinished tasks (start, reset, snapshot load). */
export function resumeExports(rt: ServiceRuntime): void {
  stopExports(rt);
  const runner: Runner = { rt, timers: new Map(), closed: false };
  runners.set(rt.clock, runner);
  const store = storeFor(rt);
  for (const [key, e] of rt.state.table<ExportRecord>(EXPORTS).entries()) {
    if (e.status !== 'PENDING' && e.status !== 'RUNNING') continue;
    const [account, region] = key.split('/', 2) as [string, string];
    arm(runner, store.scope(account, region), e.id, e.created + START_DELAY_MS);
  }
}

export function stopExports(rt: { clock: Clock }): void {
  const runner = runners.get(rt.clock);
  if (!runner) return;
  runner.closed = true;
  for (const t of runner.timers.values()) t.cancel();
  runner.timers.clear();
}
