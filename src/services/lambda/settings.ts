/** Per-function settings: reserved and provisioned concurrency, URL configs, event invoke configs, account settings. */
import type {
  Concurrency, CreateFunctionUrlConfigRequest, CreateFunctionUrlConfigResponse, DeleteFunctionConcurrencyRequest,
  DeleteFunctionEventInvokeConfigRequest, DeleteFunctionUrlConfigRequest, DeleteProvisionedConcurrencyConfigRequest,
  FunctionEventInvokeConfig, FunctionUrlConfig, GetAccountSettingsResponse, GetFunctionConcurrencyRequest,
  GetFunctionConcurrencyResponse, GetFunctionEventInvokeConfigRequest, GetFunctionUrlConfigRequest, GetFunctionUrlConfigResponse,
  GetProvisionedConcurrencyConfigRequest, GetProvisionedConcurrencyConfigResponse, ListFunctionEventInvokeConfigsRequest,
  ListFunctionEventInvokeConfigsResponse, ListFunctionUrlConfigsRequest, ListFunctionUrlConfigsResponse,
  ListProvisionedConcurrencyConfigsRequest, ListProvisionedConcurrencyConfigsResponse, PutFunctionConcurrencyRequest,
  PutFunctionEventInvokeConfigRequest, PutProvisionedConcurrencyConfigRequest, PutProvisionedConcurrencyConfigResponse,
  UpdateFunctionEventInvokeConfigRequest, UpdateFunctionUrlConfigRequest, UpdateFunctionUrlConfigResponse,
} from '../../generated/lambda.ts';
import { AwsError } from '../../protocol/aws-error.ts';
import type { RequestContext } from '../framework/define.ts';
import { conflict, invalidParameter, notFound } from './errors.ts';
import { functionRef, requireFunction } from './functions.ts';
import { functionArn, lambdaTime } from './names.ts';
import { pageOf } from './paging.ts';
import type { FunctionRecord, InvokeConfigRecord, UrlConfigRecord } from './records.ts';
import { scopeOf, type LambdaScope } from './store.ts';
import { resolveVersion } from './versions.ts';

const ACCOUNT_CONCURRENCY = 1000;
const MIN_UNRESERVED = 100;

function target(ctx: RequestContext, name: string, qualifier?: string): { scope: LambdaScope; fn: FunctionRecord; qualifier: string | undefined } {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, name, qualifier);
  const fn = requireFunction(scope, ref, name);
  if (ref!.qualifier !== undefined) resolveVersion(scope, fn, ref!.qualifier);
  return { scope, fn, qualifier: ref!.qualifier };
}

function missing(): never {
  throw notFound('The resource you requested does not exist.');
}

// Reserved concurrency

export function PutFunctionConcurrency(input: PutFunctionConcurrencyRequest, ctx: RequestContext): Concurrency {
  const { scope, fn } = target(ctx, input.FunctionName);
  let others = 0;
  for (const [name, f] of scope.functions.entries()) if (name !== fn.name) others += f.reservedConcurrency ?? 0;
  if (ACCOUNT_CONCURRENCY - others - input.ReservedConcurrentExecutions < MIN_UNRESERVED) {
    throw invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`);
  }
  scope.functions.put(fn.name, { ...fn, reservedConcurrency: input.ReservedConcurrentExecutions });
  return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
}

export function GetFunctionConcurrency(input: GetFunctionConcurrencyRequest, ctx: RequestContext): GetFunctionConcurrencyResponse {
  const { fn } = target(ctx, input.FunctionName);
  return fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };
}

export function DeleteFunctionConcurrency(input: DeleteFunctionConcurrencyRequest, ctx: RequestContext): Record<string, never> {
  const { scope, fn } = target(ctx, input.FunctionName);
  const next = { ...fn };
  delete next.reservedConcurrency;
  scope.functions.put(fn.name, next);
  return {};
}

export function GetAccountSettings(_input: unknown, ctx: RequestContext): GetAccountSettingsResponse {
  const scope = scopeOf(ctx);
  let count = 0;
  let total = 0;
  let reserved = 0;
  for (const [, f] of scope.functions.entries()) {
    count++;
    total += f.latest.code.size;
    reserved += f.reservedConcurrency ?? 0;
  }
  for (const [, v] of scope.versions.entries()) total += v.code.size;
  return {
    AccountLimit: {
      TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800,
      ConcurrentExecutions: ACCOUNT_CONCURRENCY, UnreservedConcurrentExecutions: ACCOUNT_CONCURRENCY - reserved,
    },
    AccountUsage: { TotalCodeSize: total, FunctionCount: count },
  };
}

// Provisioned concurrency (stored; every process kumo starts is on demand)

function provisioned(ctx: RequestContext, name: string, qualifier: string): { scope: LambdaScope; fn: FunctionRecord; key: string } {
  const t = target(ctx, name, qualifier);
  if (qualifier === '$LATEST') throw invalidParameter('Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
  return { scope: t.scope, fn: t.fn, key: `${t.fn.name}/${qualifier}` };
}

function provisionedOut(requested: number, lastModified: number): GetProvisionedConcurrencyConfigResponse {
  return {
    RequestedProvisionedConcurrentExecutions: requested,
    AvailableProvisionedConcurrentExecutions: requested,
    AllocatedProvisionedConcurrentExecutions: requested,
    Status: 'READY',
    LastModified: lambdaTime(lastModified),
  };
}

export function PutProvisionedConcurrencyConfig(input: PutProvisionedConcurrencyConfigRequest, ctx: RequestContext): PutProvisionedConcurrencyConfigResponse {
  const { scope, key } = provisioned(ctx, input.FunctionName, input.Qualifier);
  const rec = { requested: input.ProvisionedConcurrentExecutions, lastModified: ctx.clock.now() };
  scope.provisioned.put(key, rec);
  return provisionedOut(rec.requested, rec.lastModified);
}

export function GetProvisionedConcurrencyConfig(input: GetProvisionedConcurrencyConfigRequest, ctx: RequestContext): GetProvisionedConcurrencyConfigResponse {
  const { scope, key } = provisioned(ctx, input.FunctionName, input.Qualifier);
  const rec = scope.provisioned.get(key);
  if (!rec) throw new AwsError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function', 404, { Type: 'User' });
  return provisionedOut(rec.requested, rec.lastModified);
}

export function DeleteProvisionedConcurrencyConfig(input: DeleteProvisionedConcurrencyConfigRequest, ctx: RequestContext): Record<string, never> {
  const { scope, key } = provisioned(ctx, input.FunctionName, input.Qualifier);
  scope.provisioned.delete(key);
  return {};
}

export function ListProvisionedConcurrencyConfigs(input: ListProvisionedConcurrencyConfigsRequest, ctx: RequestContext): ListProvisionedConcurrencyConfigsResponse {
  const { scope, fn } = target(ctx, input.FunctionName);
  const items = [...scope.provisioned.entries({ prefix: `${fn.name}/` })].map(([key, rec]) => ({ key, rec }));
  const page = pageOf(items, input.Marker, input.MaxItems ?? 50);
  const out: ListProvisionedConcurrencyConfigsResponse = {
    ProvisionedConcurrencyConfigs: page.items.map(({ key, rec }) => ({
      FunctionArn: functionArn(scope, fn.name, key.slice(fn.name.length + 1)),
      ...provisionedOut(rec.requested, rec.lastModified),
    })),
  };
  if (page.next) out.NextMarker = page.next;
  return out;
}

// Function URLs (configurations are stored; kumo does not serve them over HTTP yet)

/**
 * `<url-id>.lambda-url.<region>.<host>`; an IP address host becomes `localhost` (names under an
 * IP literal are not valid, names under `localhost` resolve to this machine).
 */
function urlOf(ctx: RequestContext, rec: UrlConfigRecord): string {
  const url = new URL(ctx.endpoint);
  const host = /^[\d.]+$|^\[/.test(url.hostname) ? `localhost${url.port ? `:${url.port}` : ''}` : url.host;
  return `${url.protocol}//${rec.urlId}.lambda-url.${ctx.region}.${host}/`;
}

function urlConfig(ctx: RequestContext, scope: LambdaScope, rec: UrlConfigRecord): FunctionUrlConfig {
  const out: FunctionUrlConfig = {
    FunctionUrl: urlOf(ctx, rec),
    FunctionArn: functionArn(scope, rec.functionName, rec.qualifier),
    AuthType: rec.authType as FunctionUrlConfig['AuthType'],
    CreationTime: lambdaTime(rec.created),
    LastModifiedTime: lambdaTime(rec.lastModified),
    InvokeMode: rec.invokeMode as FunctionUrlConfig['InvokeMode'],
  };
  if (rec.cors) out.Cors = rec.cors;
  return out;
}

function urlKey(ctx: RequestContext, name: string, qualifier: string | undefined): { scope: LambdaScope; key: string; fn: FunctionRecord; qualifier: string | undefined } {
  const t = target(ctx, name, qualifier);
  if (t.qualifier !== undefined && /^[0-9]+$/.test(t.qualifier)) throw invalidParameter('Function URLs are not supported for published function versions; use $LATEST or an alias.');
  return { ...t, key: `${t.fn.name}/${t.qualifier ?? '$LATEST'}` };
}

export function CreateFunctionUrlConfig(input: CreateFunctionUrlConfigRequest, ctx: RequestContext): CreateFunctionUrlConfigResponse {
  const { scope, key, fn, qualifier } = urlKey(ctx, input.FunctionName, input.Qualifier);
  if (scope.urls.has(key)) {
    throw conflict(`Failed to create function url config for [functionArn = ${functionArn(scope, fn.name, qualifier)}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
  }
  const now = ctx.clock.now();
  const rec: UrlConfigRecord = {
    functionName: fn.name, qualifier, urlId: ctx.ids.hex(16), authType: input.AuthType, invokeMode: input.InvokeMode ?? 'BUFFERED',
    cors: input.Cors as Record<string, unknown> | undefined, created: now, lastModified: now,
  };
  for (const k of ['qualifier', 'cors'] as const) if (rec[k] === undefined) delete rec[k];
  scope.urls.put(key, rec);
  const { LastModifiedTime: _, ...out } = urlConfig(ctx, scope, rec);
  return out as CreateFunctionUrlConfigResponse;
}

export function GetFunctionUrlConfig(input: GetFunctionUrlConfigRequest, ctx: RequestContext): GetFunctionUrlConfigResponse {
  const { scope, key } = urlKey(ctx, input.FunctionName, input.Qualifier);
  const rec = scope.urls.get(key) ?? missing();
  return urlConfig(ctx, scope, rec) as GetFunctionUrlConfigResponse;
}

export function UpdateFunctionUrlConfig(input: UpdateFunctionUrlConfigRequest, ctx: RequestContext): UpdateFunctionUrlConfigResponse {
  const { scope, key } = urlKey(ctx, input.FunctionName, input.Qualifier);
  const rec = scope.urls.get(key) ?? missing();
  const next: UrlConfigRecord = { ...rec, lastModified: ctx.clock.now() };
  if (input.AuthType !== undefined) next.authType = input.AuthType;
  if (input.InvokeMode !== undefined) next.invokeMode = input.InvokeMode;
  if (input.Cors !== undefined) next.cors = input.Cors as Record<string, unknown>;
  scope.urls.put(key, next);
  return urlConfig(ctx, scope, next) as UpdateFunctionUrlConfigResponse;
}

export function DeleteFunctionUrlConfig(input: DeleteFunctionUrlConfigRequest, ctx: RequestContext): Record<string, never> {
  const { scope, key } = urlKey(ctx, input.FunctionName, input.Qualifier);
  if (!scope.urls.delete(key)) missing();
  return {};
}

export function ListFunctionUrlConfigs(input: ListFunctionUrlConfigsRequest, ctx: RequestContext): ListFunctionUrlConfigsResponse {
  const { scope, fn } = target(ctx, input.FunctionName);
  const items = [...scope.urls.entries({ prefix: `${fn.name}/` })].map(([key, rec]) => ({ key, rec }));
  const page = pageOf(items, input.Marker, input.MaxItems ?? 50);
  const out: ListFunctionUrlConfigsResponse = { FunctionUrlConfigs: page.items.map((i) => urlConfig(ctx, scope, i.rec)) };
  if (page.next) out.NextMarker = page.next;
  return out;
}

// Event invoke configs (read by async.ts)

function invokeConfigOut(rec: InvokeConfigRecord): FunctionEventInvokeConfig {
  const out: FunctionEventInvokeConfig = { FunctionArn: rec.functionArn, LastModified: new Date(rec.lastModified), DestinationConfig: {} };
  if (rec.maximumRetryAttempts !== undefined) out.MaximumRetryAttempts = rec.maximumRetryAttempts;
  if (rec.maximumEventAgeInSeconds !== undefined) out.MaximumEventAgeInSeconds = rec.maximumEventAgeInSeconds;
  if (rec.destinations.onSuccess) out.DestinationConfig!.OnSuccess = { Destination: rec.destinations.onSuccess };
  if (rec.destinations.onFailure) out.DestinationConfig!.OnFailure = { Destination: rec.destinations.onFailure };
  return out;
}

function checkDestination(arn: string | undefined): void {
  if (arn !== undefined && !/^arn:aws[a-zA-Z-]*:(sqs|sns|lambda|events|s3):/.test(arn)) {
    throw invalidParameter(`The destination ARN ${arn} is invalid.`);
  }
}

function putInvokeConfig(input: PutFunctionEventInvokeConfigRequest, ctx: RequestContext, merge: boolean): FunctionEventInvokeConfig {
  const { scope, fn, qualifier } = target(ctx, input.FunctionName, input.Qualifier);
  const key = `${fn.name}/${qualifier ?? '$LATEST'}`;
  const current = scope.invokeConfigs.get(key);
  if (merge && !current) throw notFound(`The function ${functionArn(scope, fn.name, qualifier ?? '$LATEST')} doesn't have an EventInvokeConfig`);
  checkDestination(input.DestinationConfig?.OnSuccess?.Destination);
  checkDestination(input.DestinationConfig?.OnFailure?.Destination);
  const base: InvokeConfigRecord = merge ? current! : { functionArn: functionArn(scope, fn.name, qualifier ?? '$LATEST'), destinations: {}, lastModified: 0 };
  const rec: InvokeConfigRecord = { ...base, destinations: { ...base.destinations }, lastModified: ctx.clock.now() };
  if (input.MaximumRetryAttempts !== undefined) rec.maximumRetryAttempts = input.MaximumRetryAttempts;
  if (input.MaximumEventAgeInSeconds !== undefined) rec.maximumEventAgeInSeconds = input.MaximumEventAgeInSeconds;
  const d = input.DestinationConfig;
  if (d?.OnSuccess !== undefined) rec.destinations.onSuccess = d.OnSuccess.Destination;
  if (d?.OnFailure !== undefined) rec.destinations.onFailure = d.OnFailure.Destination;
  for (const k of ['onSuccess', 'onFailure'] as const) if (!rec.destinations[k]) delete rec.destinations[k];
  scope.invokeConfigs.put(key, rec);
  return invokeConfigOut(rec);
}

export function PutFunctionEventInvokeConfig(input: PutFunctionEventInvokeConfigRequest, ctx: RequestContext): FunctionEventInvokeConfig {
  return putInvokeConfig(input, ctx, false);
}

export function UpdateFunctionEventInvokeConfig(input: UpdateFunctionEventInvokeConfigRequest, ctx: RequestContext): FunctionEventInvokeConfig {
  return putInvokeConfig(input, ctx, true);
}

export function GetFunctionEventInvokeConfig(input: GetFunctionEventInvokeConfigRequest, ctx: RequestContext): FunctionEventInvokeConfig {
  const { scope, fn, qualifier } = target(ctx, input.FunctionName, input.Qualifier);
  const rec = scope.invokeConfigs.get(`${fn.name}/${qualifier ?? '$LATEST'}`);
  if (!rec) throw notFound(`The function ${functionArn(scope, fn.name, qualifier ?? '$LATEST')} doesn't have an EventInvokeConfig`);
  return invokeConfigOut(rec);
}

export function DeleteFunctionEventInvokeConfig(input: DeleteFunctionEventInvokeConfigRequest, ctx: RequestContext): Record<string, never> {
  const { scope, fn, qualifier } = target(ctx, input.FunctionName, input.Qualifier);
  if (!scope.invokeConfigs.delete(`${fn.name}/${qualifier ?? '$LATEST'}`)) {
    throw notFound(`The function ${functionArn(scope, fn.name, qualifier ?? '$LATEST')} doesn't have an EventInvokeConfig`);
  }
  return {};
}

export function ListFunctionEventInvokeConfigs(input: ListFunctionEventInvokeConfigsRequest, ctx: RequestContext): ListFunctionEventInvokeConfigsResponse {
  const { scope, fn } = target(ctx, input.FunctionName);
  const items = [...scope.invokeConfigs.entries({ prefix: `${fn.name}/` })].map(([key, rec]) => ({ key, rec }));
  const page = pageOf(items, input.Marker, input.MaxItems ?? 50);
  const out: ListFunctionEventInvokeConfigsResponse = { FunctionEventInvokeConfigs: page.items.map((i) => invokeConfigOut(i.rec)) };
  if (page.next) out.NextMarker = page.next;
  return out;
}
