import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceIndex } from '../../src/protocol/models.ts';
import { Router, virtualHostBucket, s3PathStyle } from '../../src/server/router.ts';
import { credentialScope, accountFor } from '../../src/server/credentials.ts';

const implemented = new Set(['sts', 'sqs', 's3', 'dynamodb', 'cloudwatch', 'iam']);
const router = new Router(serviceIndex(), (id) => implemented.has(id));
const base = { method: 'POST', path: '/', hostname: 'localhost', scope: undefined };

test('X-Amz-Target picks the json service', () => {
  const [r] = router.route({ ...base, headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' } });
  assert.deepEqual(r, { service: 'dynamodb', protocol: 'json', operation: 'PutItem', path: '/' });
});

test('SQS json target routes to json even though it also speaks query', () => {
  const [r] = router.route({ ...base, headers: { 'x-amz-target': 'AmazonSQS.SendMessage' } });
  assert.equal(r!.service, 'sqs');
  assert.equal(r!.protocol, 'json');
});

test('rpc-v2-cbor path picks the service by its smithy name', () => {
  const [r] = router.route({ ...base, path: '/service/GraniteServiceVersion20100801/operation/PutMetricData', headers: { 'smithy-protocol': 'rpc-v2-cbor' } });
  assert.deepEqual(r, { service: 'cloudwatch', protocol: 'smithy-rpc-v2-cbor', operation: 'PutMetricData', path: r!.path });
});

test('SigV4 scope + form body picks the query protocol', () => {
  const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const scope = { accessKeyId: 'test', region: 'eu-west-1', service: 'sqs' };
  const [r] = router.route({ ...base, headers, scope });
  assert.equal(r!.service, 'sqs');
  assert.equal(r!.protocol, 'query');
  const [cw] = router.route({ ...base, headers, scope: { ...scope, service: 'monitoring' } });
  assert.equal(cw!.service, 'cloudwatch');
  assert.equal(cw!.protocol, 'query');
});

test('S3 virtual-host requests are rewritten to path style', () => {
  const scope = { accessKeyId: 'test', region: 'us-east-1', service: 's3' };
  const [r] = router.route({ method: 'GET', path: '/some/key', headers: {}, hostname: 'my-bucket.s3.localhost', scope });
  assert.equal(r!.service, 's3');
  assert.equal(r!.path, '/my-bucket/some/key');
  assert.equal(s3PathStyle('bucket.localhost', '/'), '/bucket');
  assert.equal(virtualHostBucket('localhost'), undefined);
  assert.equal(virtualHostBucket('s3.localhost'), undefined);
  assert.equal(virtualHostBucket('a.b.localhost'), 'a.b');
});

test('unsigned requests fall back to S3 path style', () => {
  const routes = router.route({ method: 'GET', path: '/bucket/key', headers: {}, hostname: 'localhost', scope: undefined });
  assert.equal(routes.at(-1)!.service, 's3');
});

test('credential scope from the Authorization header and from presigned query', () => {
  const h = credentialScope({ authorization: 'AWS4-HMAC-SHA256 Credential=123456789012/20240101/ap-south-1/s3/aws4_request, SignedHeaders=host, Signature=abc' }, undefined);
  assert.deepEqual(h, { accessKeyId: '123456789012', region: 'ap-south-1', service: 's3' });
  const q = credentialScope({}, new URLSearchParams('X-Amz-Credential=AKID%2F20240101%2Fus-west-2%2Fs3%2Faws4_request'));
  assert.deepEqual(q, { accessKeyId: 'AKID', region: 'us-west-2', service: 's3' });
  assert.equal(accountFor(h, '000000000000'), '123456789012');
  assert.equal(accountFor(q, '000000000000'), '000000000000');
});
