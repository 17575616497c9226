import type {
  CreateScheduleGroupInput, DeleteScheduleGroupInput, GetScheduleGroupInput, ListScheduleGroupsInput,
} from '../../generated/scheduler.ts';
import type { RequestContext } from '../framework/define.ts';
import { conflict, notFound, validation } from './errors.ts';
import { disarm } from './firing.ts';
import { groupKey, storeFor, type GroupRecord } from './store.ts';

type Scope = { clock: RequestContext['clock']; account: string; region: string };

/** The group a schedule belongs to; `default` exists in every account and region. */
export function getGroup(ctx: Scope, name = 'default'): GroupRecord {
  const g = storeFor(ctx).groups.get(groupKey(ctx.account, ctx.region, name));
  if (g) return g;
  if (name === 'default') {
    return { arn: `arn:aws:scheduler:${ctx.region}:${ctx.account}:schedule-group/default`, name, account: ctx.account, region: ctx.region, created: 0, modified: 0, tags: {} };
  }
  throw notFound(`Schedule group ${name} does not exist.`);
}

const describe = (g: GroupRecord) => ({
  Arn: g.arn, Name: g.name, State: 'ACTIVE', ...(g.created ? { CreationDate: new Date(g.created), LastModificationDate: new Date(g.modified) } : {}),
});

export function CreateScheduleGroup(input: CreateScheduleGroupInput, ctx: RequestContext) {
  if (input.Name === 'default') throw conflict('Schedule group default already exists.');
  const store = storeFor(ctx);
  const key = groupKey(ctx.account, ctx.region, input.Name);
  if (store.groups.has(key)) throw conflict(`Schedule group ${input.Name} already exists.`);
  const now = ctx.clock.now();
  const arn = `arn:aws:scheduler:${ctx.region}:${ctx.account}:schedule-group/${input.Name}`;
  store.groups.put(key, {
    arn, name: input.Name, account: ctx.account, region: ctx.region, created: now, modified: now,
    tags: Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value])),
  });
  return { ScheduleGroupArn: arn };
}

export function GetScheduleGroup(input: GetScheduleGroupInput, ctx: RequestContext) {
  return describe(getGroup(ctx, input.Name));
}

export function DeleteScheduleGroup(input: DeleteScheduleGroupInput, ctx: RequestContext) {
  if (input.Name === 'default') throw validation('Cannot delete the default schedule group.');
  const g = getGroup(ctx, input.Name);
  const store = storeFor(ctx);
  for (const [key, s] of [...store.schedules.entries({ prefix: `${g.account}/${g.region}/${g.name}/` })]) {
    disarm(store, s.arn);
    store.schedules.delete(key);
  }
  store.groups.delete(groupKey(g.account, g.region, g.name));
  return {};
}

export function ListScheduleGroups(input: ListScheduleGroupsInput, ctx: RequestContext) {
  const all = [getGroup(ctx, 'default'), ...[...storeFor(ctx).groups.entries({ prefix: `${ctx.account}/${ctx.region}/` })].map(([, g]) => g)]
    .filter((g) => !input.NamePrefix || g.name.startsWith(input.NamePrefix));
  const start = input.NextToken ? Number(input.NextToken) : 0;
  const max = input.MaxResults ?? 100;
  return { ScheduleGroups: all.slice(start, start + max).map(describe), ...(start + max < all.length ? { NextToken: String(start + max) } : {}) };
}
