import assert from 'node:assert/strict';
import { connect as h2connect } from 'node:http2';
import { request as h1request, Agent } from 'node:http';
import { connect as netConnect } from 'node:net';
import { after, before, test } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { DynamoDBClient, ListExportsCommand } from '@aws-sdk/client-dynamodb';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';

let kumo: Kumo;
before(async () => {
  kumo = await startTestKumo();
});
after(() => kumo.stop());

function raw(payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(kumo.port, '127.0.0.1', () => socket.write(payload));
    let data = '';
    socket.on('data', (d) => {
      data += d.toString();
      if (/\r\n\r\n/.test(data) && /content-length: 0|\}\n?$|healthy/i.test(data)) socket.end();
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    setTimeout(() => socket.end(), 2000).unref();
  });
}

test('GET /health answers the kumo-compatible body', async () => {
  const res = await fetch(`${kumo.endpoint}/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'healthy' });
});

test('GET /kumo/health lists version and services', async () => {
  const body = (await (await fetch(`${kumo.endpoint}/kumo/health`)).json()) as any;
  assert.equal(body.status, 'healthy');
  assert.match(body.version, /^\d+\.\d+\.\d+/);
  assert.ok(body.services.sts, 'sts is listed');
  assert.equal(body.durability, 'memory');
});

test('an SDK client over cleartext HTTP/2 (prior knowledge) is served', async () => {
  const sts = new STSClient({ ...clientConfig(kumo.endpoint), requestHandler: new NodeHttp2Handler() });
  const out = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(out.Account, '000000000000');
  sts.destroy();
});

test('a raw h2c session gets request ids and health', async () => {
  const session = h2connect(kumo.endpoint);
  const body = await new Promise<string>((resolve, reject) => {
    const req = session.request({ ':path': '/health', ':method': 'GET' });
    let data = '';
    req.on('data', (d) => (data += d));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
  session.close();
  assert.deepEqual(JSON.parse(body), { status: 'healthy' });
});

test('keep-alive: several requests share one connection', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ports = new Set<number>();
  for (let i = 0; i < 3; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = h1request(`${kumo.endpoint}/health`, { agent }, (res) => {
        ports.add(res.socket.localPort!);
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  }
  agent.destroy();
  assert.equal(ports.size, 1);
});

test('Expect: 100-continue gets 100 then the answer; chunked bodies are read', async () => {
  const answer = await raw(
    'POST / HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n' +
      'Content-Type: application/x-www-form-urlencoded\r\n' +
      'Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x\r\n\r\n' +
      '1d\r\nAction=GetCallerIdentity&Vers\r\n12\r\nion=2011-06-15&x=1\r\n0\r\n\r\n',
  );
  assert.match(answer, /^HTTP\/1\.1 100 Continue/);
  assert.match(answer, /HTTP\/1\.1 200 OK/);
  assert.match(answer, /<Account>000000000000<\/Account>/);
});

test('every answer carries a request id', async () => {
  const res = await fetch(`${kumo.endpoint}/health`);
  assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
});

test('a request no service claims gets a clear 4xx, not a hang', async () => {
  const res = await fetch(`${kumo.endpoint}/`, {
    method: 'POST',
    headers: { 'x-amz-target': 'NoSuchService_20200101.DoThing', 'content-type': 'application/x-amz-json-1.1' },
    body: '{}',
  });
  assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
});

test('a malformed request line gets 400 and the server keeps serving', async () => {
  const answer = await raw('GARBAGE\r\n\r\n');
  assert.match(answer, /^HTTP\/1\.1 400/);
  const res = await fetch(`${kumo.endpoint}/health`);
  assert.equal(res.status, 200);
});

test('an unimplemented service answers NotImplemented in its own protocol', async () => {
  const res = await fetch(`${kumo.endpoint}/`, {
    method: 'POST',
    headers: {
      'x-amz-target': 'AmazonAthena.ListWorkGroups',
      'content-type': 'application/x-amz-json-1.1',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/athena/aws4_request, SignedHeaders=host, Signature=x',
    },
    body: '{}',
  });
  assert.equal(res.status, 501);
  const body = (await res.json()) as any;
  assert.match(body.__type, /NotImplemented/);
  assert.match(body.message, /ListWorkGroups/);
});

test('the access log has one structured line per request; debug adds bodies', async () => {
  const lines: string[] = [];
  const k = await startTestKumo({ logLevel: 'debug', logWriter: (l) => lines.push(l) });
  try {
    const sts = new STSClient(clientConfig(k.endpoint));
    const out = await sts.send(new GetCallerIdentityCommand({}));
    const access = lines.find((l) => / request method=POST /.test(l));
    assert.ok(access, lines.join(''));
    assert.match(access!, /service=sts operation=GetCallerIdentity status=200 ms=[\d.]+ requestId=/);
    assert.ok(access!.includes(out.$metadata.requestId!));
    assert.ok(lines.some((l) => /request body .*Action=GetCallerIdentity/.test(l)));
    assert.ok(lines.some((l) => /response body .*GetCallerIdentityResponse/.test(l)));
  } finally {
    await k.stop();
  }
});

test('an operation kumo does not implement answers NotImplemented through the SDK, never a fake success', async () => {
  const ddb = new DynamoDBClient(clientConfig(kumo.endpoint));
  await assert.rejects(ddb.send(new ListExportsCommand({})), (err: any) => {
    assert.equal(err.name, 'NotImplemented');
    assert.equal(err.$metadata.httpStatusCode, 501);
    assert.match(err.message, /ListExports/);
    return true;
  });
});
