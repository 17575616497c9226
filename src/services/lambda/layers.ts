/** Layer versions: published zips that functions unpack under their `/opt`. */
import type {
  AddLayerVersionPermissionRequest, AddLayerVersionPermissionResponse, DeleteLayerVersionRequest, GetLayerVersionByArnRequest,
  GetLayerVersionPolicyRequest, GetLayerVersionPolicyResponse, GetLayerVersionRequest, GetLayerVersionResponse, LayersListItem,
  LayerVersionsListItem, ListLayersRequest, ListLayersResponse, ListLayerVersionsRequest, ListLayerVersionsResponse,
  PublishLayerVersionRequest, PublishLayerVersionResponse, RemoveLayerVersionPermissionRequest,
} from '../../generated/lambda.ts';
import type { RequestContext } from '../framework/define.ts';
import { releaseUnused, storeCode } from './code.ts';
import { invalidParameter, notFound } from './errors.ts';
import { lambdaTime, layerArn } from './names.ts';
import { pageOf } from './paging.ts';
import { addStatement, policyDocument, principalOf, removeStatement } from './permissions.ts';
import { pad, type LayerRef, type LayerVersionRecord } from './records.ts';
import { isRuntime, runtimeMessage } from './runtimes.ts';
import { scopeOf, type LambdaScope } from './store.ts';

const LAYER_VERSION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9_-]+):([0-9]+)$/;

/** A LayerName parameter: the name, or the layer's ARN. */
function layerName(input: string): string {
  const m = /^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:([a-zA-Z0-9_-]+)$/.exec(input);
  return m ? m[1]! : input;
}

function missing(): never {
  throw notFound('The resource you requested does not exist.');
}

function item(scope: LambdaScope, l: LayerVersionRecord): LayerVersionsListItem {
  const out: LayerVersionsListItem = {
    LayerVersionArn: layerArn(scope, l.name, l.version),
    Version: l.version,
    Description: l.description,
    CreatedDate: lambdaTime(l.created),
  };
  if (l.compatibleRuntimes) out.CompatibleRuntimes = [...l.compatibleRuntimes] as LayerVersionsListItem['CompatibleRuntimes'];
  if (l.compatibleArchitectures) out.CompatibleArchitectures = [...l.compatibleArchitectures] as LayerVersionsListItem['CompatibleArchitectures'];
  if (l.licenseInfo !== undefined) out.LicenseInfo = l.licenseInfo;
  return out;
}

function full(scope: LambdaScope, l: LayerVersionRecord): GetLayerVersionResponse {
  return {
    ...item(scope, l),
    LayerArn: layerArn(scope, l.name),
    Content: { CodeSha256: l.code.sha256, CodeSize: l.code.size },
  };
}

function requireLayerVersion(scope: LambdaScope, name: string, version: number): LayerVersionRecord {
  return scope.layers.get(`${name}/${pad(version)}`) ?? missing();
}

/** A function's Layers parameter -> references with the layers' code (max 5, all existing). */
export function resolveLayers(scope: LambdaScope, arns: string[]): LayerRef[] {
  if (arns.length > 5) throw invalidParameter('Cannot reference more than 5 layers.');
  return arns.map((arn) => {
    const m = LAYER_VERSION_ARN.exec(arn);
    const l = m && m[1] === scope.region && m[2] === scope.account ? scope.layers.get(`${m[3]}/${pad(Number(m[4]))}`) : undefined;
    if (!l) throw invalidParameter(`Layer version ${arn} does not exist.`);
    return { arn, codeSize: l.code.size, code: l.code };
  });
}

function matches(l: LayerVersionRecord, runtime?: string, arch?: string): boolean {
  return (runtime === undefined || (l.compatibleRuntimes ?? []).includes(runtime)) && (arch === undefined || (l.compatibleArchitectures ?? []).includes(arch));
}

export async function PublishLayerVersion(input: PublishLayerVersionRequest, ctx: RequestContext): Promise<PublishLayerVersionResponse> {
  const scope = scopeOf(ctx);
  const name = layerName(input.LayerName);
  for (const r of input.CompatibleRuntimes ?? []) if (!isRuntime(r)) throw invalidParameter(runtimeMessage(r));
  const code = await storeCode(ctx, input.Content);
  const version = (scope.layerNames.get(name) ?? 0) + 1;
  const rec: LayerVersionRecord = {
    name,
    version,
    description: input.Description ?? '',
    created: ctx.clock.now(),
    code,
    compatibleRuntimes: input.CompatibleRuntimes ? [...input.CompatibleRuntimes] : undefined,
    compatibleArchitectures: input.CompatibleArchitectures ? [...input.CompatibleArchitectures] : undefined,
    licenseInfo: input.LicenseInfo,
  };
  for (const k of ['compatibleRuntimes', 'compatibleArchitectures', 'licenseInfo'] as const) if (rec[k] === undefined) delete rec[k];
  scope.layerNames.put(name, version);
  scope.layers.put(`${name}/${pad(version)}`, rec);
  return full(scope, rec);
}

export function GetLayerVersion(input: GetLayerVersionRequest, ctx: RequestContext): GetLayerVersionResponse {
  const scope = scopeOf(ctx);
  return full(scope, requireLayerVersion(scope, layerName(input.LayerName), input.VersionNumber));
}

export function GetLayerVersionByArn(input: GetLayerVersionByArnRequest, ctx: RequestContext): GetLayerVersionResponse {
  const scope = scopeOf(ctx);
  const m = LAYER_VERSION_ARN.exec(input.Arn);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.account) missing();
  return full(scope, requireLayerVersion(scope, m[3]!, Number(m[4])));
}

export function DeleteLayerVersion(input: DeleteLayerVersionRequest, ctx: RequestContext): Record<string, never> {
  const scope = scopeOf(ctx);
  const key = `${layerName(input.LayerName)}/${pad(input.VersionNumber)}`;
  const l = scope.layers.get(key);
  if (l) {
    scope.layers.delete(key);
    releaseUnused(ctx.state, [l.code.blob]);
  }
  return {};
}

export function ListLayerVersions(input: ListLayerVersionsRequest, ctx: RequestContext): ListLayerVersionsResponse {
  const scope = scopeOf(ctx);
  const name = layerName(input.LayerName);
  const items = function* () {
    for (const [, l] of scope.layers.entries({ prefix: `${name}/`, reverse: true })) {
      if (matches(l, input.CompatibleRuntime, input.CompatibleArchitecture)) yield { key: pad(1e10 - l.version), l };
    }
  };
  const page = pageOf(items(), input.Marker, input.MaxItems ?? 50);
  const out: ListLayerVersionsResponse = { LayerVersions: page.items.map((i) => item(scope, i.l)) };
  if (page.next) out.NextMarker = page.next;
  return out;
}

export function ListLayers(input: ListLayersRequest, ctx: RequestContext): ListLayersResponse {
  const scope = scopeOf(ctx);
  const items = function* () {
    for (const [name] of scope.layerNames.entries()) {
      for (const [, l] of scope.layers.entries({ prefix: `${name}/`, reverse: true })) {
        if (!matches(l, input.CompatibleRuntime, input.CompatibleArchitecture)) continue;
        yield { key: name, entry: { LayerName: name, LayerArn: layerArn(scope, name), LatestMatchingVersion: item(scope, l) } as LayersListItem };
        break;
      }
    }
  };
  const page = pageOf(items(), input.Marker, input.MaxItems ?? 50);
  const out: ListLayersResponse = { Layers: page.items.map((i) => i.entry) };
  if (page.next) out.NextMarker = page.next;
  return out;
}

export function AddLayerVersionPermission(input: AddLayerVersionPermissionRequest, ctx: RequestContext): AddLayerVersionPermissionResponse {
  const scope = scopeOf(ctx);
  const name = layerName(input.LayerName);
  const l = requireLayerVersion(scope, name, input.VersionNumber);
  const s = {
    Sid: input.StatementId,
    Effect: 'Allow' as const,
    Principal: principalOf(ctx.region, input.Principal),
    Action: input.Action,
    Resource: layerArn(scope, name, l.version),
    ...(input.OrganizationId ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': input.OrganizationId } } } : {}),
  };
  const policy = addStatement(l.policy, s, input.RevisionId, ctx.ids.uuid());
  scope.layers.put(`${name}/${pad(l.version)}`, { ...l, policy });
  return { Statement: JSON.stringify(s), RevisionId: policy.revisionId };
}

export function RemoveLayerVersionPermission(input: RemoveLayerVersionPermissionRequest, ctx: RequestContext): Record<string, never> {
  const scope = scopeOf(ctx);
  const name = layerName(input.LayerName);
  const l = requireLayerVersion(scope, name, input.VersionNumber);
  const policy = removeStatement(l.policy, input.StatementId, input.RevisionId, ctx.ids.uuid());
  const next = { ...l, policy };
  if (!policy) delete next.policy;
  scope.layers.put(`${name}/${pad(l.version)}`, next);
  return {};
}

export function GetLayerVersionPolicy(input: GetLayerVersionPolicyRequest, ctx: RequestContext): GetLayerVersionPolicyResponse {
  const scope = scopeOf(ctx);
  const l = requireLayerVersion(scope, layerName(input.LayerName), input.VersionNumber);
  if (!l.policy) missing();
  return { Policy: policyDocument(l.policy), RevisionId: l.policy.revisionId };
}
