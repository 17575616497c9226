import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { PutBucketCorsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Harness } from './setup.ts';

const h = s3Harness();

function send(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(h.kumo.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const APP = 'https://app.example.com';

async function corsBucket(): Promise<string> {
  const b = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'file.txt', Body: 'shared' }));
  await h.s3.send(new PutBucketCorsCommand({
    Bucket: b,
    CORSConfiguration: {
      CORSRules: [
        { AllowedOrigins: [APP, 'https://*.preview.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 },
        { AllowedOrigins: ['*'], AllowedMethods: ['HEAD'] },
      ],
    },
  }));
  return b;
}

test('preflights are answered from the bucket CORS rules', async () => {
  const b = await corsBucket();
  const ok = await send('OPTIONS', `/${b}/file.txt`, { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'Content-Type, X-Amz-Meta-Author' });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['access-control-allow-origin'], APP);
  assert.equal(ok.headers['access-control-allow-methods'], 'GET, PUT');
  assert.equal(ok.headers['access-control-allow-headers'], 'content-type, x-amz-meta-author');
  assert.equal(ok.headers['access-control-max-age'], '600');
  assert.equal(ok.headers['access-control-expose-headers'], 'ETag');
  assert.equal(ok.headers['access-control-allow-credentials'], 'true');
  const wildcardHost = await send('OPTIONS', `/${b}/file.txt`, { origin: 'https://pr-7.preview.example.com', 'access-control-request-method': 'GET' });
  assert.equal(wildcardHost.status, 200);
  const any = await send('OPTIONS', `/${b}/file.txt`, { origin: 'https://elsewhere.example', 'access-control-request-method': 'HEAD' });
  assert.equal(any.headers['access-control-allow-origin'], '*');
  assert.equal((await send('OPTIONS', `/${b}/file.txt`, { origin: APP, 'access-control-request-method': 'DELETE' })).status, 403);
  assert.equal((await send('OPTIONS', `/${b}/file.txt`, { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' })).status, 403);
  assert.equal((await send('OPTIONS', `/${b}/file.txt`, { origin: 'https://evil.example', 'access-control-request-method': 'GET' })).status, 403);
  const port = new URL(h.kumo.endpoint).port;
  const vhost = await send('OPTIONS', '/file.txt', { host: `${b}.localhost:${port}`, origin: APP, 'access-control-request-method': 'GET' });
  assert.equal(vhost.status, 200);
});

test('actual requests from allowed origins get CORS headers; others are refused', async () => {
  const b = await corsBucket();
  const ok = await send('GET', `/${b}/file.txt`, { origin: APP });
  assert.equal(ok.status, 200);
  assert.equal(ok.body, 'shared');
  assert.equal(ok.headers['access-control-allow-origin'], APP);
  assert.equal(ok.headers['access-control-expose-headers'], 'ETag');
  const evil = await send('GET', `/${b}/file.txt`, { origin: 'https://evil.example' });
  assert.equal(evil.status, 403);
  const noRules = await h.bucket();
  assert.equal((await send('OPTIONS', `/${noRules}/x`, { origin: APP, 'access-control-request-method': 'GET' })).status, 403);
});

test('local origins stay allowed without bucket rules', async () => {
  const b = await h.bucket();
  const res = await send('OPTIONS', `/${b}/x`, { origin: 'http://localhost:3000', 'access-control-request-method': 'PUT' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000');
});
