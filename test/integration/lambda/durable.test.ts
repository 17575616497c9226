import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CreateAliasCommand, GetAliasCommand, GetFunctionCommand, InvokeCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction, json, startLambda, zipOf } from './setup.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-lambda-durable-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('functions, versions, aliases and layers survive a restart with a data dir and still run', async () => {
  const first = await startLambda({ dataDir: dir });
  const layer = await first.lambda.send(new PublishLayerVersionCommand({ LayerName: 'durable-lib', Content: { ZipFile: zipOf({ 'nodejs/node_modules/lib/index.js': 'module.exports = "from-layer";' }) } }));
  const { name } = await createNodeFunction(first, 'exports.handler = async () => require("lib") + ":" + process.env.AWS_LAMBDA_FUNCTION_VERSION;', {
    FunctionName: 'durable-fn', Publish: true, Layers: [layer.LayerVersionArn!],
  });
  await first.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'prod', FunctionVersion: '1' }));
  assert.equal(json((await first.lambda.send(new InvokeCommand({ FunctionName: name }))).Payload), 'from-layer:$LATEST');
  const before = await first.lambda.send(new GetFunctionCommand({ FunctionName: name }));
  await first.kumo.stop();

  const second = await startLambda({ dataDir: dir });
  try {
    const after = await second.lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.deepEqual(after.Configuration, before.Configuration);
    assert.equal((await second.lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'prod' }))).FunctionVersion, '1');
    assert.equal(json((await second.lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: 'prod' }))).Payload), 'from-layer:1');
  } finally {
    await second.kumo.stop();
  }
});
