import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand, ListFunctionsCommand,
  UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { createNodeFunction, nodeZip, ROLE, startLambda, uniqueName, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
before(async () => {
  env = await startLambda();
});
after(() => env.kumo.stop());

const SOURCE = 'exports.handler = async () => "ok";';

test('CreateFunction returns the configuration with CodeSha256, CodeSize and defaults', async () => {
  const zip = nodeZip(SOURCE);
  const { name, out } = await createNodeFunction(env, SOURCE, { Code: { ZipFile: zip }, Environment: { Variables: { AA: '1' } } });
  assert.equal(out.FunctionName, name);
  assert.equal(out.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}`);
  assert.equal(out.CodeSha256, createHash('sha256').update(zip).digest('base64'));
  assert.equal(out.CodeSize, zip.length);
  assert.equal(out.Timeout, 3);
  assert.equal(out.MemorySize, 128);
  assert.equal(out.Version, '$LATEST');
  assert.equal(out.State, 'Active');
  assert.equal(out.LastUpdateStatus, 'Successful');
  assert.equal(out.PackageType, 'Zip');
  assert.deepEqual(out.Architectures, ['x86_64']);
  assert.deepEqual(out.Environment?.Variables, { AA: '1' });
  assert.match(out.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  assert.match(out.RevisionId!, /^[0-9a-f-]{36}$/);
});

test('GetFunction and GetFunctionConfiguration; unknown functions are ResourceNotFoundException', async () => {
  const { name } = await createNodeFunction(env, SOURCE, { Tags: { team: 'a' } });
  const got = await env.lambda.send(new GetFunctionCommand({ FunctionName: name }));
  assert.equal(got.Configuration?.FunctionName, name);
  assert.deepEqual(got.Tags, { team: 'a' });
  const byArn = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `arn:aws:lambda:us-east-1:000000000000:function:${name}` }));
  assert.equal(byArn.FunctionName, name);
  await assert.rejects(env.lambda.send(new GetFunctionCommand({ FunctionName: 'nope-nothing' })), (e: any) => {
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.$metadata.httpStatusCode, 404);
    assert.equal(e.message, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope-nothing');
    return true;
  });
});

test('creating a function twice is a ResourceConflictException', async () => {
  const { name } = await createNodeFunction(env, SOURCE);
  await assert.rejects(createNodeFunction(env, SOURCE, { FunctionName: name }), (e: any) => e.name === 'ResourceConflictException' && e.message === `Function already exist: ${name}`);
});

test('invalid runtime, timeout, memory, zip and environment are refused with AWS messages', async () => {
  const base = { FunctionName: uniqueName(), Role: ROLE, Handler: 'index.handler', Code: { ZipFile: nodeZip(SOURCE) } };
  await assert.rejects(env.lambda.send(new CreateFunctionCommand({ ...base, Runtime: 'nodejs99.x' as any })), (e: any) => {
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.match(e.message, /^Value nodejs99\.x at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs, .*\] or be a valid ARN$/);
    return true;
  });
  await assert.rejects(env.lambda.send(new CreateFunctionCommand({ ...base, Runtime: 'nodejs20.x', Timeout: 901 })), (e: any) =>
    e.name === 'ValidationException' && e.message === "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
  await assert.rejects(env.lambda.send(new CreateFunctionCommand({ ...base, Runtime: 'nodejs20.x', Timeout: 0 })), (e: any) => e.name === 'ValidationException');
  await assert.rejects(env.lambda.send(new CreateFunctionCommand({ ...base, Runtime: 'nodejs20.x', MemorySize: 10241 })), (e: any) =>
    e.name === 'ValidationException' && /at 'memorySize'.*less than or equal to 10240/.test(e.message));
  await assert.rejects(env.lambda.send(new CreateFunctionCommand({ ...base, Runtime: 'nodejs20.x', MemorySize: 64 })), (e: any) => e.name === 'ValidationException');
  await assert.rejects(env.lambda.send(new CreateFunctionCommand({ ...base, Runtime: 'nodejs20.x', Code: { ZipFile: Buffer.from('not a zip') } })), (e: any) =>
    e.name === 'InvalidParameterValueException' && e.message === 'Could not unzip uploaded file. Please check your file, then try to upload again.');
  await assert.rejects(env.lambda.send(new CreateFunctionCommand({ ...base, Runtime: 'nodejs20.x', Environment: { Variables: { BIG: 'x'.repeat(4100) } } })), (e: any) =>
    e.name === 'InvalidParameterValueException' && e.message.startsWith('Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"BIG":'));
  await assert.rejects(env.lambda.send(new CreateFunctionCommand({ ...base, Runtime: 'nodejs20.x', Environment: { Variables: { AWS_REGION: 'x' } } })), (e: any) =>
    e.name === 'InvalidParameterValueException' && e.message.endsWith('Reserved keys used in this request: AWS_REGION'));
  await assert.rejects(env.lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'bad name!', Runtime: 'nodejs20.x' })), (e: any) => e.name === 'ValidationException');
  await assert.rejects(env.lambda.send(new GetFunctionCommand({ FunctionName: base.FunctionName })), (e: any) => e.name === 'ResourceNotFoundException');
});

test('zips with paths outside the root are refused', async () => {
  const { makeZip } = await import('../../helpers/zip.ts');
  await assert.rejects(createNodeFunction(env, SOURCE, { Code: { ZipFile: makeZip({ '../evil.js': 'x' }) } }), (e: any) => e.name === 'InvalidParameterValueException');
});

test('ListFunctions pages with MaxItems and Marker', async () => {
  const names = new Set<string>();
  for (let i = 0; i < 5; i++) names.add((await createNodeFunction(env, SOURCE, { FunctionName: uniqueName('page') })).name);
  const seen: string[] = [];
  let marker: string | undefined;
  do {
    const page = await env.lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
    assert.ok(page.Functions!.length <= 2);
    seen.push(...page.Functions!.map((f) => f.FunctionName!));
    marker = page.NextMarker;
  } while (marker);
  for (const n of names) assert.ok(seen.includes(n));
  assert.equal(new Set(seen).size, seen.length);
  assert.deepEqual(seen, [...seen].sort());
});

test('UpdateFunctionCode and UpdateFunctionConfiguration change the revision', async () => {
  const { name, out } = await createNodeFunction(env, SOURCE);
  const zip = nodeZip('exports.handler = async () => "v2";');
  const code = await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip }));
  assert.equal(code.CodeSha256, createHash('sha256').update(zip).digest('base64'));
  assert.notEqual(code.RevisionId, out.RevisionId);
  const conf = await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 30, MemorySize: 512, Description: 'd', Environment: { Variables: { BB: '2' } } }));
  assert.equal(conf.Timeout, 30);
  assert.equal(conf.MemorySize, 512);
  assert.equal(conf.Description, 'd');
  assert.equal(conf.CodeSha256, code.CodeSha256);
  assert.deepEqual(conf.Environment?.Variables, { BB: '2' });
  await assert.rejects(env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 5, RevisionId: out.RevisionId })), (e: any) => e.name === 'PreconditionFailedException');
});

test('DeleteFunction removes it', async () => {
  const { name } = await createNodeFunction(env, SOURCE);
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
  await assert.rejects(env.lambda.send(new GetFunctionCommand({ FunctionName: name })), (e: any) => e.name === 'ResourceNotFoundException');
  await assert.rejects(env.lambda.send(new DeleteFunctionCommand({ FunctionName: name })), (e: any) => e.name === 'ResourceNotFoundException');
});
