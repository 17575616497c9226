import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import type { Kumo } from '../../../src/index.ts';
import { startTestKumo } from '../../helpers/kumo.ts';

let kumo: Kumo;
before(async () => {
  kumo = await startTestKumo();
});
after(() => kumo.stop());

const sign = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`,
});

async function post(path: string, headers: Record<string, string>, body: string | Buffer) {
  const res = await fetch(kumo.endpoint + path, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const ddb = (target: string) => ({ ...sign('dynamodb'), 'x-amz-target': `DynamoDB_20120810.${target}`, 'content-type': 'application/x-amz-json-1.0' });

async function stillServing() {
  const res = await fetch(`${kumo.endpoint}/health`);
  assert.equal(res.status, 200);
}

test('malformed JSON -> SerializationException 400', async () => {
  const r = await post('/', ddb('ListTables'), '{"Limit": ');
  assert.equal(r.status, 400);
  assert.match(JSON.parse(r.text).__type, /SerializationException/);
  await stillServing();
});

test('JSON with invalid UTF-8 -> 400', async () => {
  const r = await post('/', ddb('ListTables'), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
  assert.equal(r.status, 400);
  assert.match(JSON.parse(r.text).__type, /SerializationException/);
});

test('JSON of the wrong type for a member -> 400', async () => {
  const r = await post('/', ddb('ListTables'), '{"Limit": "ten"}');
  assert.equal(r.status, 400);
});

test('an unknown X-Amz-Target operation -> UnknownOperationException 400', async () => {
  const r = await post('/', ddb('DropEverything'), '{}');
  assert.equal(r.status, 400);
  assert.match(JSON.parse(r.text).__type, /UnknownOperationException/);
});

test('malformed form body and unknown Action (query) -> 400 XML errors', async () => {
  const headers = { ...sign('sts'), 'content-type': 'application/x-www-form-urlencoded' };
  const unknown = await post('/', headers, 'Action=StealCredentials&Version=2011-06-15');
  assert.equal(unknown.status, 400);
  assert.match(unknown.text, /<Code>InvalidAction<\/Code>/);
  const bad = await post('/', headers, 'Action=GetCallerIdentity&Version=2011-06-15&x=%E0%A4%A');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /<ErrorResponse/);
});

test('malformed CBOR -> 400 in CBOR', async () => {
  const r = await post('/service/GraniteServiceVersion20100801/operation/ListMetrics',
    { ...sign('monitoring'), 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor' },
    Buffer.from([0xbf, 0x61]));
  assert.equal(r.status, 400);
  assert.equal(r.headers.get('smithy-protocol'), 'rpc-v2-cbor');
});

test('a body over the limit -> 413 without buffering it all', async () => {
  const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
  const r = await post('/', ddb('ListTables'), big);
  assert.equal(r.status, 413);
  await stillServing();
});

test('header injection attempts never reach the response', async () => {
  const answer = await new Promise<string>((resolve, reject) => {
    const s = connect(kumo.port, '127.0.0.1', () => {
      s.write('GET /health HTTP/1.1\r\nHost: localhost\r\nX-Evil: a\rSet-Cookie: pwned=1\r\n\r\n');
    });
    let data = '';
    s.on('data', (d) => (data += d));
    s.on('end', () => resolve(data));
    s.on('error', reject);
    setTimeout(() => s.end(), 1000).unref();
  });
  assert.doesNotMatch(answer, /pwned/);
  assert.match(answer, /^HTTP\/1\.1 400/);
  await stillServing();
});

test('wrong content type for a JSON service still yields a protocol error, not a crash', async () => {
  const r = await post('/', { ...ddb('ListTables'), 'content-type': 'text/plain' }, 'hello');
  assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
  await stillServing();
});

test('a form post for a service with no query protocol is a 4xx', async () => {
  const r = await post('/', { ...sign('dynamodb'), 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ListTables');
  assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
});

test('a response header value HTTP cannot carry -> 400 InvalidArgument naming it, and the connection keeps serving', async () => {
  const s3 = sign('s3');
  assert.equal((await fetch(`${kumo.endpoint}/head-check`, { method: 'PUT', headers: s3 })).status, 200);
  // Presigned query parameters count as x-amz-* headers: the only way a client can hand kumo a CR/LF there.
  const cred = encodeURIComponent('test/20240101/us-east-1/s3/aws4_request');
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const presign = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${cred}&X-Amz-Date=${date}&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=x`;
  const put = await fetch(`${kumo.endpoint}/head-check/k?${presign}&x-amz-meta-evil=a%0D%0ASet-Cookie:%20pwned=1`, { method: 'PUT', body: 'x' });
  assert.equal(put.status, 200, await put.text());
  const got = await fetch(`${kumo.endpoint}/head-check/k`, { headers: s3 });
  const text = await got.text();
  assert.equal(got.status, 400);
  assert.match(text, /<Code>InvalidArgument<\/Code>/);
  assert.match(text, /x-amz-meta-evil/);
  assert.equal(got.headers.get('set-cookie'), null);
  await stillServing();
});
