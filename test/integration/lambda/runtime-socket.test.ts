import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction, json, startLambda, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
before(async () => {
  env = await startLambda();
});
after(() => env.kumo.stop());

test('node functions reach the Runtime API over kumo\'s Unix socket; AWS_LAMBDA_RUNTIME_API stays host:port', { skip: process.platform === 'win32' }, async () => {
  const { name } = await createNodeFunction(env, `
const fs = require('node:fs');
exports.handler = async () => ({
  api: process.env.AWS_LAMBDA_RUNTIME_API,
  socket: process.env.KUMO_RUNTIME_API_SOCKET,
  isSocket: fs.statSync(process.env.KUMO_RUNTIME_API_SOCKET).isSocket(),
});`);
  for (let i = 0; i < 3; i++) {
    const out = json((await env.lambda.send(new InvokeCommand({ FunctionName: name }))).Payload);
    assert.match(out.api, /^127\.0\.0\.1:\d+\/[0-9a-f]{24}$/);
    assert.match(out.socket, /runtime-api\.sock$/);
    assert.equal(out.isSocket, true);
  }
});
