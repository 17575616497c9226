import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { clientConfig } from '../../helpers/kumo.ts';
import { createNodeFunction, json, startLambda, zipOf, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
before(async () => {
  env = await startLambda();
});
after(() => env.kumo.stop());

const invoke = (FunctionName: string, payload?: unknown, extra: Record<string, unknown> = {}) =>
  env.lambda.send(new InvokeCommand({ FunctionName, Payload: payload === undefined ? undefined : Buffer.from(JSON.stringify(payload)), ...extra }));

test('RequestResponse returns the handler result and the executed version', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async (event) => ({ got: event });');
  const out = await invoke(name, { a: 1 });
  assert.equal(out.StatusCode, 200);
  assert.equal(out.ExecutedVersion, '$LATEST');
  assert.equal(out.FunctionError, undefined);
  assert.deepEqual(json(out.Payload), { got: { a: 1 } });
  assert.deepEqual(json((await invoke(name)).Payload), { got: {} });
});

test('the function sees kumo endpoint, region, credentials and the AWS_LAMBDA_* variables', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async (e, ctx) => ({ env: process.env, ctx: { name: ctx.functionName, mem: ctx.memoryLimitInMB, id: ctx.awsRequestId, arn: ctx.invokedFunctionArn } });', {
    MemorySize: 256, Environment: { Variables: { MY_VAR: 'mine' } },
  });
  const out = await invoke(name, {});
  const { env: e, ctx } = json(out.Payload);
  assert.equal(e.AWS_ENDPOINT_URL, env.kumo.endpoint);
  assert.equal(e.AWS_REGION, 'us-east-1');
  assert.equal(e.AWS_DEFAULT_REGION, 'us-east-1');
  assert.equal(e.AWS_ACCESS_KEY_ID, '000000000000');
  assert.ok(e.AWS_SECRET_ACCESS_KEY && e.AWS_SESSION_TOKEN);
  assert.equal(e.AWS_LAMBDA_FUNCTION_NAME, name);
  assert.equal(e.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
  assert.equal(e.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
  assert.equal(e.AWS_LAMBDA_LOG_GROUP_NAME, `/aws/lambda/${name}`);
  assert.match(e.AWS_LAMBDA_LOG_STREAM_NAME, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  assert.equal(e.MY_VAR, 'mine');
  assert.equal(e._HANDLER, 'index.handler');
  assert.equal(e.TZ, ':UTC');
  assert.ok(e.LAMBDA_TASK_ROOT && e.AWS_LAMBDA_RUNTIME_API);
  assert.deepEqual(ctx, { name, mem: '256', id: out.$metadata.requestId, arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}` });
});

test('LogType Tail returns the last 4 KB of the log with START, END and REPORT', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => { console.log("hello from", "lambda"); return 1; };');
  const out = await invoke(name, {}, { LogType: 'Tail' });
  const log = Buffer.from(out.LogResult!, 'base64').toString('utf8');
  const id = out.$metadata.requestId!;
  assert.match(log, new RegExp(`START RequestId: ${id} Version: \\$LATEST\\n`));
  assert.match(log, new RegExp(`\\t${id}\\tINFO\\thello from lambda\\n`));
  assert.match(log, new RegExp(`END RequestId: ${id}\\nREPORT RequestId: ${id}\\tDuration: `));
  const chatty = await createNodeFunction(env, 'exports.handler = async () => { for (let i = 0; i < 500; i++) console.log("line " + i); return 1; };');
  const big = await invoke(chatty.name, {}, { LogType: 'Tail' });
  assert.ok(Buffer.from(big.LogResult!, 'base64').length <= 4096);
});

test('an unhandled error is FunctionError Unhandled with AWS payload', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => { throw new Error("it broke"); };');
  const out = await invoke(name, {});
  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, 'Unhandled');
  const body = json(out.Payload);
  assert.equal(body.errorType, 'Error');
  assert.equal(body.errorMessage, 'it broke');
  assert.ok(body.trace[0].startsWith('Error: it broke'));
});

test('a missing handler module is Runtime.ImportModuleError', async () => {
  const { name } = await createNodeFunction(env, 'exports.x = 1;', { Handler: 'missing.handler' });
  const out = await invoke(name, {});
  assert.equal(out.FunctionError, 'Unhandled');
  const body = json(out.Payload);
  assert.equal(body.errorType, 'Runtime.ImportModuleError');
  assert.equal(body.errorMessage, "Error: Cannot find module 'missing'\nRequire stack:\n- /var/runtime/index.mjs");
});

test('a timeout kills the process and reports Sandbox.Timedout', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = () => new Promise(() => setInterval(() => {}, 1000));', { Timeout: 1 });
  const out = await invoke(name, {});
  assert.equal(out.FunctionError, 'Unhandled');
  assert.deepEqual(json(out.Payload), { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${out.$metadata.requestId} Error: Task timed out after 1.00 seconds` });
});

test('python functions run with the stdlib runtime client', async () => {
  const { name } = await createNodeFunction(env, '', {
    Runtime: 'python3.12', Handler: 'app.handler',
    Code: { ZipFile: zipOf({ 'app.py': 'import os\ndef handler(event, context):\n    return {"sum": event["a"] + event["b"], "fn": context.function_name, "region": os.environ["AWS_REGION"]}\n' }) },
  });
  const out = await invoke(name, { a: 2, b: 3 });
  assert.deepEqual(json(out.Payload), { sum: 5, fn: name, region: 'us-east-1' });
  const bad = await invoke(name, { a: 2 });
  assert.equal(bad.FunctionError, 'Unhandled');
  assert.equal(json(bad.Payload).errorType, 'KeyError');
});

test('DryRun answers 204 without running; bad payloads are refused', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => { throw new Error("must not run"); };');
  const dry = await invoke(name, {}, { InvocationType: 'DryRun' });
  assert.equal(dry.StatusCode, 204);
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{not json') })), (e: any) => e.name === 'InvalidRequestContentException');
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify('x'.repeat(6 * 1024 * 1024))) })), (e: any) =>
    e.name === 'RequestTooLargeException' && e.$metadata.httpStatusCode === 413);
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify('x'.repeat(300 * 1024))) })), (e: any) =>
    e.name === 'RequestTooLargeException');
  await assert.rejects(invoke('no-such-function', {}), (e: any) => e.name === 'ResourceNotFoundException');
});

test('a function reaches kumo through the SDK found beside kumo (ESM handler, DynamoDB)', async () => {
  const ddb = new DynamoDBClient(clientConfig(env.kumo.endpoint));
  await ddb.send(new CreateTableCommand({ TableName: 'lambda-orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  const source = `import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async (event) => {
  await client.send(new PutItemCommand({ TableName: 'lambda-orders', Item: { id: { S: event.id } } }));
  return 'stored';
};`;
  const { name } = await createNodeFunction(env, '', { Code: { ZipFile: zipOf({ 'index.mjs': source }) }, Timeout: 30 });
  const out = await invoke(name, { id: 'order-1' });
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  assert.equal(json(out.Payload), 'stored');
  const item = await ddb.send(new GetItemCommand({ TableName: 'lambda-orders', Key: { id: { S: 'order-1' } } }));
  assert.equal(item.Item?.id?.S, 'order-1');
});

test('each invocation gets its own X-Ray trace header in _X_AMZN_TRACE_ID', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => process.env._X_AMZN_TRACE_ID;');
  const first = json((await invoke(name)).Payload);
  const second = json((await invoke(name)).Payload);
  for (const t of [first, second]) assert.match(t, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
  assert.notEqual(first, second);
});
