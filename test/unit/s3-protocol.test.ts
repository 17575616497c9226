import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { loadModel } from '../../src/protocol/models.ts';
import { matchRestOperation } from '../../src/protocol/rest-bindings.ts';
import { restXmlCodec } from '../../src/protocol/rest-xml.ts';
import type { RawRequest } from '../../src/protocol/types.ts';

const s3 = loadModel('s3');
const ctx = { requestId: 'r1' };
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function req(method: string, url: string, headers: Record<string, string> = {}): RawRequest {
  const q = url.indexOf('?');
  return { method, path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), headers, hostname: 'localhost', body: Buffer.alloc(0) };
}

function body(op: string, output: Record<string, unknown>): string {
  return String(restXmlCodec.serializeResponse(output, s3, s3.operations[op]!, ctx).body);
}

test('S3 responses use S3 document element names in the S3 namespace', () => {
  const roots: Array<[string, Record<string, unknown>, string]> = [
    ['ListObjectsV2', { Name: 'b' }, 'ListBucketResult'],
    ['ListObjects', { Name: 'b' }, 'ListBucketResult'],
    ['ListBuckets', { Buckets: [] }, 'ListAllMyBucketsResult'],
    ['ListObjectVersions', { Name: 'b' }, 'ListVersionsResult'],
    ['CreateMultipartUpload', { Bucket: 'b', Key: 'k', UploadId: 'u' }, 'InitiateMultipartUploadResult'],
    ['CompleteMultipartUpload', { Bucket: 'b' }, 'CompleteMultipartUploadResult'],
    ['ListParts', { Bucket: 'b' }, 'ListPartsResult'],
    ['ListMultipartUploads', { Bucket: 'b' }, 'ListMultipartUploadsResult'],
    ['DeleteObjects', { Deleted: [{ Key: 'k' }] }, 'DeleteResult'],
    ['GetBucketVersioning', { Status: 'Enabled' }, 'VersioningConfiguration'],
    ['GetObjectTagging', { TagSet: [] }, 'Tagging'],
    ['GetBucketCors', { CORSRules: [] }, 'CORSConfiguration'],
    ['GetObjectAttributes', { ETag: 'e' }, 'GetObjectAttributesResponse'],
  ];
  for (const [op, output, root] of roots) assert.match(body(op, output), new RegExp(`^<\\?xml[^>]*\\?>\\n<${root} ${NS}>`), op);
});

test('GetBucketLocation is a bare LocationConstraint element, empty for us-east-1', () => {
  assert.equal(body('GetBucketLocation', { LocationConstraint: 'eu-west-1' }), `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint ${NS}>eu-west-1</LocationConstraint>`);
  assert.equal(body('GetBucketLocation', {}), `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint ${NS}></LocationConstraint>`);
});

test('bad header and query values are S3 InvalidArgument errors naming the argument', async () => {
  const op = s3.operations.ListObjectsV2!;
  await assert.rejects(restXmlCodec.parseRequest(req('GET', '/b?list-type=2&max-keys=ten'), s3, op), (e: unknown) => {
    assert.ok(e instanceof AwsError);
    assert.equal(e.code, 'InvalidArgument');
    assert.equal(e.message, 'Provided max-keys not an integer or within integer range');
    assert.deepEqual(e.fields, { ArgumentName: 'max-keys', ArgumentValue: 'ten' });
    return true;
  });
  await assert.rejects(restXmlCodec.parseRequest(req('GET', '/b/k', { 'if-modified-since': 'someday' }), s3, s3.operations.GetObject!),
    (e: unknown) => e instanceof AwsError && e.code === 'InvalidArgument' && e.fields.ArgumentName === 'if-modified-since');
});

test('presigned URLs carry x-amz-* headers in the query; they bind like headers', async () => {
  const url = '/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&x-amz-meta-who=me&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-storage-class=GLACIER';
  const input = await restXmlCodec.parseRequest(req('PUT', url, { 'x-amz-storage-class': 'STANDARD_IA' }), s3, s3.operations.PutObject!);
  assert.deepEqual(input.Metadata, { who: 'me' });
  assert.equal(input.ChecksumCRC32, 'AAAAAA==');
  assert.equal(input.StorageClass, 'STANDARD_IA');
  const unsigned = await restXmlCodec.parseRequest(req('PUT', '/b/k?x-amz-meta-who=me'), s3, s3.operations.PutObject!);
  assert.equal(unsigned.Metadata, undefined);
});

test('a deprecated operation does not win its shared route, POST /{Bucket} is a form upload', () => {
  assert.equal(matchRestOperation(s3, 'GET', '/b', 'lifecycle')?.op.name, 'GetBucketLifecycleConfiguration');
  assert.equal(matchRestOperation(s3, 'PUT', '/b', 'notification')?.op.name, 'PutBucketNotificationConfiguration');
  assert.equal(matchRestOperation(s3, 'POST', '/b', '')?.op.name, 'PostObject');
  assert.equal(matchRestOperation(s3, 'POST', '/b', 'delete')?.op.name, 'DeleteObjects');
});

test('S3 signature settings: KUMO_S3_VERIFY_SIGNATURES needs KUMO_S3_CREDENTIALS', () => {
  const c = loadConfig({ KUMO_S3_VERIFY_SIGNATURES: '1', KUMO_S3_CREDENTIALS: 'AKID1:sec/ret+1, AKID2:s:2' });
  assert.equal(c.s3VerifySignatures, true);
  assert.deepEqual(c.s3Credentials, { AKID1: 'sec/ret+1', AKID2: 's:2' });
  assert.equal(loadConfig({}).s3VerifySignatures, false);
  assert.throws(() => loadConfig({ KUMO_S3_VERIFY_SIGNATURES: '1' }), ConfigError);
  assert.throws(() => loadConfig({ KUMO_S3_VERIFY_SIGNATURES: 'maybe', KUMO_S3_CREDENTIALS: 'a:b' }), ConfigError);
  assert.throws(() => loadConfig({ KUMO_S3_CREDENTIALS: 'no-secret' }), ConfigError);
  assert.equal(loadConfig({}, { 's3-verify-signatures': '1', 's3-credentials': 'k:s' }).s3VerifySignatures, true);
});
