/**
 * What other services call in-process: SNS and EventBridge targets, Scheduler, Secrets Manager
 * rotation, CloudWatch alarm actions. Each call runs the Invoke handler itself in the function's
 * account and region, so limits, versions, aliases, concurrency and async retries are the same
 * as for an SDK call.
 */
import { AwsError } from '../../protocol/aws-error.ts';
import type { ServiceRuntime } from '../framework/define.ts';
import { Invoke } from './invoke.ts';
import { pad } from './records.ts';
import { runtimeOf } from './store.ts';

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/;

export interface InternalInvokeResult {
  payload?: Buffer;
  functionError?: string;
}

function target(rt: ServiceRuntime, functionArn: string, operation: string) {
  const m = FUNCTION_ARN.exec(functionArn);
  if (!m) throw new AwsError('InvalidParameterValueException', `Invalid function ARN: ${functionArn}`, 400);
  return { ctx: rt.contextFor(m[2]!, m[1]!, operation), name: m[3]!, qualifier: m[4] };
}

function body(payload: Buffer | string | undefined): Buffer | undefined {
  return payload === undefined ? undefined : Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
}

export function lambdaInternal(rt: ServiceRuntime) {
  return {
    /** RequestResponse: waits for the function; throws AwsError (e.g. ResourceNotFoundException). */
    async invoke(_caller: unknown, functionArn: string, payload?: Buffer | string): Promise<InternalInvokeResult> {
      const { ctx, name, qualifier } = target(rt, functionArn, 'Invoke');
      const out = await Invoke({ FunctionName: name, Qualifier: qualifier, Payload: body(payload) }, ctx);
      const result: InternalInvokeResult = {};
      if (out.Payload !== undefined) result.payload = Buffer.from(out.Payload);
      if (out.FunctionError !== undefined) result.functionError = out.FunctionError;
      return result;
    },
    /** Whether the ARN names a function (and, when qualified, a version or alias of it) this kumo has. */
    functionExists(_caller: unknown, functionArn: string): boolean {
      const m = FUNCTION_ARN.exec(functionArn);
      if (!m) return false;
      const scope = runtimeOf(rt).scope(m[2]!, m[1]!);
      const fn = scope.functions.get(m[3]!);
      if (!fn) return false;
      const q = m[4];
      return q === undefined || q === '$LATEST' || scope.versions.has(`${fn.name}/${pad(Number(q))}`) || scope.aliases.has(`${fn.name}/${q}`);
    },
    /** Event: queued with Lambda's own retries and destinations; throws AwsError when the function is missing. */
    async invokeAsync(_caller: unknown, functionArn: string, payload?: Buffer | string): Promise<void> {
      const { ctx, name, qualifier } = target(rt, functionArn, 'Invoke');
      await Invoke({ FunctionName: name, Qualifier: qualifier, InvocationType: 'Event', Payload: body(payload) }, ctx);
    },
  };
}
