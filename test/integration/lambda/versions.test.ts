import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateAliasCommand, DeleteFunctionCommand, GetAliasCommand, GetFunctionConfigurationCommand, InvokeCommand, ListAliasesCommand,
  ListVersionsByFunctionCommand, PublishVersionCommand, UpdateAliasCommand, UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { createNodeFunction, json, nodeZip, startLambda, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
before(async () => {
  env = await startLambda();
});
after(() => env.kumo.stop());

const versionSource = (v: string) => `exports.handler = async () => ({ v: ${JSON.stringify(v)}, version: process.env.AWS_LAMBDA_FUNCTION_VERSION });`;

async function invoke(FunctionName: string, Qualifier?: string) {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName, Qualifier, Payload: Buffer.from('{}') }));
  return { out, body: json(out.Payload) };
}

test('PublishVersion freezes code; $LATEST moves on; unchanged code publishes nothing new', async () => {
  const { name } = await createNodeFunction(env, versionSource('one'));
  const v1 = await env.lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'first' }));
  assert.equal(v1.Version, '1');
  assert.equal(v1.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}:1`);
  assert.equal(v1.Description, 'first');
  const again = await env.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  assert.equal(again.Version, '1');
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: nodeZip(versionSource('two')) }));
  const v2 = await env.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  assert.equal(v2.Version, '2');
  assert.deepEqual((await invoke(name, '1')).body, { v: 'one', version: '1' });
  assert.equal((await invoke(name, '1')).out.ExecutedVersion, '1');
  assert.deepEqual((await invoke(`${name}:2`)).body, { v: 'two', version: '2' });
  assert.deepEqual((await invoke(`arn:aws:lambda:us-east-1:000000000000:function:${name}:$LATEST`)).body, { v: 'two', version: '$LATEST' });
  const versions = await env.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1', '2']);
  await assert.rejects(invoke(name, '9'), (e: any) => e.name === 'ResourceNotFoundException' && e.message === `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}:9`);
  await assert.rejects(env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${name}:1`, Qualifier: '2' })), (e: any) => e.name === 'InvalidParameterValueException');
});

test('aliases point at versions, route by weight, and protect their versions from deletion', async () => {
  const { name } = await createNodeFunction(env, versionSource('one'), { Publish: true });
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: nodeZip(versionSource('two')), Publish: true }));
  const alias = await env.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
  assert.equal(alias.AliasArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}:live`);
  assert.deepEqual((await invoke(name, 'live')).body, { v: 'one', version: '1' });
  await assert.rejects(env.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' })), (e: any) => e.name === 'ResourceConflictException');
  await assert.rejects(env.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'x', FunctionVersion: '7' })), (e: any) => e.name === 'ResourceNotFoundException');
  const all = await env.lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 1 } } }));
  assert.deepEqual(all.RoutingConfig?.AdditionalVersionWeights, { '2': 1 });
  for (let i = 0; i < 3; i++) assert.equal((await invoke(name, 'live')).out.ExecutedVersion, '2');
  await env.lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }));
  const seen = new Set<string>();
  for (let i = 0; i < 30; i++) seen.add((await invoke(`${name}:live`)).out.ExecutedVersion!);
  assert.deepEqual([...seen].sort(), ['1', '2']);
  await assert.rejects(env.lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '$LATEST' })), (e: any) => e.name === 'InvalidParameterValueException');
  const got = await env.lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
  assert.equal(got.FunctionVersion, '1');
  const list = await env.lambda.send(new ListAliasesCommand({ FunctionName: name }));
  assert.deepEqual(list.Aliases?.map((a) => a.Name), ['live']);
  await assert.rejects(env.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' })), (e: any) => e.name === 'ResourceConflictException');
  await assert.rejects(env.lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'nope' })), (e: any) =>
    e.name === 'ResourceNotFoundException' && e.message === `Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:${name}:nope`);
});
