/** Aliases: named pointers to a version, optionally splitting traffic with a second version. */
import type {
  AliasConfiguration, AliasRoutingConfiguration, CreateAliasRequest, DeleteAliasRequest, GetAliasRequest, ListAliasesRequest,
  ListAliasesResponse, UpdateAliasRequest,
} from '../../generated/lambda.ts';
import type { RequestContext } from '../framework/define.ts';
import { conflict, invalidParameter, notFound, preconditionFailed } from './errors.ts';
import { functionRef, requireFunction } from './functions.ts';
import { functionArn, type Scope } from './names.ts';
import { pageOf } from './paging.ts';
import type { AliasRecord, FunctionRecord } from './records.ts';
import { scopeOf, type LambdaScope } from './store.ts';
import { resolveVersion } from './versions.ts';

export function aliasConfiguration(scope: Scope, a: AliasRecord): AliasConfiguration {
  const out: AliasConfiguration = {
    AliasArn: functionArn(scope, a.functionName, a.name),
    Name: a.name,
    FunctionVersion: a.functionVersion,
    Description: a.description,
    RevisionId: a.revisionId,
  };
  if (a.weights) out.RoutingConfig = { AdditionalVersionWeights: { ...a.weights } };
  return out;
}

function checkVersion(scope: LambdaScope, fn: FunctionRecord, version: string): void {
  if (version !== '$LATEST' && !/^[0-9]+$/.test(version)) throw invalidParameter(`Invalid function version ${version}. Function version ${version} is not a number or $LATEST.`);
  resolveVersion(scope, fn, version);
}

function routing(scope: LambdaScope, fn: FunctionRecord, primary: string, config: AliasRoutingConfiguration | undefined): Record<string, number> | undefined {
  const weights = config?.AdditionalVersionWeights;
  if (!weights || Object.keys(weights).length === 0) return undefined;
  const entries = Object.entries(weights);
  if (entries.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  const [version, weight] = entries[0]!;
  if (primary === '$LATEST' || version === '$LATEST') throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  if (version === primary) throw invalidParameter(`Invalid function version ${version}. Function version ${version} is already included in routing configuration.`);
  if (!(weight >= 0 && weight <= 1)) throw invalidParameter(`Invalid weight ${weight}: weights must be between 0.0 and 1.0`);
  checkVersion(scope, fn, version);
  return { [version]: weight };
}

function requireAlias(scope: LambdaScope, fn: FunctionRecord, name: string): AliasRecord {
  const a = scope.aliases.get(`${fn.name}/${name}`);
  if (!a) throw notFound(`Cannot find alias arn: ${functionArn(scope, fn.name, name)}`);
  return a;
}

export function CreateAlias(input: CreateAliasRequest, ctx: RequestContext): AliasConfiguration {
  const scope = scopeOf(ctx);
  const fn = requireFunction(scope, functionRef(ctx, input.FunctionName), input.FunctionName);
  checkVersion(scope, fn, input.FunctionVersion);
  const key = `${fn.name}/${input.Name}`;
  if (scope.aliases.has(key)) throw conflict(`Alias already exists: ${functionArn(scope, fn.name, input.Name)}`);
  const a: AliasRecord = {
    name: input.Name,
    functionName: fn.name,
    functionVersion: input.FunctionVersion,
    description: input.Description ?? '',
    weights: routing(scope, fn, input.FunctionVersion, input.RoutingConfig),
    revisionId: ctx.ids.uuid(),
  };
  if (!a.weights) delete a.weights;
  scope.aliases.put(key, a);
  return aliasConfiguration(scope, a);
}

export function GetAlias(input: GetAliasRequest, ctx: RequestContext): AliasConfiguration {
  const scope = scopeOf(ctx);
  const fn = requireFunction(scope, functionRef(ctx, input.FunctionName), input.FunctionName);
  return aliasConfiguration(scope, requireAlias(scope, fn, input.Name));
}

export function UpdateAlias(input: UpdateAliasRequest, ctx: RequestContext): AliasConfiguration {
  const scope = scopeOf(ctx);
  const fn = requireFunction(scope, functionRef(ctx, input.FunctionName), input.FunctionName);
  const a = requireAlias(scope, fn, input.Name);
  if (input.RevisionId !== undefined && input.RevisionId !== a.revisionId) throw preconditionFailed();
  const version = input.FunctionVersion ?? a.functionVersion;
  if (input.FunctionVersion !== undefined) checkVersion(scope, fn, version);
  const next: AliasRecord = { ...a, functionVersion: version, revisionId: ctx.ids.uuid() };
  if (input.Description !== undefined) next.description = input.Description;
  if (input.RoutingConfig !== undefined) next.weights = routing(scope, fn, version, input.RoutingConfig);
  else if (next.weights) next.weights = routing(scope, fn, version, { AdditionalVersionWeights: next.weights });
  if (!next.weights) delete next.weights;
  scope.aliases.put(`${fn.name}/${a.name}`, next);
  return aliasConfiguration(scope, next);
}

export function DeleteAlias(input: DeleteAliasRequest, ctx: RequestContext): Record<string, never> {
  const scope = scopeOf(ctx);
  const fn = requireFunction(scope, functionRef(ctx, input.FunctionName), input.FunctionName);
  const key = `${fn.name}/${input.Name}`;
  scope.aliases.delete(key);
  for (const table of [scope.policies, scope.invokeConfigs, scope.urls, scope.provisioned]) table.delete(key);
  return {};
}

export function ListAliases(input: ListAliasesRequest, ctx: RequestContext): ListAliasesResponse {
  const scope = scopeOf(ctx);
  const fn = requireFunction(scope, functionRef(ctx, input.FunctionName), input.FunctionName);
  const items = function* () {
    for (const [key, a] of scope.aliases.entries({ prefix: `${fn.name}/` })) {
      if (input.FunctionVersion === undefined || a.functionVersion === input.FunctionVersion) yield { key, a };
    }
  };
  const page = pageOf(items(), input.Marker, input.MaxItems ?? 50);
  const out: ListAliasesResponse = { Aliases: page.items.map((i) => aliasConfiguration(scope, i.a)) };
  if (page.next) out.NextMarker = page.next;
  return out;
}
