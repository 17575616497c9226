import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DeleteLayerVersionCommand, GetLayerVersionByArnCommand, GetLayerVersionCommand, InvokeCommand, ListLayersCommand,
  ListLayerVersionsCommand, PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { createNodeFunction, json, startLambda, uniqueName, zipOf, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
before(async () => {
  env = await startLambda();
});
after(() => env.kumo.stop());

async function publish(name: string, files: Record<string, string | { data: string; mode: number }>) {
  return env.lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zipOf(files) }, CompatibleRuntimes: ['nodejs20.x', 'python3.12'] }));
}

test('layer versions are numbered, listed, fetched and deleted', async () => {
  const name = uniqueName('layer');
  const v1 = await publish(name, { 'nodejs/node_modules/x/index.js': 'module.exports = 1;' });
  const v2 = await publish(name, { 'nodejs/node_modules/x/index.js': 'module.exports = 2;' });
  assert.equal(v1.Version, 1);
  assert.equal(v2.Version, 2);
  assert.equal(v2.LayerVersionArn, `arn:aws:lambda:us-east-1:000000000000:layer:${name}:2`);
  assert.ok(v2.Content?.CodeSha256 && v2.Content.CodeSize);
  const got = await env.lambda.send(new GetLayerVersionByArnCommand({ Arn: v1.LayerVersionArn! }));
  assert.equal(got.Version, 1);
  const list = await env.lambda.send(new ListLayerVersionsCommand({ LayerName: name }));
  assert.deepEqual(list.LayerVersions?.map((l) => l.Version), [2, 1]);
  const layers = await env.lambda.send(new ListLayersCommand({}));
  assert.equal(layers.Layers?.find((l) => l.LayerName === name)?.LatestMatchingVersion?.Version, 2);
  await env.lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 2 }));
  await assert.rejects(env.lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 2 })), (e: any) => e.name === 'ResourceNotFoundException');
  const v3 = await publish(name, { 'a.txt': 'x' });
  assert.equal(v3.Version, 3);
});

test('node functions find layer modules on NODE_PATH and layer binaries on PATH', async () => {
  const lib = await publish(uniqueName('nodelib'), {
    'nodejs/node_modules/greeting/index.js': 'module.exports = (n) => `hello ${n}`;',
    'bin/layer-tool': { data: '#!/bin/sh\necho tool-output\n', mode: 0o755 },
  });
  const source = `const greet = require('greeting');
const { execFileSync } = require('node:child_process');
exports.handler = async () => ({ greeting: greet('kumo'), tool: execFileSync('layer-tool').toString().trim() });`;
  const { name } = await createNodeFunction(env, source, { Layers: [lib.LayerVersionArn!] });
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name }));
  assert.deepEqual(json(out.Payload), { greeting: 'hello kumo', tool: 'tool-output' });
});

test('python functions find layer packages on PYTHONPATH', async () => {
  const lib = await publish(uniqueName('pylib'), { 'python/shout.py': 'def shout(s):\n    return s.upper() + "!"\n' });
  const { name } = await createNodeFunction(env, '', {
    Runtime: 'python3.12', Handler: 'app.handler', Layers: [lib.LayerVersionArn!],
    Code: { ZipFile: zipOf({ 'app.py': 'from shout import shout\ndef handler(event, context):\n    return shout("hi")\n' }) },
  });
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name }));
  assert.equal(json(out.Payload), 'HI!');
});

test('unknown layers and too many layers are refused', async () => {
  await assert.rejects(createNodeFunction(env, 'exports.handler = async () => 1;', { Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:nope:1'] }), (e: any) =>
    e.name === 'InvalidParameterValueException' && e.message === 'Layer version arn:aws:lambda:us-east-1:000000000000:layer:nope:1 does not exist.');
  const l = await publish(uniqueName('many'), { 'a.txt': 'a' });
  await assert.rejects(createNodeFunction(env, 'exports.handler = async () => 1;', { Layers: Array(6).fill(l.LayerVersionArn!) }), (e: any) =>
    e.name === 'InvalidParameterValueException' && e.message === 'Cannot reference more than 5 layers.');
});
