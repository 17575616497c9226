import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from '../../generated/events.ts';
import type { RequestContext } from '../framework/define.ts';
import { notFound } from './errors.ts';
import { storeFor, type BusRecord, type RuleRecord } from './store.ts';

/** Buses and rules carry tags; the ARN says which table holds the resource. */
function find(ctx: RequestContext, arn: string): { table: 'buses' | 'rules'; key: string; rec: BusRecord | RuleRecord } {
  const store = storeFor(ctx);
  const bus = store.buses.get(arn);
  if (bus) return { table: 'buses', key: arn, rec: bus };
  if (/:event-bus\/default$/.test(arn)) {
    const [, , , region, account] = arn.split(':');
    return { table: 'buses', key: arn, rec: { arn, name: 'default', account: account!, region: region!, created: 0, tags: {} } };
  }
  for (const [key, r] of store.rules.entries()) if (r.arn === arn) return { table: 'rules', key, rec: r };
  throw notFound(`Resource ${arn.split(':').pop()} does not exist.`);
}

function save(ctx: RequestContext, f: ReturnType<typeof find>, tags: Record<string, string>): void {
  const store = storeFor(ctx);
  if (f.table === 'buses') store.buses.put(f.key, { ...(f.rec as BusRecord), tags });
  else store.rules.put(f.key, { ...(f.rec as RuleRecord), tags });
}

export function TagResource(input: TagResourceRequest, ctx: RequestContext) {
  const f = find(ctx, input.ResourceARN);
  save(ctx, f, { ...f.rec.tags, ...Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value])) });
  return {};
}

export function UntagResource(input: UntagResourceRequest, ctx: RequestContext) {
  const f = find(ctx, input.ResourceARN);
  const tags = { ...f.rec.tags };
  for (const k of input.TagKeys) delete tags[k];
  save(ctx, f, tags);
  return {};
}

export function ListTagsForResource(input: ListTagsForResourceRequest, ctx: RequestContext) {
  return { Tags: Object.entries(find(ctx, input.ResourceARN).rec.tags).map(([Key, Value]) => ({ Key, Value })) };
}
