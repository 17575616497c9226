/** Published versions and qualifier resolution (`$LATEST`, version numbers, aliases). */
import type { FunctionConfiguration, ListVersionsByFunctionRequest, ListVersionsByFunctionResponse, PublishVersionRequest } from '../../generated/lambda.ts';
import type { RequestContext } from '../framework/define.ts';
import { configuration } from './config.ts';
import { functionNotFound, invalidParameter, preconditionFailed } from './errors.ts';
import { requireFunction, functionRef } from './functions.ts';
import { functionArn, isVersionNumber } from './names.ts';
import { pageOf } from './paging.ts';
import { pad, type FunctionRecord, type VersionRecord } from './records.ts';
import { scopeOf, type LambdaScope } from './store.ts';

/** The configuration a qualifier names; aliases resolve to their primary version. */
export function resolveVersion(scope: LambdaScope, fn: FunctionRecord, qualifier: string | undefined): VersionRecord {
  if (qualifier === undefined || qualifier === '$LATEST') return fn.latest;
  if (isVersionNumber(qualifier)) {
    const v = scope.versions.get(`${fn.name}/${pad(Number(qualifier))}`);
    if (!v || String(Number(qualifier)) !== qualifier) throw functionNotFound(functionArn(scope, fn.name, qualifier));
    return v;
  }
  const alias = scope.aliases.get(`${fn.name}/${qualifier}`);
  if (!alias) throw functionNotFound(functionArn(scope, fn.name, qualifier));
  return resolveVersion(scope, fn, alias.functionVersion);
}

/** Publishes `$LATEST` as a new version, unless it is unchanged since the last one (then that one is returned). */
export function publishVersion(ctx: RequestContext, scope: LambdaScope, fn: FunctionRecord, description: string | undefined): VersionRecord {
  if (fn.lastVersion > 0) {
    const last = scope.versions.get(`${fn.name}/${pad(fn.lastVersion)}`);
    if (last && last.fromRevision === fn.latest.revisionId) return last;
  }
  const n = fn.lastVersion + 1;
  const v: VersionRecord = {
    ...fn.latest,
    version: String(n),
    description: description ?? fn.latest.description,
    lastModified: ctx.clock.now(),
    revisionId: ctx.ids.uuid(),
    fromRevision: fn.latest.revisionId,
  };
  scope.versions.put(`${fn.name}/${pad(n)}`, v);
  scope.functions.put(fn.name, { ...fn, lastVersion: n });
  return v;
}

export function PublishVersion(input: PublishVersionRequest, ctx: RequestContext): FunctionConfiguration {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName);
  const fn = requireFunction(scope, ref, input.FunctionName);
  if (input.RevisionId !== undefined && input.RevisionId !== fn.latest.revisionId) throw preconditionFailed();
  if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.latest.code.sha256) {
    throw invalidParameter(`CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.code.sha256}). Please try again with the CodeSHA256 in $LATEST.`);
  }
  return configuration(scope, publishVersion(ctx, scope, fn, input.Description));
}

export function ListVersionsByFunction(input: ListVersionsByFunctionRequest, ctx: RequestContext): ListVersionsByFunctionResponse {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName);
  const fn = requireFunction(scope, ref, input.FunctionName);
  const all = function* () {
    yield { key: '$', config: () => configuration(scope, fn.latest) };
    for (const [key, v] of scope.versions.entries({ prefix: `${fn.name}/` })) yield { key, config: () => configuration(scope, v) };
  };
  const page = pageOf(all(), input.Marker, input.MaxItems ?? 50);
  const out: ListVersionsByFunctionResponse = { Versions: page.items.map((i) => i.config()) };
  if (page.next) out.NextMarker = page.next;
  return out;
}
