/** Archives keep matching events of a bus; a replay sends an archived time range back through a bus's rules. */
import type {
  CancelReplayRequest, CreateArchiveRequest, DeleteArchiveRequest, DescribeArchiveRequest, DescribeReplayRequest, ListArchivesRequest,
  ListReplaysRequest, StartReplayRequest, UpdateArchiveRequest,
} from '../../generated/events.ts';
import type { RequestContext } from '../framework/define.ts';
import { resolveBus } from './buses.ts';
import { ingest } from './dispatch.ts';
import { alreadyExists, illegalStatus, notFound, validation } from './errors.ts';
import { compiled } from './patterns.ts';
import { storeFor, type ArchiveRecord, type ReplayRecord } from './store.ts';

const archiveArn = (ctx: RequestContext, name: string) => `arn:aws:events:${ctx.region}:${ctx.account}:archive/${name}`;
const replayArn = (ctx: RequestContext, name: string) => `arn:aws:events:${ctx.region}:${ctx.account}:replay/${name}`;

function getArchive(ctx: RequestContext, name: string): ArchiveRecord {
  const a = storeFor(ctx).archives.get(archiveArn(ctx, name));
  if (!a) throw notFound(`Archive ${name} does not exist.`);
  return a;
}

function describeArchive(a: ArchiveRecord) {
  return {
    ArchiveArn: a.arn, ArchiveName: a.name, EventSourceArn: a.sourceArn, State: 'ENABLED', RetentionDays: a.retentionDays,
    EventCount: a.eventCount, SizeBytes: a.sizeBytes, CreationTime: new Date(a.created),
    ...(a.eventPattern ? { EventPattern: a.eventPattern } : {}), ...(a.description !== undefined ? { Description: a.description } : {}),
  };
}

export function CreateArchive(input: CreateArchiveRequest, ctx: RequestContext) {
  const store = storeFor(ctx);
  const arn = archiveArn(ctx, input.ArchiveName);
  if (store.archives.has(arn)) throw alreadyExists(`Archive ${input.ArchiveName} already exists.`);
  resolveBus(ctx, input.EventSourceArn);
  if (input.EventPattern) compiled(input.EventPattern);
  store.archives.put(arn, {
    arn, name: input.ArchiveName, account: ctx.account, region: ctx.region, created: ctx.clock.now(), sourceArn: resolveBus(ctx, input.EventSourceArn).arn,
    retentionDays: input.RetentionDays ?? 0, eventCount: 0, sizeBytes: 0,
    ...(input.EventPattern ? { eventPattern: input.EventPattern } : {}), ...(input.Description !== undefined ? { description: input.Description } : {}),
  });
  return { ArchiveArn: arn, State: 'ENABLED', CreationTime: new Date(ctx.clock.now()) };
}

export function UpdateArchive(input: UpdateArchiveRequest, ctx: RequestContext) {
  const a = getArchive(ctx, input.ArchiveName);
  if (input.EventPattern) compiled(input.EventPattern);
  storeFor(ctx).archives.put(a.arn, {
    ...a, ...(input.EventPattern ? { eventPattern: input.EventPattern } : {}), ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.RetentionDays !== undefined ? { retentionDays: input.RetentionDays } : {}),
  });
  return { ArchiveArn: a.arn, State: 'ENABLED', CreationTime: new Date(a.created) };
}

export function DescribeArchive(input: DescribeArchiveRequest, ctx: RequestContext) {
  return describeArchive(getArchive(ctx, input.ArchiveName));
}

export function DeleteArchive(input: DeleteArchiveRequest, ctx: RequestContext) {
  const a = getArchive(ctx, input.ArchiveName);
  const store = storeFor(ctx);
  for (const k of [...store.archived.keys({ prefix: `${a.arn}|` })]) store.archived.delete(k);
  store.archives.delete(a.arn);
  return {};
}

export function ListArchives(input: ListArchivesRequest, ctx: RequestContext) {
  const all = [...storeFor(ctx).archives.entries({ prefix: archiveArn(ctx, '') })].map(([, a]) => a)
    .filter((a) => (!input.NamePrefix || a.name.startsWith(input.NamePrefix)) && (!input.EventSourceArn || a.sourceArn === input.EventSourceArn));
  return { Archives: all.map(describeArchive) };
}

function describeReplay(r: ReplayRecord) {
  return {
    ReplayName: r.name, ReplayArn: r.arn, EventSourceArn: r.sourceArn, Destination: r.destination, State: r.state,
    EventStartTime: new Date(r.start), EventEndTime: new Date(r.end), ReplayStartTime: new Date(r.replayStart),
    ...(r.replayEnd !== undefined ? { ReplayEndTime: new Date(r.replayEnd) } : {}),
    ...(r.lastReplayed !== undefined ? { EventLastReplayedTime: new Date(r.lastReplayed) } : {}),
    ...(r.description !== undefined ? { Description: r.description } : {}),
  };
}

export function StartReplay(input: StartReplayRequest, ctx: RequestContext) {
  const store = storeFor(ctx);
  const arn = replayArn(ctx, input.ReplayName);
  if (store.replays.has(arn)) throw alreadyExists(`Replay ${input.ReplayName} already exists.`);
  const archive = [...store.archives.entries()].map(([, a]) => a).find((a) => a.arn === input.EventSourceArn);
  if (!archive) throw validation(`Parameter EventSourceArn is not valid. Reason: Archive ${input.EventSourceArn} does not exist.`);
  const start = new Date(input.EventStartTime).getTime();
  const end = new Date(input.EventEndTime).getTime();
  if (start >= end) throw validation('Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.');
  if (end > ctx.clock.now()) throw validation('Parameter EventEndTime is not valid. Reason: EventEndTime must be in the past.');
  const bus = resolveBus(ctx, input.Destination.Arn);
  if (bus.arn !== archive.sourceArn) throw validation('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
  const now = ctx.clock.now();
  const replay: ReplayRecord = {
    arn, name: input.ReplayName, account: ctx.account, region: ctx.region, sourceArn: archive.arn, destination: input.Destination,
    start, end, state: 'STARTING', replayStart: now, ...(input.Description !== undefined ? { description: input.Description } : {}),
  };
  store.replays.put(arn, replay);
  // Replays run after the request, on the engine clock, like every other delivery.
  ctx.scheduler.after(0, () => {
    const current = store.replays.get(arn);
    if (!current || current.state !== 'STARTING') return;
    let last: number | undefined;
    for (const [, e] of store.archived.entries({ prefix: `${archive.arn}|` })) {
      const t = Date.parse(String(e.event.time));
      if (t < start || t >= end) continue;
      ingest(store, bus, e.event as never, { name: input.ReplayName, filterArns: input.Destination.FilterArns });
      last = t;
    }
    store.replays.put(arn, { ...current, state: 'COMPLETED', replayEnd: store.rt.clock.now(), ...(last !== undefined ? { lastReplayed: last } : {}) });
  });
  return { ReplayArn: arn, State: 'STARTING', ReplayStartTime: new Date(now) };
}

export function DescribeReplay(input: DescribeReplayRequest, ctx: RequestContext) {
  const r = storeFor(ctx).replays.get(replayArn(ctx, input.ReplayName));
  if (!r) throw notFound(`Replay ${input.ReplayName} does not exist.`);
  return describeReplay(r);
}

export function CancelReplay(input: CancelReplayRequest, ctx: RequestContext) {
  const store = storeFor(ctx);
  const r = store.replays.get(replayArn(ctx, input.ReplayName));
  if (!r) throw notFound(`Replay ${input.ReplayName} does not exist.`);
  if (r.state !== 'STARTING' && r.state !== 'RUNNING') throw illegalStatus(`Replay ${input.ReplayName} is not in a valid state for this operation.`);
  store.replays.put(r.arn, { ...r, state: 'CANCELLED' });
  return { ReplayArn: r.arn, State: 'CANCELLING' };
}

export function ListReplays(input: ListReplaysRequest, ctx: RequestContext) {
  const all = [...storeFor(ctx).replays.entries({ prefix: replayArn(ctx, '') })].map(([, r]) => r)
    .filter((r) => (!input.NamePrefix || r.name.startsWith(input.NamePrefix)) && (!input.State || r.state === input.State));
  return { Replays: all.map(describeReplay) };
}
