/** Tags on functions and event source mappings (TagResource, UntagResource, ListTags). */
import type { ListTagsRequest, ListTagsResponse, TagResourceRequest, UntagResourceRequest } from '../../generated/lambda.ts';
import type { RequestContext } from '../framework/define.ts';
import { functionNotFound, invalidParameter, notFound } from './errors.ts';
import { parseFunctionName } from './names.ts';
import { scopeOf, type LambdaScope } from './store.ts';

const MAPPING_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):event-source-mapping:([0-9a-f-]{36})$/;

interface Tagged {
  get(): Record<string, string>;
  set(tags: Record<string, string>): void;
}

function resource(scope: LambdaScope, ctx: RequestContext, arn: string): Tagged {
  const m = MAPPING_ARN.exec(arn);
  if (m) {
    const rec = m[1] === ctx.region && m[2] === ctx.account ? scope.mappings.get(m[3]!) : undefined;
    if (!rec) throw notFound(`Event source mapping not found: ${arn}`);
    return { get: () => rec.tags ?? {}, set: (tags) => scope.mappings.put(rec.uuid, { ...rec, tags }) };
  }
  if (!arn.startsWith('arn:')) throw invalidParameter(`${arn} is not a valid ARN.`);
  const ref = parseFunctionName(ctx, arn);
  const fn = ref && scope.functions.get(ref.name);
  if (!fn) throw functionNotFound(arn);
  if (ref.qualifier !== undefined) throw invalidParameter('Tags are not supported on function versions or aliases.');
  return { get: () => fn.tags, set: (tags) => scope.functions.put(fn.name, { ...fn, tags }) };
}

export function TagResource(input: TagResourceRequest, ctx: RequestContext): Record<string, never> {
  const r = resource(scopeOf(ctx), ctx, input.Resource);
  const tags = { ...r.get(), ...input.Tags };
  if (Object.keys(tags).length > 50) throw invalidParameter('Number of tags exceeds resource tag limit.');
  r.set(tags);
  return {};
}

export function UntagResource(input: UntagResourceRequest, ctx: RequestContext): Record<string, never> {
  const r = resource(scopeOf(ctx), ctx, input.Resource);
  const tags = { ...r.get() };
  for (const k of input.TagKeys) delete tags[k];
  r.set(tags);
  return {};
}

export function ListTags(input: ListTagsRequest, ctx: RequestContext): ListTagsResponse {
  return { Tags: { ...resource(scopeOf(ctx), ctx, input.Resource).get() } };
}
