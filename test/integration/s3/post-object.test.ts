import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { rejects, s3Harness, text } from './setup.ts';

const h = s3Harness();
const SECRET = 'post/Secret';
const verified = s3Harness({ s3VerifySignatures: true, s3Credentials: { AKIDPOST: SECRET } });

function form(fields: Array<[string, string]>, file: Buffer | string, filename = 'upload.bin'): FormData {
  const fd = new FormData();
  for (const [k, v] of fields) fd.append(k, v);
  fd.append('file', new Blob([file]), filename);
  return fd;
}

function policy(conditions: unknown[], expiresInMs = 600_000): string {
  return Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + expiresInMs).toISOString(), conditions })).toString('base64');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** SigV4 POST fields for `policyB64`. */
function signed(accessKeyId: string, secret: string, policyB64: string): Array<[string, string]> {
  const date = '20250101';
  const credential = `${accessKeyId}/${date}/us-east-1/s3/aws4_request`;
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), 'us-east-1'), 's3'), 'aws4_request');
  return [
    ['x-amz-algorithm', 'AWS4-HMAC-SHA256'], ['x-amz-credential', credential], ['x-amz-date', `${date}T000000Z`],
    ['policy', policyB64], ['x-amz-signature', createHmac('sha256', key).update(policyB64).digest('hex')],
  ];
}

async function post(endpoint: string, bucket: string, body: FormData, redirect: 'follow' | 'manual' = 'follow') {
  const res = await fetch(`${endpoint}/${bucket}`, { method: 'POST', body, redirect });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

test('a form upload stores the file with the form fields; ${filename}; 201 answers an XML document', async () => {
  const b = await h.bucket();
  const data = Buffer.alloc(3 * 1024 * 1024 + 17, 'z');
  const res = await post(h.kumo.endpoint, b, form([
    ['key', 'uploads/${filename}'], ['Content-Type', 'image/png'], ['x-amz-meta-owner', 'ann'], ['tagging', '<Tagging><TagSet><Tag><Key>t</Key><Value>1</Value></Tag></TagSet></Tagging>'],
    ['success_action_status', '201'],
  ], data, 'cat.png'));
  assert.equal(res.status, 201);
  assert.match(res.body, /<PostResponse xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"><Location>[^<]+\/uploads\/cat\.png<\/Location><Bucket>[^<]+<\/Bucket><Key>uploads\/cat\.png<\/Key><ETag>/);
  const md5 = createHash('md5').update(data).digest('hex');
  assert.equal(res.headers.get('etag'), `"${md5}"`);
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'uploads/cat.png' }));
  assert.equal(head.ContentType, 'image/png');
  assert.deepEqual(head.Metadata, { owner: 'ann' });
  assert.equal(head.ContentLength, data.length);
  assert.deepEqual((await h.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'uploads/cat.png' }))).TagSet, [{ Key: 't', Value: '1' }]);
  const plain = await post(h.kumo.endpoint, b, form([['key', 'plain']], 'x'));
  assert.equal(plain.status, 204);
});

test('policy conditions: satisfied, failed, extra fields, expired, content-length-range', async () => {
  const b = await h.bucket();
  const conditions = [{ bucket: b }, ['starts-with', '$key', 'user/'], ['eq', '$Content-Type', 'text/plain'], ['content-length-range', 1, 10]];
  const fields = (key: string): Array<[string, string]> => [['key', key], ['Content-Type', 'text/plain'], ['policy', policy(conditions)]];
  assert.equal((await post(h.kumo.endpoint, b, form(fields('user/ok.txt'), 'fine'))).status, 204);
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'user/ok.txt' }))).Body), 'fine');
  const failed = await post(h.kumo.endpoint, b, form(fields('other/x.txt'), 'fine'));
  assert.equal(failed.status, 403);
  assert.match(failed.body, /<Code>AccessDenied<\/Code><Message>Invalid according to Policy: Policy Condition failed: \["starts-with","\$key","user\/"\]<\/Message>/);
  const extra = await post(h.kumo.endpoint, b, form([...fields('user/x.txt'), ['x-amz-meta-sneaky', '1']], 'fine'));
  assert.match(extra.body, /Invalid according to Policy: Extra input fields: x-amz-meta-sneaky/);
  const big = await post(h.kumo.endpoint, b, form(fields('user/big.txt'), 'more than ten bytes'));
  assert.equal(big.status, 400);
  assert.match(big.body, /<Code>EntityTooLarge<\/Code>/);
  await rejects(h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'user/big.txt' })), 'NotFound');
  const expired = await post(h.kumo.endpoint, b, form([['key', 'user/late'], ['policy', policy([{ bucket: b }], -1000)]], 'x'));
  assert.match(expired.body, /Invalid according to Policy: Policy expired./);
});

test('success_action_redirect answers 303 with bucket, key and etag', async () => {
  const b = await h.bucket();
  const res = await post(h.kumo.endpoint, b, form([['key', 'r.txt'], ['success_action_redirect', 'https://app.example/done?x=1']], 'x'), 'manual');
  assert.equal(res.status, 303);
  const location = new URL(res.headers.get('location')!);
  assert.equal(location.origin + location.pathname, 'https://app.example/done');
  assert.equal(location.searchParams.get('x'), '1');
  assert.equal(location.searchParams.get('bucket'), b);
  assert.equal(location.searchParams.get('key'), 'r.txt');
  assert.match(location.searchParams.get('etag')!, /^"[0-9a-f]{32}"$/);
});

test('malformed forms: no file, no key, not multipart', async () => {
  const b = await h.bucket();
  const noFile = new FormData();
  noFile.append('key', 'k');
  const res = await fetch(`${h.kumo.endpoint}/${b}`, { method: 'POST', body: noFile });
  assert.match(await res.text(), /<Code>InvalidArgument<\/Code><Message>POST requires exactly one file upload per request.<\/Message>/);
  const noKey = await post(h.kumo.endpoint, b, form([], 'x'));
  assert.match(noKey.body, /Bucket POST must contain a field named 'key'/);
  const notMultipart = await fetch(`${h.kumo.endpoint}/${b}`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
  assert.equal(notMultipart.status, 412);
});

test('with signature verification the policy must be signed by a configured key', async () => {
  const s3 = verified.client({ credentials: { accessKeyId: 'AKIDPOST', secretAccessKey: SECRET } });
  const b = verified.name();
  await s3.send(new CreateBucketCommand({ Bucket: b }));
  const p = policy([{ bucket: b }, ['starts-with', '$key', ''], ['starts-with', '$x-amz-algorithm', ''], ['starts-with', '$x-amz-credential', ''], ['starts-with', '$x-amz-date', '']]);
  const ok = await post(verified.kumo.endpoint, b, form([['key', 'signed.txt'], ...signed('AKIDPOST', SECRET, p)], 'ok'));
  assert.equal(ok.status, 204);
  const bad = await post(verified.kumo.endpoint, b, form([['key', 'forged.txt'], ...signed('AKIDPOST', 'guess', p)], 'no'));
  assert.equal(bad.status, 403);
  assert.match(bad.body, /<Code>SignatureDoesNotMatch<\/Code>/);
  const anonymous = await post(verified.kumo.endpoint, b, form([['key', 'anon.txt']], 'no'));
  assert.equal(anonymous.status, 403);
});
