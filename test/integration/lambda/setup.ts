import { CreateFunctionCommand, LambdaClient, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import type { Kumo, KumoOptions } from '../../../src/index.ts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';
import { makeZip, type ZipInput } from '../../helpers/zip.ts';

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

export interface LambdaEnv {
  kumo: Kumo;
  lambda: LambdaClient;
}

export async function startLambda(options: KumoOptions = {}): Promise<LambdaEnv> {
  const kumo = await startTestKumo(options);
  return { kumo, lambda: new LambdaClient(clientConfig(kumo.endpoint)) };
}

let counter = 0;
/** A function name unique within the test file. */
export function uniqueName(prefix = 'fn'): string {
  return `${prefix}-${process.pid}-${counter++}`;
}

export function nodeZip(source: string, file = 'index.js'): Uint8Array {
  return makeZip({ [file]: source });
}

export function zipOf(files: Record<string, ZipInput>): Uint8Array {
  return makeZip(files);
}

export async function createNodeFunction(env: LambdaEnv, source: string, extra: Partial<CreateFunctionCommandInput> = {}) {
  const name = extra.FunctionName ?? uniqueName();
  const out = await env.lambda.send(new CreateFunctionCommand({
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Role: ROLE,
    Handler: 'index.handler',
    Code: { ZipFile: nodeZip(source) },
    ...extra,
  }));
  return { name, out };
}

export function json(payload: Uint8Array | undefined): any {
  return JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
}
