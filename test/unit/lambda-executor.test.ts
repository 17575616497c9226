import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, test } from 'node:test';
import { Executor, type FunctionSpec } from '../../src/lambda/executor.ts';
import { makeZip, type ZipInput } from '../helpers/zip.ts';

const executor = new Executor();
after(() => executor.close());

let n = 0;
function spec(runtime: string, handler: string, files: Record<string, ZipInput>, extra: Partial<FunctionSpec> = {}): FunctionSpec {
  const zip = makeZip(files);
  const id = createHash('sha256').update(zip).digest('hex');
  return {
    key: `k${n++}`, runtime, handler, timeoutSeconds: 3, memoryMb: 128, maxProcesses: 2,
    env: { AWS_LAMBDA_FUNCTION_NAME: 'f', AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128', AWS_REGION: 'us-east-1' },
    code: { id, load: async () => zip }, layers: [], ...extra,
  };
}

const req = (payload: unknown, id = `req-${n++}`) => ({ requestId: id, payload: Buffer.from(JSON.stringify(payload)), invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', version: '$LATEST' });

test('node: async handler, warm reuse, log lines', async () => {
  const s = spec('nodejs20.x', 'index.handler', { 'index.js': 'let count = 0; exports.handler = async (e, ctx) => { console.log("hi", e.x); return { x: e.x, count: ++count, mem: ctx.memoryLimitInMB, left: ctx.getRemainingTimeInMillis() > 0 }; };' });
  const r1 = await executor.invoke(s, req({ x: 1 }, 'r-1'));
  assert.deepEqual(JSON.parse(r1.payload.toString()), { x: 1, count: 1, mem: '128', left: true });
  assert.match(r1.log, /^START RequestId: r-1 Version: \$LATEST\n.*\tr-1\tINFO\thi 1\nEND RequestId: r-1\nREPORT RequestId: r-1\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t\n$/s);
  const r2 = await executor.invoke(s, req({ x: 2 }));
  assert.equal(JSON.parse(r2.payload.toString()).count, 2);
  assert.doesNotMatch(r2.log, /Init Duration/);
});

test('node: ESM, callback style and errors', async () => {
  const esm = spec('nodejs20.x', 'app.run', { 'app.mjs': 'export const run = async () => "esm";' });
  assert.equal((await executor.invoke(esm, req({}))).payload.toString(), '"esm"');
  const cb = spec('nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = (e, c, cb) => setTimeout(() => cb(null, { ok: true }), 5);' });
  assert.equal((await executor.invoke(cb, req({}))).payload.toString(), '{"ok":true}');
  const err = spec('nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async () => { throw new TypeError("boom"); };' });
  const r = await executor.invoke(err, req({}));
  assert.equal(r.functionError, 'Unhandled');
  const body = JSON.parse(r.payload.toString());
  assert.equal(body.errorType, 'TypeError');
  assert.equal(body.errorMessage, 'boom');
  assert.ok(Array.isArray(body.trace));
});

test('node: missing module and missing handler', async () => {
  const r = await executor.invoke(spec('nodejs20.x', 'nope.handler', { 'index.js': '' }), req({}));
  assert.equal(r.functionError, 'Unhandled');
  assert.deepEqual(JSON.parse(r.payload.toString()).errorType, 'Runtime.ImportModuleError');
  assert.match(JSON.parse(r.payload.toString()).errorMessage, /Cannot find module 'nope'/);
  const r2 = await executor.invoke(spec('nodejs20.x', 'index.nothere', { 'index.js': 'exports.x = 1' }), req({}));
  assert.deepEqual(JSON.parse(r2.payload.toString()), { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.nothere is undefined or not exported', trace: JSON.parse(r2.payload.toString()).trace });
});

test('timeout kills the process', async () => {
  const s = spec('nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = () => new Promise(() => setInterval(() => {}, 1000));' }, { timeoutSeconds: 1 });
  const r = await executor.invoke(s, req({}, 'slow'));
  assert.equal(r.functionError, 'Unhandled');
  assert.deepEqual(JSON.parse(r.payload.toString()), { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: slow Error: Task timed out after 1.00 seconds' });
  assert.match(r.log, /Task timed out after 1\.00 seconds/);
  assert.match(r.log, /Status: timeout/);
});

test('python: handler, context, error', { skip: !process.env.PATH?.includes('/') }, async () => {
  const s = spec('python3.11', 'app.handler', { 'app.py': 'import logging\ndef handler(event, context):\n    print("printed")\n    if event.get("fail"):\n        raise ValueError("bad value")\n    return {"name": context.function_name, "x": event["x"]}\n' });
  const r = await executor.invoke(s, req({ x: 5 }));
  assert.deepEqual(JSON.parse(r.payload.toString()), { name: 'f', x: 5 });
  assert.match(r.log, /printed/);
  const e = await executor.invoke(s, req({ fail: true }));
  assert.equal(e.functionError, 'Unhandled');
  const body = JSON.parse(e.payload.toString());
  assert.equal(body.errorType, 'ValueError');
  assert.equal(body.errorMessage, 'bad value');
  const missing = await executor.invoke(spec('python3.11', 'nomod.handler', { 'app.py': '' }), req({}));
  assert.equal(JSON.parse(missing.payload.toString()).errorType, 'Runtime.ImportModuleError');
});

test('provided: a shell bootstrap speaking the Runtime API', async () => {
  const bootstrap = `#!/bin/sh
set -e
while true; do
  HEADERS=$(mktemp)
  EVENT=$(curl -sS -D "$HEADERS" "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next")
  ID=$(grep -i lambda-runtime-aws-request-id "$HEADERS" | tr -d '\\r' | cut -d' ' -f2)
  curl -sS -X POST "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/$ID/response" -d "{\\"echo\\":$EVENT}" >/dev/null
done
`;
  const s = spec('provided.al2023', 'x', { bootstrap: { data: bootstrap, mode: 0o755 } });
  const r = await executor.invoke(s, req({ a: 1 }));
  assert.deepEqual(JSON.parse(r.payload.toString()), { echo: { a: 1 } });
  const none = await executor.invoke(spec('provided.al2023', 'x', { 'other': 'x' }), req({}));
  assert.equal(JSON.parse(none.payload.toString()).errorType, 'Runtime.InvalidEntrypoint');
});

test('concurrent invocations use more processes, up to the limit', async () => {
  const s = spec('nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async (e) => { await new Promise(r => setTimeout(r, 200)); return process.pid; };' });
  const pids = await Promise.all([1, 2, 3, 4].map(() => executor.invoke(s, req({})).then((r) => r.payload.toString())));
  assert.equal(new Set(pids).size, 2);
});
