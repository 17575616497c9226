import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { CreateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction, startLambda, type LambdaEnv } from './setup.ts';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function call(endpoint: string, path: string, opts: { method?: string; host?: string; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: opts.method ?? 'GET', headers: { ...(opts.host ? { host: opts.host } : {}), ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function urlFor(env: LambdaEnv, source: string): Promise<{ id: string; url: URL }> {
  const { name } = await createNodeFunction(env, source);
  const cfg = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
  const url = new URL(cfg.FunctionUrl!);
  return { id: url.hostname.split('.')[0]!, url };
}

test('function URLs: payload format 2.0 in, statusCode/headers/cookies/body out, both host and path forms', async () => {
  const env = await startLambda();
  try {
    const { id, url } = await urlFor(env, `exports.handler = async (event) => ({
      statusCode: 201, headers: { 'X-Echo': 'yes' }, cookies: ['a=1', 'b=2; Path=/'], body: JSON.stringify(event),
    });`);
    const port = new URL(env.kumo.endpoint).port;
    const viaHost = await call(env.kumo.endpoint, '/orders/7?x=1&x=2&y=z', {
      method: 'POST', host: `${url.hostname}:${port}`, body: '{"n":1}', headers: { 'content-type': 'application/json', cookie: 'c=3; d=4' },
    });
    assert.equal(viaHost.status, 201);
    assert.equal(viaHost.headers['x-echo'], 'yes');
    assert.deepEqual(viaHost.headers['set-cookie'], ['a=1', 'b=2; Path=/']);
    const event = JSON.parse(viaHost.body);
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/orders/7');
    assert.equal(event.rawQueryString, 'x=1&x=2&y=z');
    assert.deepEqual(event.queryStringParameters, { x: '1,2', y: 'z' });
    assert.deepEqual(event.cookies, ['c=3', 'd=4']);
    assert.equal(event.body, '{"n":1}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.http.method, 'POST');
    assert.equal(event.requestContext.http.path, '/orders/7');
    assert.equal(event.requestContext.apiId, id);
    assert.equal(event.headers['content-type'], 'application/json');

    const viaPath = await call(env.kumo.endpoint, `/kumo/lambda-url/${id}/bin`, { method: 'PUT', body: Buffer.from([0, 1, 2]), headers: { 'content-type': 'application/octet-stream' } });
    const binEvent = JSON.parse(viaPath.body);
    assert.equal(binEvent.rawPath, '/bin');
    assert.equal(binEvent.isBase64Encoded, true);
    assert.equal(binEvent.body, 'AAEC');
  } finally {
    await env.kumo.stop();
  }
});

test('function URLs: plain results are JSON 200s, errors 502, unknown ids 403', async () => {
  const env = await startLambda();
  try {
    const plain = await urlFor(env, 'exports.handler = async () => ({ ok: true });');
    const r = await call(env.kumo.endpoint, `/kumo/lambda-url/${plain.id}/`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body), { ok: true });
    const b64 = await urlFor(env, 'exports.handler = async () => ({ statusCode: 200, headers: { "content-type": "text/plain" }, body: Buffer.from("hi").toString("base64"), isBase64Encoded: true });');
    const decoded = await call(env.kumo.endpoint, `/kumo/lambda-url/${b64.id}/`);
    assert.equal(decoded.body, 'hi');
    assert.equal(decoded.headers['content-type'], 'text/plain');
    const failing = await urlFor(env, 'exports.handler = async () => { throw new Error("no"); };');
    const e = await call(env.kumo.endpoint, `/kumo/lambda-url/${failing.id}/`);
    assert.equal(e.status, 502);
    assert.deepEqual(JSON.parse(e.body), { Message: 'Internal Server Error' });
    assert.equal((await call(env.kumo.endpoint, `/kumo/lambda-url/${'0'.repeat(32)}/`)).status, 403);
  } finally {
    await env.kumo.stop();
  }
});
