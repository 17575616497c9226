/**
 * Running a function version: the environment it sees, reserved concurrency, and the call
 * into the executor (src/lambda/), a system component this service owns and drives directly.
 */
import { AwsError } from '../../protocol/aws-error.ts';
import type { Clock, Ids } from '../../state/types.ts';
import { ExecutorError, type FunctionSpec, type InvokeResult } from '../../lambda/executor.ts';
import { ZipError } from '../../lambda/zip.ts';
import { codeId, readCode } from './code.ts';
import { tooManyRequests } from './errors.ts';
import type { Scope } from './names.ts';
import type { FunctionRecord, VersionRecord } from './records.ts';
import { runtimeFamily } from './runtimes.ts';
import { runtimeOf, type LambdaRuntime } from './store.ts';

/** Warm processes a single function version may keep (invocations past it wait their turn). */
const MAX_PROCESSES = 8;

export interface Caller extends Scope {
  clock: Clock;
  ids: Ids;
  /** The endpoint the client used, when there is a request (a fallback before kumo reports its own). */
  endpoint?: string;
}

function poolPrefix(scope: Scope, name: string, version?: string): string {
  return `${scope.account}/${scope.region}/${name}/${version === undefined ? '' : `${version}/`}`;
}

/** Drops warm processes after the function (or one version of it) changed or went away. */
export function retireFunction(caller: Caller, name: string, version?: string): void {
  runtimeOf(caller).executor.retire(poolPrefix(caller, name, version));
}

function environment(endpoint: string, caller: Caller, v: VersionRecord): Record<string, string> {
  return {
    ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}),
    ...(v.environment ?? {}),
    AWS_REGION: caller.region,
    AWS_DEFAULT_REGION: caller.region,
    // A 12-digit access key id selects that account in kumo: the function acts in its own account.
    AWS_ACCESS_KEY_ID: caller.account,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: 'test',
    AWS_LAMBDA_FUNCTION_NAME: v.name,
    AWS_LAMBDA_FUNCTION_VERSION: v.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(v.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: v.logGroup,
  };
}

/**
 * Specs by version record: stored records are immutable, so an unchanged function keeps its
 * record object and a warm invocation reuses the spec instead of rebuilding its environment.
 */
const specs = new WeakMap<VersionRecord, { account: string; endpoint: string; maxProcesses: number; spec: FunctionSpec }>();

function specOf(lr: LambdaRuntime, caller: Caller, v: VersionRecord, maxProcesses: number): FunctionSpec {
  const endpoint = lr.endpoint() || caller.endpoint || '';
  const cached = specs.get(v);
  if (cached && cached.account === caller.account && cached.endpoint === endpoint && cached.maxProcesses === maxProcesses) return cached.spec;
  const state = lr.state;
  const spec: FunctionSpec = {
    key: `${poolPrefix(caller, v.name, v.version)}${v.revisionId}`,
    runtime: v.runtime ?? '',
    handler: v.handler ?? '',
    timeoutSeconds: v.timeout,
    memoryMb: v.memorySize,
    env: environment(endpoint, caller, v),
    code: { id: codeId(v.code), load: () => readCode(state, v.code) },
    layers: v.layers.map((l) => ({ id: codeId(l.code), load: () => readCode(state, l.code) })),
    maxProcesses,
  };
  specs.set(v, { account: caller.account, endpoint, maxProcesses, spec });
  return spec;
}

export interface Execution {
  requestId: string;
  payload: Buffer;
  /** The ARN the caller used (qualified when it named a qualifier). */
  invokedArn: string;
  clientContext?: string;
}

/** Throttles past the function's reserved concurrency; counts the invocation while it runs. */
export function admit(caller: Caller, fn: FunctionRecord): () => void {
  const lr = runtimeOf(caller);
  const key = `${caller.account}/${caller.region}/${fn.name}`;
  const running = lr.inflight.get(key) ?? 0;
  if (fn.reservedConcurrency !== undefined && running >= fn.reservedConcurrency) {
    throw tooManyRequests('Rate Exceeded.', 'ReservedFunctionConcurrentInvocationLimitExceeded');
  }
  lr.inflight.set(key, running + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (lr.inflight.get(key) ?? 1) - 1;
    if (n > 0) lr.inflight.set(key, n);
    else lr.inflight.delete(key);
  };
}

/** Runs one invocation of `v` to its end. AwsError when the function cannot run here at all. */
export async function execute(caller: Caller, fn: FunctionRecord, v: VersionRecord, e: Execution): Promise<InvokeResult> {
  const lr = runtimeOf(caller);
  if (!runtimeFamily(v.runtime)) {
    throw new AwsError('InvalidRuntimeException', `kumo runs nodejs*, python3.* and provided* functions as local processes; the runtime ${v.runtime ?? '(none)'} is not supported`, 502, { Type: 'User' });
  }
  const max = Math.max(1, Math.min(MAX_PROCESSES, fn.reservedConcurrency ?? MAX_PROCESSES));
  // One draw for both ids: random bytes cost more per call than per byte.
  const random = caller.ids.hex(20);
  const trace = `Root=1-${Math.floor(caller.clock.now() / 1000).toString(16)}-${random.slice(0, 24)};Parent=${random.slice(24)};Sampled=0`;
  try {
    const r = await lr.executor.invoke(specOf(lr, caller, v, max), {
      requestId: e.requestId,
      payload: e.payload,
      invokedArn: e.invokedArn,
      version: v.version,
      traceId: trace,
      clientContext: e.clientContext,
    });
    forwardLog(lr, caller, v, r);
    return r;
  } catch (err) {
    if (err instanceof ExecutorError) throw new AwsError('InvalidRuntimeException', err.message, 502, { Type: 'User' });
    if (err instanceof ZipError) throw new AwsError('InvalidZipFileException', `kumo could not unpack the function's code: ${err.message}`, 502, { Type: 'User' });
    throw err;
  }
}

type PutLogEvents = (
  caller: { clock: Clock; services: LambdaRuntime['rt']['services'] },
  account: string, region: string, group: string, stream: string, events: { timestamp: number; message: string }[],
) => void;

/** Copies an invocation's log, a line an event, to CloudWatch Logs when that service runs in this kumo. */
function forwardLog(lr: LambdaRuntime, caller: Caller, v: VersionRecord, r: InvokeResult): void {
  const put = lr.rt.services.logs?.putLogEvents as PutLogEvents | undefined;
  if (!put) return;
  const timestamp = caller.clock.now();
  const events = r.log.split('\n').filter((line) => line !== '').map((message) => ({ timestamp, message }));
  try {
    put(lr.rt, caller.account, caller.region, v.logGroup, r.logStream, events);
  } catch (err) {
    // The invocation happened whatever the logs service thinks of its output.
    if (!(err instanceof AwsError)) throw err;
  }
}
