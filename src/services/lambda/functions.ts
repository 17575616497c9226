/** CreateFunction, GetFunction(Configuration), ListFunctions, Update*, DeleteFunction. */
import type {
  CreateFunctionRequest, DeleteFunctionRequest, DeleteFunctionResponse, FunctionConfiguration, GetFunctionConfigurationRequest, GetFunctionRequest,
  GetFunctionResponse, ListFunctionsRequest, ListFunctionsResponse, UpdateFunctionCodeRequest, UpdateFunctionConfigurationRequest,
} from '../../generated/lambda.ts';
import type { RequestContext } from '../framework/define.ts';
import { releaseUnused, storeCode } from './code.ts';
import { configuration } from './config.ts';
import { conflict, constraint, functionNotFound, invalidParameter, preconditionFailed } from './errors.ts';
import { resolveLayers } from './layers.ts';
import { functionArn, isVersionNumber, parseFunctionName, type FunctionRef } from './names.ts';
import { pageOf } from './paging.ts';
import type { FunctionRecord, VersionRecord } from './records.ts';
import { isRuntime, runtimeMessage } from './runtimes.ts';
import { retireFunction } from './execution.ts';
import { scopeOf, type LambdaScope } from './store.ts';
import { publishVersion, resolveVersion } from './versions.ts';

/** Variables AWS sets itself and refuses to let a function override. */
const RESERVED_ENV = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

type Settings = Partial<Pick<CreateFunctionRequest,
  'Runtime' | 'Handler' | 'Role' | 'Description' | 'Timeout' | 'MemorySize' | 'Environment' | 'Layers' | 'EphemeralStorage' |
  'TracingConfig' | 'LoggingConfig' | 'DeadLetterConfig' | 'KMSKeyArn'>>;

/** Applies the configuration members of a Create/UpdateFunctionConfiguration request to `v`, with Lambda's checks. */
function applySettings(scope: LambdaScope, v: VersionRecord, s: Settings): VersionRecord {
  const out = { ...v };
  if (s.Runtime !== undefined) {
    if (!isRuntime(s.Runtime)) throw invalidParameter(runtimeMessage(s.Runtime));
    out.runtime = s.Runtime;
  }
  if (s.Timeout !== undefined) {
    if (s.Timeout > 900) throw constraint(s.Timeout, 'timeout', 'Member must have value less than or equal to 900');
    out.timeout = s.Timeout;
  }
  if (s.MemorySize !== undefined) {
    if (s.MemorySize > 10240) throw constraint(s.MemorySize, 'memorySize', 'Member must have value less than or equal to 10240');
    out.memorySize = s.MemorySize;
  }
  if (s.Environment !== undefined) {
    const vars = s.Environment.Variables ?? {};
    const reserved = Object.keys(vars).filter((k) => RESERVED_ENV.has(k));
    if (reserved.length) {
      throw invalidParameter(`Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`);
    }
    const measured = JSON.stringify(vars);
    if (Buffer.byteLength(measured) > 4096) {
      throw invalidParameter(`Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`);
    }
    out.environment = Object.keys(vars).length ? { ...vars } : undefined;
  }
  if (s.Handler !== undefined) out.handler = s.Handler;
  if (s.Role !== undefined) out.role = s.Role;
  if (s.Description !== undefined) out.description = s.Description;
  if (s.Layers !== undefined) out.layers = resolveLayers(scope, s.Layers);
  if (s.EphemeralStorage !== undefined) out.ephemeralStorage = s.EphemeralStorage.Size;
  if (s.TracingConfig?.Mode !== undefined) out.tracingMode = s.TracingConfig.Mode;
  if (s.LoggingConfig !== undefined) {
    const l = s.LoggingConfig;
    if (l.LogFormat !== undefined) out.logFormat = l.LogFormat;
    if (l.LogGroup !== undefined) out.logGroup = l.LogGroup;
    if (l.ApplicationLogLevel !== undefined) out.applicationLogLevel = l.ApplicationLogLevel;
    if (l.SystemLogLevel !== undefined) out.systemLogLevel = l.SystemLogLevel;
  }
  if (s.DeadLetterConfig !== undefined) out.deadLetterArn = s.DeadLetterConfig.TargetArn || undefined;
  if (s.KMSKeyArn !== undefined) out.kmsKeyArn = s.KMSKeyArn || undefined;
  return out;
}

/** The function a request names, or ResourceNotFoundException with the ARN it asked for. */
export function requireFunction(scope: LambdaScope, ref: FunctionRef | undefined, input: string): FunctionRecord {
  const fn = ref && scope.functions.get(ref.name);
  if (!fn) throw functionNotFound(ref ? functionArn(scope, ref.name, ref.qualifier) : input);
  return fn;
}

export function functionRef(ctx: RequestContext, name: string, qualifier?: string): FunctionRef | undefined {
  return parseFunctionName(ctx, name, qualifier);
}

function checkRevision(expected: string | undefined, actual: string): void {
  if (expected !== undefined && expected !== actual) throw preconditionFailed();
}

export async function CreateFunction(input: CreateFunctionRequest, ctx: RequestContext): Promise<FunctionConfiguration> {
  const scope = scopeOf(ctx);
  const name = input.FunctionName;
  const ref = parseFunctionName(ctx, name);
  if (!ref || ref.qualifier !== undefined) throw invalidParameter(`Invalid function name: ${name}`);
  if (input.PackageType === 'Image') throw invalidParameter('kumo runs .zip packages only: container images (PackageType Image) are not supported');
  if (input.Runtime === undefined) throw invalidParameter('Runtime is required for .zip deployment packages.');
  if (scope.functions.has(ref.name)) throw conflict(`Function already exist: ${ref.name}`);
  const draft: VersionRecord = {
    name: ref.name,
    version: '$LATEST',
    role: input.Role,
    description: '',
    timeout: 3,
    memorySize: 128,
    layers: [],
    code: undefined!,
    lastModified: ctx.clock.now(),
    revisionId: ctx.ids.uuid(),
    architectures: input.Architectures?.length ? [...input.Architectures] : ['x86_64'],
    ephemeralStorage: 512,
    tracingMode: 'PassThrough',
    logFormat: 'Text',
    logGroup: `/aws/lambda/${ref.name}`,
  };
  const latest = applySettings(scope, draft, input);
  latest.code = await storeCode(ctx, input.Code);
  if (scope.functions.has(ref.name)) {
    releaseUnused(ctx.state, [latest.code.blob]);
    throw conflict(`Function already exist: ${ref.name}`);
  }
  const fn: FunctionRecord = { name: ref.name, latest, lastVersion: 0, tags: { ...(input.Tags ?? {}) } };
  scope.functions.put(ref.name, fn);
  if (input.Publish) return configuration(scope, publishVersion(ctx, scope, fn, undefined));
  return configuration(scope, latest);
}

export function GetFunction(input: GetFunctionRequest, ctx: RequestContext): GetFunctionResponse {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier);
  const fn = requireFunction(scope, ref, input.FunctionName);
  const v = resolveVersion(scope, fn, ref!.qualifier);
  const out: GetFunctionResponse = {
    Configuration: configuration(scope, v),
    Code: { RepositoryType: 'S3' },
  };
  if (Object.keys(fn.tags).length) out.Tags = { ...fn.tags };
  if (fn.reservedConcurrency !== undefined) out.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
  return out;
}

export function GetFunctionConfiguration(input: GetFunctionConfigurationRequest, ctx: RequestContext): FunctionConfiguration {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier);
  const fn = requireFunction(scope, ref, input.FunctionName);
  return configuration(scope, resolveVersion(scope, fn, ref!.qualifier));
}

export function ListFunctions(input: ListFunctionsRequest, ctx: RequestContext): ListFunctionsResponse {
  const scope = scopeOf(ctx);
  const all = input.FunctionVersion === 'ALL';
  const configs = function* () {
    for (const [name, fn] of scope.functions.entries()) {
      // Keys order like names: `name\0` for $LATEST, `name\u0001<version>` for versions.
      yield { key: `${name}\u0000`, config: () => configuration(scope, fn.latest) };
      if (all) for (const [key, v] of scope.versions.entries({ prefix: `${name}/` })) yield { key: `${name}\u0001${key.slice(name.length + 1)}`, config: () => configuration(scope, v) };
    }
  };
  const page = pageOf(configs(), input.Marker, input.MaxItems ?? 50);
  const out: ListFunctionsResponse = { Functions: page.items.map((i) => i.config()) };
  if (page.next) out.NextMarker = page.next;
  return out;
}

export async function UpdateFunctionCode(input: UpdateFunctionCodeRequest, ctx: RequestContext): Promise<FunctionConfiguration> {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName);
  const fn = requireFunction(scope, ref, input.FunctionName);
  checkRevision(input.RevisionId, fn.latest.revisionId);
  const code = await storeCode(ctx, input);
  if (input.DryRun) {
    releaseUnused(ctx.state, [code.blob]);
    return configuration(scope, { ...fn.latest, code });
  }
  const current = scope.functions.get(fn.name) ?? fn;
  const latest: VersionRecord = {
    ...current.latest,
    code,
    architectures: input.Architectures?.length ? [...input.Architectures] : current.latest.architectures,
    lastModified: ctx.clock.now(),
    revisionId: ctx.ids.uuid(),
  };
  const updated = { ...current, latest };
  scope.functions.put(fn.name, updated);
  releaseUnused(ctx.state, [current.latest.code.blob]);
  retireFunction(ctx, fn.name);
  if (input.Publish) return configuration(scope, publishVersion(ctx, scope, updated, undefined));
  return configuration(scope, latest);
}

export function UpdateFunctionConfiguration(input: UpdateFunctionConfigurationRequest, ctx: RequestContext): FunctionConfiguration {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName);
  const fn = requireFunction(scope, ref, input.FunctionName);
  checkRevision(input.RevisionId, fn.latest.revisionId);
  const latest = applySettings(scope, fn.latest, input);
  latest.lastModified = ctx.clock.now();
  latest.revisionId = ctx.ids.uuid();
  scope.functions.put(fn.name, { ...fn, latest });
  retireFunction(ctx, fn.name);
  return configuration(scope, latest);
}

export function DeleteFunction(input: DeleteFunctionRequest, ctx: RequestContext): DeleteFunctionResponse {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier);
  const fn = requireFunction(scope, ref, input.FunctionName);
  const q = ref!.qualifier;
  if (q !== undefined && q !== '$LATEST') {
    if (!isVersionNumber(q)) throw invalidParameter('Deletion of aliases is not supported.');
    const v = resolveVersion(scope, fn, q);
    const users = [...scope.aliases.entries({ prefix: `${fn.name}/` })]
      .filter(([, a]) => a.functionVersion === q || (a.weights && q in a.weights)).map(([, a]) => a.name);
    if (users.length) throw conflict(`Unable to delete version because the following aliases reference it: [${users.join(', ')}]`);
    scope.versions.delete(`${fn.name}/${v.version.padStart(10, '0')}`);
    dropQualified(scope, fn.name, q);
    releaseUnused(ctx.state, [v.code.blob, ...v.layers.map((l) => l.code.blob)]);
    return { StatusCode: 204 };
  }
  if (q === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  const blobs = [fn.latest.code.blob, ...fn.latest.layers.map((l) => l.code.blob)];
  for (const [key, v] of [...scope.versions.entries({ prefix: `${fn.name}/` })]) {
    blobs.push(v.code.blob, ...v.layers.map((l) => l.code.blob));
    scope.versions.delete(key);
  }
  for (const table of [scope.aliases, scope.policies, scope.invokeConfigs, scope.urls, scope.provisioned]) {
    for (const key of [...table.keys({ prefix: `${fn.name}/` })]) table.delete(key);
  }
  scope.functions.delete(fn.name);
  releaseUnused(ctx.state, blobs);
  retireFunction(ctx, fn.name);
  return { StatusCode: 204 };
}

/** Per-qualifier configuration of a deleted version goes with it. */
function dropQualified(scope: LambdaScope, name: string, qualifier: string): void {
  for (const table of [scope.policies, scope.invokeConfigs, scope.urls, scope.provisioned]) table.delete(`${name}/${qualifier}`);
}
