import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { test } from 'node:test';
import {
  CreateBucketCommand, DeleteBucketCommand, GetBucketLocationCommand, GetObjectCommand, HeadBucketCommand, ListBucketsCommand,
  ListObjectsV2Command, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { rejects, s3Harness, text } from './setup.ts';

const h = s3Harness();

/** Resolves every host name to loopback, so that `bucket.localhost` virtual hosts reach kumo. */
const loopback = new Agent({
  lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
    opts?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never,
});

function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(h.kumo.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('create, head, list and delete a bucket', async () => {
  const name = h.name();
  const created = await h.s3.send(new CreateBucketCommand({ Bucket: name }));
  assert.equal(created.Location, `/${name}`);
  const head = await h.s3.send(new HeadBucketCommand({ Bucket: name }));
  assert.equal(head.BucketRegion, 'us-east-1');
  const list = await h.s3.send(new ListBucketsCommand({}));
  assert.ok(list.Buckets!.some((b) => b.Name === name && b.CreationDate instanceof Date));
  assert.match(list.Owner!.ID!, /^[0-9a-f]{64}$/);
  await h.s3.send(new DeleteBucketCommand({ Bucket: name }));
  await rejects(h.s3.send(new HeadBucketCommand({ Bucket: name })), 'NotFound');
  await rejects(h.s3.send(new DeleteBucketCommand({ Bucket: name })), 'NoSuchBucket', 'The specified bucket does not exist');
});

test('invalid bucket names are InvalidBucketName', async () => {
  for (const bad of ['ab', 'UpperCase', 'under_score', 'a..b', '192.168.1.1', 'xn--abc', '-start', 'end-', 'a'.repeat(64)]) {
    await rejects(h.s3.send(new CreateBucketCommand({ Bucket: bad })), 'InvalidBucketName', 'The specified bucket is not valid.');
  }
});

test('location constraints: regional buckets, us-east-1 rules, GetBucketLocation format', async () => {
  const eu = h.name();
  await h.s3.send(new CreateBucketCommand({ Bucket: eu, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  assert.equal((await h.s3.send(new GetBucketLocationCommand({ Bucket: eu }))).LocationConstraint, 'eu-west-1');
  const us = await h.bucket();
  assert.equal((await h.s3.send(new GetBucketLocationCommand({ Bucket: us }))).LocationConstraint, undefined);
  await rejects(
    h.s3.send(new CreateBucketCommand({ Bucket: h.name(), CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as 'eu-west-1' } })),
    'InvalidLocationConstraint',
    'The specified location-constraint is not valid',
  );
  await rejects(
    h.s3.send(new CreateBucketCommand({ Bucket: h.name(), CreateBucketConfiguration: { LocationConstraint: 'mars-north-1' as 'eu-west-1' } })),
    'InvalidLocationConstraint',
  );
  // The SDK fills in its region as the constraint, so the unspecified case is a hand-signed request.
  const unspecified = await raw('PUT', `/${h.name()}`, { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=00' });
  assert.equal(unspecified.status, 400);
  assert.match(unspecified.body, /<Code>IllegalLocationConstraintException<\/Code><Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.<\/Message>/);
  const euClient = h.client({ region: 'eu-west-1' });
  await rejects(
    euClient.send(new CreateBucketCommand({ Bucket: h.name(), CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })),
    'IllegalLocationConstraintException',
    'The us-west-2 location constraint is incompatible for the region specific endpoint this request was sent to.',
  );
  const xml = await raw('GET', `/${eu}?location`);
  assert.match(xml.body, /<LocationConstraint xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">eu-west-1<\/LocationConstraint>/);
  const empty = await raw('GET', `/${us}?location`);
  assert.match(empty.body, /<LocationConstraint xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"><\/LocationConstraint>/);
});

test('bucket names are global: other accounts get BucketAlreadyExists, the owner outside us-east-1 BucketAlreadyOwnedByYou', async () => {
  const name = await h.bucket();
  await h.s3.send(new CreateBucketCommand({ Bucket: name }));
  const other = h.client({ credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } });
  await rejects(other.send(new CreateBucketCommand({ Bucket: name })), 'BucketAlreadyExists');
  assert.ok(!(await other.send(new ListBucketsCommand({}))).Buckets?.some((b) => b.Name === name));
  const eu = h.name();
  const euClient = h.client({ region: 'eu-west-1' });
  await euClient.send(new CreateBucketCommand({ Bucket: eu, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  await rejects(
    euClient.send(new CreateBucketCommand({ Bucket: eu, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
    'BucketAlreadyOwnedByYou',
    'Your previous request to create the named bucket succeeded and you already own it.',
  );
});

test('DeleteBucket refuses a bucket with objects: BucketNotEmpty', async () => {
  const name = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
  await rejects(h.s3.send(new DeleteBucketCommand({ Bucket: name })), 'BucketNotEmpty', 'The bucket you tried to delete is not empty');
});

test('ListBuckets: prefix and pagination', async () => {
  const prefix = h.name('page');
  for (let i = 0; i < 3; i++) await h.s3.send(new CreateBucketCommand({ Bucket: `${prefix}-${i}` }));
  const first = await h.s3.send(new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2 }));
  assert.deepEqual(first.Buckets!.map((b) => b.Name), [`${prefix}-0`, `${prefix}-1`]);
  assert.equal(first.Prefix, prefix);
  assert.ok(first.ContinuationToken);
  const second = await h.s3.send(new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2, ContinuationToken: first.ContinuationToken }));
  assert.deepEqual(second.Buckets!.map((b) => b.Name), [`${prefix}-2`]);
  assert.equal(second.ContinuationToken, undefined);
});

test('virtual-host addressing: bucket.localhost and bucket.s3.<host> reach the bucket', async () => {
  const name = await h.bucket();
  const port = new URL(h.kumo.endpoint).port;
  const vhost = h.client({
    endpoint: `http://localhost:${port}`,
    forcePathStyle: false,
    requestHandler: new NodeHttpHandler({ httpAgent: loopback }),
  });
  await vhost.send(new PutObjectCommand({ Bucket: name, Key: 'dir/v.txt', Body: 'virtual' }));
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: name, Key: 'dir/v.txt' }))).Body), 'virtual');
  const listed = await vhost.send(new ListObjectsV2Command({ Bucket: name }));
  assert.deepEqual(listed.Contents!.map((o) => o.Key), ['dir/v.txt']);
  const viaS3Host = await raw('GET', '/dir/v.txt', { host: `${name}.s3.localhost:${port}` });
  assert.equal(viaS3Host.status, 200);
  assert.equal(viaS3Host.body, 'virtual');
});

test('errors are S3 XML documents with Code, Message, resource fields, RequestId and HostId', async () => {
  const res = await raw('GET', `/${h.name('missing')}/some/key`);
  assert.equal(res.status, 404);
  assert.equal(res.headers['content-type'], 'application/xml');
  assert.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>missing-[^<]+<\/BucketName><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
  assert.equal(res.headers['x-amz-request-id'], /<RequestId>([^<]+)</.exec(res.body)![1]);
  const name = await h.bucket();
  const key = await raw('GET', `/${name}/no/such/key`);
  assert.match(key.body, /<Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>no\/such\/key<\/Key>/);
  const badArg = await raw('GET', `/${name}?list-type=2&max-keys=lots`);
  assert.equal(badArg.status, 400);
  assert.match(badArg.body, /<Code>InvalidArgument<\/Code><Message>Provided max-keys not an integer or within integer range<\/Message><ArgumentName>max-keys<\/ArgumentName><ArgumentValue>lots<\/ArgumentValue>/);
  const malformed = await raw('PUT', `/${name}?tagging`, { 'content-type': 'application/xml' }, '<Tagging><TagSet>');
  assert.equal(malformed.status, 400);
  assert.match(malformed.body, /<Code>MalformedXML<\/Code>/);
});

test('x-amz-expected-bucket-owner must name the owning account', async () => {
  const name = await h.bucket();
  await h.s3.send(new HeadBucketCommand({ Bucket: name, ExpectedBucketOwner: '000000000000' }));
  await rejects(h.s3.send(new ListObjectsV2Command({ Bucket: name, ExpectedBucketOwner: '111122223333' })), 'AccessDenied', 'Access Denied');
});
