import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  CreateFunctionCommand, GetFunctionCommand, InvokeCommand, PublishLayerVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clientConfig, rejects } from '../../helpers/kumo.ts';
import { json, nodeZip, ROLE, startLambda, uniqueName, zipOf, type LambdaEnv } from './setup.ts';

/** Deployment packages and layer contents named by S3Bucket/S3Key/S3ObjectVersion come from kumo's own S3. */
let env: LambdaEnv;
let s3: S3Client;
let bucket: string;
before(async () => {
  env = await startLambda();
  s3 = new S3Client({ ...clientConfig(env.kumo.endpoint), forcePathStyle: true });
  bucket = uniqueName('code');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
});
after(async () => {
  s3.destroy();
  await env.kumo.stop();
});

const returning = (value: string) => nodeZip(`exports.handler = async () => ${JSON.stringify(value)};`);

async function upload(key: string, body: Uint8Array): Promise<string | undefined> {
  return (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))).VersionId;
}

async function invoke(name: string): Promise<unknown> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return json(out.Payload);
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('base64');
}

test('CreateFunction and UpdateFunctionCode take the package from S3, by version too', async () => {
  const one = returning('one');
  const v1 = await upload('fn.zip', one);
  const two = returning('two');
  await upload('fn.zip', two);
  const name = uniqueName();
  const created = await env.lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: bucket, S3Key: 'fn.zip' },
  }));
  assert.equal(created.CodeSha256, sha256(two));
  assert.equal(created.CodeSize, two.length);
  assert.equal(await invoke(name), 'two');
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, S3Bucket: bucket, S3Key: 'fn.zip', S3ObjectVersion: v1 }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: name });
  assert.equal((await env.lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.CodeSha256, sha256(one));
  assert.equal(await invoke(name), 'one');
});

test('PublishLayerVersion takes the content from S3 and functions load it', async () => {
  const layerZip = zipOf({ 'nodejs/node_modules/greeting/index.js': 'module.exports = "from an S3 layer";' });
  await upload('layer.zip', layerZip);
  const layer = await env.lambda.send(new PublishLayerVersionCommand({
    LayerName: uniqueName('layer'), Content: { S3Bucket: bucket, S3Key: 'layer.zip' }, CompatibleRuntimes: ['nodejs20.x'],
  }));
  assert.equal(layer.Content!.CodeSha256, sha256(layerZip));
  assert.equal(layer.Content!.CodeSize, layerZip.length);
  await upload('uses-layer.zip', nodeZip('exports.handler = async () => require("greeting");'));
  const name = uniqueName();
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler',
    Code: { S3Bucket: bucket, S3Key: 'uses-layer.zip' }, Layers: [layer.LayerVersionArn!],
  }));
  assert.equal(await invoke(name), 'from an S3 layer');
});

test('a missing bucket, key or version answers as AWS does', async () => {
  const create = (code: { S3Bucket: string; S3Key: string; S3ObjectVersion?: string }) => env.lambda.send(new CreateFunctionCommand({
    FunctionName: uniqueName(), Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: code,
  }));
  await rejects(create({ S3Bucket: uniqueName('nobucket'), S3Key: 'fn.zip' }), 'InvalidParameterValueException',
    'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist');
  await rejects(create({ S3Bucket: bucket, S3Key: 'missing.zip' }), 'InvalidParameterValueException',
    'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.');
  await upload('versioned.zip', returning('x'));
  await rejects(create({ S3Bucket: bucket, S3Key: 'versioned.zip', S3ObjectVersion: 'A'.repeat(32) }), 'InvalidParameterValueException',
    'Error occurred while GetObject. S3 Error Code: NoSuchVersion. S3 Error Message: The specified version does not exist.');
  await upload('not-a-zip', Buffer.from('plain text'));
  await rejects(create({ S3Bucket: bucket, S3Key: 'not-a-zip' }), 'InvalidParameterValueException',
    'Could not unzip uploaded file. Please check your file, then try to upload again.');
});
