import type {
  AddTagsToResourceRequest, ListTagsForResourceRequest, ListTagsForResourceResult, RemoveTagsFromResourceRequest, Tag,
} from '../../generated/ssm.ts';
import type { Table } from '../../state/types.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidResourceId, validation } from './errors.ts';
import { parseName } from './names.ts';
import { PARAMETERS, type ParameterRecord } from './records.ts';

const MAX_TAGS = 50;

export function checkTags(tags: Tag[]): Tag[] {
  const out = new Map<string, string>();
  for (const t of tags) {
    if (t.Key.toLowerCase().startsWith('aws:')) throw validation('Tag keys beginning with aws: are reserved.');
    out.set(t.Key, t.Value);
  }
  if (out.size > MAX_TAGS) throw new AwsError('TooManyTagsError', 'The Targets parameter includes too many tags. Remove one or more tags and try the request again.');
  return [...out].map(([Key, Value]) => ({ Key, Value }));
}

/** Only parameters are tagged here; the other SSM resource types are not implemented by kumo. */
function parameterFor(ctx: RequestContext, type: string, id: string): { table: Table<ParameterRecord>; p: ParameterRecord } {
  if (type !== 'Parameter') throw new AwsError('InvalidResourceType', `kumo implements tags for Parameter resources only, not ${type}.`);
  const table = ctx.table<ParameterRecord>(PARAMETERS);
  const p = table.get(parseName(id).name);
  if (!p) throw invalidResourceId();
  return { table, p };
}

export function AddTagsToResource(input: AddTagsToResourceRequest, ctx: RequestContext): Record<string, never> {
  const { table, p } = parameterFor(ctx, input.ResourceType, input.ResourceId);
  table.put(p.name, { ...p, tags: checkTags([...p.tags, ...input.Tags]) });
  return {};
}

export function RemoveTagsFromResource(input: RemoveTagsFromResourceRequest, ctx: RequestContext): Record<string, never> {
  const { table, p } = parameterFor(ctx, input.ResourceType, input.ResourceId);
  const drop = new Set(input.TagKeys);
  table.put(p.name, { ...p, tags: p.tags.filter((t) => !drop.has(t.Key)) });
  return {};
}

export function ListTagsForResource(input: ListTagsForResourceRequest, ctx: RequestContext): ListTagsForResourceResult {
  return { TagList: parameterFor(ctx, input.ResourceType, input.ResourceId).p.tags };
}
