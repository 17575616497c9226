/** Invoke (RequestResponse, Event, DryRun) and InvokeAsync. */
import type { InvocationRequest, InvocationResponse, InvokeAsyncRequest, InvokeAsyncResponse } from '../../generated/lambda.ts';
import { AwsError } from '../../protocol/aws-error.ts';
import { logTail } from '../../lambda/logs.ts';
import type { RequestContext } from '../framework/define.ts';
import { enqueueEvent } from './async.ts';
import { requestTooLarge } from './errors.ts';
import { admit, execute, type Caller } from './execution.ts';
import { functionRef, requireFunction } from './functions.ts';
import { functionArn, isVersionNumber, type FunctionRef } from './names.ts';
import type { FunctionRecord, VersionRecord } from './records.ts';
import { scopeOf, type LambdaScope } from './store.ts';
import { resolveVersion } from './versions.ts';

export const SYNC_LIMIT = 6 * 1024 * 1024;
export const ASYNC_LIMIT = 256 * 1024;

/** The version an invocation runs: an alias with a routing config picks by weight. */
export function pickVersion(scope: LambdaScope, caller: Caller, fn: FunctionRecord, qualifier: string | undefined): VersionRecord {
  if (qualifier !== undefined && qualifier !== '$LATEST' && !isVersionNumber(qualifier)) {
    const alias = scope.aliases.get(`${fn.name}/${qualifier}`);
    if (alias?.weights) {
      const [version, weight] = Object.entries(alias.weights)[0]!;
      const roll = caller.ids.bytes(4).readUInt32BE(0) / 2 ** 32;
      if (roll < weight) return resolveVersion(scope, fn, version);
    }
  }
  return resolveVersion(scope, fn, qualifier);
}

/** Empty payloads are `{}`; anything else must be JSON, as Lambda requires. */
export function eventPayload(payload: Uint8Array | undefined): Buffer {
  if (!payload || payload.length === 0) return Buffer.from('{}');
  const buf = Buffer.from(payload);
  try {
    JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new AwsError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`, 400, { Type: 'User' });
  }
  return buf;
}

function target(ctx: RequestContext, name: string, qualifier: string | undefined): { scope: LambdaScope; fn: FunctionRecord; ref: FunctionRef } {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, name, qualifier);
  const fn = requireFunction(scope, ref, name);
  return { scope, fn, ref: ref! };
}

export async function Invoke(input: InvocationRequest, ctx: RequestContext): Promise<InvocationResponse> {
  const { scope, fn, ref } = target(ctx, input.FunctionName, input.Qualifier);
  const type = input.InvocationType ?? 'RequestResponse';
  const size = input.Payload?.length ?? 0;
  if (type === 'Event' && size > ASYNC_LIMIT) throw requestTooLarge(`Request must be smaller than ${ASYNC_LIMIT} bytes for the InvokeFunction operation`);
  if (size > SYNC_LIMIT) throw requestTooLarge(`Request must be smaller than ${SYNC_LIMIT} bytes for the InvokeFunction operation`);
  const payload = eventPayload(input.Payload);
  const v = pickVersion(scope, ctx, fn, ref.qualifier);
  if (type === 'DryRun') return { StatusCode: 204 };
  if (type === 'Event') {
    enqueueEvent(ctx, { functionName: fn.name, qualifier: ref.qualifier, payload, requestId: ctx.requestId });
    return { StatusCode: 202 };
  }
  const release = admit(ctx, fn);
  try {
    const r = await execute(ctx, fn, v, {
      requestId: ctx.requestId,
      payload,
      invokedArn: functionArn(scope, fn.name, ref.qualifier),
      clientContext: input.ClientContext ? Buffer.from(input.ClientContext, 'base64').toString('utf8') : undefined,
    });
    const out: InvocationResponse = { StatusCode: 200, ExecutedVersion: v.version, Payload: r.payload };
    if (r.functionError) out.FunctionError = r.functionError;
    if (input.LogType === 'Tail') out.LogResult = logTail(r.log);
    return out;
  } finally {
    release();
  }
}

export function InvokeAsync(input: InvokeAsyncRequest, ctx: RequestContext): InvokeAsyncResponse {
  const { fn } = target(ctx, input.FunctionName, undefined);
  const body = input.InvokeArgs as unknown as Uint8Array | undefined;
  if ((body?.length ?? 0) > ASYNC_LIMIT) throw requestTooLarge(`Request must be smaller than ${ASYNC_LIMIT} bytes for the InvokeFunction operation`);
  enqueueEvent(ctx, { functionName: fn.name, qualifier: undefined, payload: eventPayload(body), requestId: ctx.requestId });
  return { Status: 202 };
}
