import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import type { Kumo } from '../../../src/index.ts';
import { startTestKumo } from '../../helpers/kumo.ts';

let kumo: Kumo;
before(async () => {
  kumo = await startTestKumo({ corsOrigins: ['https://app.example.test'] });
});
after(() => kumo.stop());

/** fetch() cannot set Host, so this goes through node:http. */
function get(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: kumo.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const signed = {
  'content-type': 'application/x-www-form-urlencoded',
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x',
};

test('a foreign Origin is refused with 403', async () => {
  const res = await get('/kumo/health', { origin: 'https://evil.example.com' });
  assert.equal(res.status, 403);
  assert.match(res.body, /not allowed/);
});

test('a foreign Origin cannot call a service either', async () => {
  const res = await fetch(`${kumo.endpoint}/?Action=GetCallerIdentity&Version=2011-06-15`, {
    headers: { ...signed, origin: 'https://evil.example.com' },
  });
  assert.equal(res.status, 403);
});

test('localhost origins and configured origins are allowed, with CORS headers', async () => {
  for (const origin of ['http://localhost:3000', 'http://127.0.0.1:8080', 'https://app.example.test']) {
    const res = await get('/health', { origin });
    assert.equal(res.status, 200, origin);
    assert.equal(res.headers['access-control-allow-origin'], origin);
  }
});

test('CORS preflight from an allowed origin is answered', async () => {
  const res = await get('/', {
    origin: 'http://localhost:5173',
    'access-control-request-method': 'PUT',
    'access-control-request-headers': 'content-type,x-amz-date',
  }, 'OPTIONS');
  assert.equal(res.status, 200);
  assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:5173');
  assert.match(String(res.headers['access-control-allow-methods']), /PUT/);
  assert.equal(res.headers['access-control-allow-headers'], 'content-type,x-amz-date');
});

test('CORS preflight from a foreign origin is refused', async () => {
  const res = await get('/', { origin: 'https://evil.example.com', 'access-control-request-method': 'PUT' }, 'OPTIONS');
  assert.equal(res.status, 403);
});

test('a Host that is not a local name is refused (DNS rebinding)', async () => {
  const res = await get('/health', { host: 'attacker.example.com:4566' });
  assert.equal(res.status, 403);
  assert.match(res.body, /DNS rebinding/);
});

test('local Host names and bucket virtual hosts are accepted', async () => {
  for (const host of ['localhost:4566', '127.0.0.1', 'mybucket.localhost:4566', 'mybucket.s3.localhost.localstack.cloud', '[::1]:4566']) {
    const res = await get('/health', { host });
    assert.equal(res.status, 200, host);
  }
});

test('when bound to a routable address any Host is accepted', async () => {
  const open = await startTestKumo({ host: '0.0.0.0' });
  try {
    const res = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: open.port, path: '/health', headers: { host: 'kumo:4566' } }, (r) => {
        r.resume();
        resolve(r.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(res, 200);
  } finally {
    await open.stop();
  }
});
