import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { rejects, s3Harness } from './setup.ts';

const h = s3Harness();

async function bucketWith(keys: string[]): Promise<string> {
  const b = await h.bucket();
  for (const key of keys) await h.s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: key }));
  return b;
}

const TREE = ['a.txt', 'photos/2023/x.jpg', 'photos/2024/y.jpg', 'photos/2024/z.jpg', 'photos/top.jpg', 'videos/v.mp4', 'z.txt'];

test('v2: delimiter rolls keys up into common prefixes, once each', async () => {
  const b = await bucketWith(TREE);
  const root = await h.s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: '/' }));
  assert.deepEqual(root.Contents!.map((o) => o.Key), ['a.txt', 'z.txt']);
  assert.deepEqual(root.CommonPrefixes!.map((p) => p.Prefix), ['photos/', 'videos/']);
  assert.equal(root.KeyCount, 4);
  const photos = await h.s3.send(new ListObjectsV2Command({ Bucket: b, Prefix: 'photos/', Delimiter: '/' }));
  assert.deepEqual(photos.Contents!.map((o) => o.Key), ['photos/top.jpg']);
  assert.deepEqual(photos.CommonPrefixes!.map((p) => p.Prefix), ['photos/2023/', 'photos/2024/']);
  assert.equal(photos.Prefix, 'photos/');
});

test('v2: max-keys, continuation tokens and start-after page through in order', async () => {
  const b = await bucketWith(TREE);
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await h.s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 2, ContinuationToken: token, Delimiter: '/' }));
    seen.push(...(page.Contents ?? []).map((o) => o.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
    assert.ok(page.KeyCount! <= 2);
    token = page.NextContinuationToken;
    assert.equal(Boolean(token), page.IsTruncated);
    pages++;
  } while (token);
  assert.equal(pages, 2);
  assert.deepEqual(seen.sort(), ['a.txt', 'photos/', 'videos/', 'z.txt']);
  const after = await h.s3.send(new ListObjectsV2Command({ Bucket: b, StartAfter: 'photos/2024/y.jpg' }));
  assert.deepEqual(after.Contents!.map((o) => o.Key), ['photos/2024/z.jpg', 'photos/top.jpg', 'videos/v.mp4', 'z.txt']);
  assert.equal(after.StartAfter, 'photos/2024/y.jpg');
  const all: string[] = [];
  for await (const page of paginateListObjectsV2({ client: h.s3, pageSize: 3 }, { Bucket: b })) all.push(...page.Contents!.map((o) => o.Key!));
  assert.deepEqual(all, TREE);
  await rejects(h.s3.send(new ListObjectsV2Command({ Bucket: b, ContinuationToken: 'garbage!' })), 'InvalidArgument', 'The continuation token provided is incorrect');
});

test('v2: fetch-owner, encoding-type=url, checksum algorithm per object', async () => {
  const b = await bucketWith(['a b+c/d%e.txt', 'caf\u00e9']);
  const plain = await h.s3.send(new ListObjectsV2Command({ Bucket: b }));
  assert.equal(plain.Contents![0]!.Owner, undefined);
  assert.deepEqual(plain.Contents![0]!.ChecksumAlgorithm, ['CRC32']);
  const owned = await h.s3.send(new ListObjectsV2Command({ Bucket: b, FetchOwner: true }));
  assert.match(owned.Contents![0]!.Owner!.ID!, /^[0-9a-f]{64}$/);
  const encoded = await h.s3.send(new ListObjectsV2Command({ Bucket: b, EncodingType: 'url', Delimiter: '/' }));
  assert.equal(encoded.EncodingType, 'url');
  assert.deepEqual(encoded.CommonPrefixes!.map((p) => p.Prefix), ['a+b%2Bc/']);
  assert.deepEqual(encoded.Contents!.map((o) => o.Key), ['caf%C3%A9']);
  assert.equal(encoded.Delimiter, '/');
  await rejects(h.s3.send(new ListObjectsV2Command({ Bucket: b, EncodingType: 'base64' as 'url' })), 'InvalidArgument', 'Invalid Encoding Method specified in Request');
});

test('keys sort in UTF-8 byte order, also above U+FFFF', async () => {
  const keys = ['\uff5e', '\u{1F600}', 'a', '\u00e9', '\ue000'];
  const b = await bucketWith(keys);
  const listed = await h.s3.send(new ListObjectsV2Command({ Bucket: b }));
  assert.deepEqual(listed.Contents!.map((o) => o.Key), ['a', '\u00e9', '\ue000', '\uff5e', '\u{1F600}']);
  const page = await h.s3.send(new ListObjectsV2Command({ Bucket: b, StartAfter: '\uff5e' }));
  assert.deepEqual(page.Contents!.map((o) => o.Key), ['\u{1F600}']);
});

test('v1: marker, NextMarker with a delimiter, owner always present', async () => {
  const b = await bucketWith(TREE);
  const first = await h.s3.send(new ListObjectsCommand({ Bucket: b, Delimiter: '/', MaxKeys: 2 }));
  assert.deepEqual(first.Contents!.map((o) => o.Key), ['a.txt']);
  assert.deepEqual(first.CommonPrefixes!.map((p) => p.Prefix), ['photos/']);
  assert.equal(first.IsTruncated, true);
  assert.equal(first.NextMarker, 'photos/');
  assert.ok(first.Contents![0]!.Owner!.ID);
  const second = await h.s3.send(new ListObjectsCommand({ Bucket: b, Delimiter: '/', Marker: first.NextMarker }));
  assert.deepEqual(second.CommonPrefixes!.map((p) => p.Prefix), ['videos/']);
  assert.deepEqual(second.Contents!.map((o) => o.Key), ['z.txt']);
  assert.equal(second.IsTruncated, false);
  const noDelimiter = await h.s3.send(new ListObjectsCommand({ Bucket: b, MaxKeys: 3 }));
  assert.equal(noDelimiter.IsTruncated, true);
  assert.equal(noDelimiter.NextMarker, undefined);
  const rest = await h.s3.send(new ListObjectsCommand({ Bucket: b, Marker: noDelimiter.Contents!.at(-1)!.Key }));
  assert.deepEqual(rest.Contents!.map((o) => o.Key), TREE.slice(3));
});

test('listing a bucket that does not exist is NoSuchBucket; max-keys 0 lists nothing', async () => {
  await rejects(h.s3.send(new ListObjectsV2Command({ Bucket: h.name('none') })), 'NoSuchBucket');
  const b = await bucketWith(['k']);
  const none = await h.s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 0 }));
  assert.equal(none.KeyCount, 0);
  assert.equal(none.Contents, undefined);
});
