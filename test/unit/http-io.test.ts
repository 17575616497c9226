import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { checkHeaders, hostHeader, plainHeaders, readBody } from '../../src/server/http-io.ts';

/** Sends raw request bytes to a one-shot server and hands the parsed request to `inspect`. */
async function withRequest(raw: string, inspect: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void): Promise<string> {
  let failure: unknown;
  const server = createServer((req, res) => {
    Promise.resolve(inspect(req, res))
      .catch((e: unknown) => (failure = e))
      .finally(() => {
        if (!res.writableEnded) res.end('ok');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const s = connect((server.address() as AddressInfo).port, '127.0.0.1', () => s.write(raw));
      let data = '';
      s.on('data', (d) => {
        data += d;
        if (/\r\n\r\n/.test(data)) s.end();
      });
      s.on('close', () => resolve(data));
      s.on('error', reject);
    });
    if (failure) throw failure;
    return answer;
  } finally {
    server.close();
  }
}

test('plainHeaders reads repeated HTTP/1.1 headers exactly as node does', async () => {
  await withRequest(
    'GET / HTTP/1.1\r\nHost: localhost:4566\r\nHost: evil\r\nX-Amz-Meta-A: 1\r\nx-amz-meta-a: 2\r\nCookie: a=1\r\nCookie: b=2\r\n' +
      'Content-Type: text/plain\r\nContent-Type: application/json\r\nSet-Cookie: s=1\r\nSet-Cookie: t=2\r\nAccept: x\r\nAccept: y\r\n' +
      'Authorization: first\r\nAuthorization: second\r\nConstructor: c\r\nConnection: close\r\n\r\n',
    (req) => {
      const mine = plainHeaders(req);
      const nodes = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
      assert.deepEqual(mine, nodes);
      assert.equal(mine['host'], 'localhost:4566');
      assert.equal(mine['x-amz-meta-a'], '1, 2');
      assert.equal(mine['cookie'], 'a=1; b=2');
      assert.equal(mine['content-type'], 'text/plain');
      assert.equal(mine['authorization'], 'first');
      assert.equal(hostHeader(req, mine), 'localhost:4566');
    },
  );
});

test('readBody reads a request body whole', async () => {
  await withRequest('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world', async (req) => {
    assert.equal((await readBody(req, 1024)).toString(), 'hello world');
  });
});

test('readBody refuses past the limit and the 413 still reaches the client', async () => {
  const body = 'x'.repeat(5000);
  const answer = await withRequest(`POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, async (req, res) => {
    await assert.rejects(readBody(req, 100), (e: unknown) => e instanceof AwsError && e.status === 413 && e.code === 'RequestEntityTooLarge');
    res.writeHead(413, { connection: 'close' });
    res.end();
  });
  assert.match(answer, /^HTTP\/1\.1 413/);
});

test('readBody rejects a stream that errors or closes before its end', async () => {
  const failing = new PassThrough();
  const read = readBody(failing, 1024);
  failing.write('abc');
  failing.destroy(new Error('boom'));
  await assert.rejects(read, /boom/);

  const closed = new PassThrough();
  const early = readBody(closed, 1024);
  closed.destroy();
  await assert.rejects(early, (e: unknown) => (e as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE');
  await assert.rejects(readBody(closed, 1024), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE');
});

test('readBody still reads plain async iterables (control endpoints)', async () => {
  async function* parts() {
    yield Buffer.from('ab');
    yield Buffer.from('cd');
  }
  assert.equal((await readBody(parts(), 10)).toString(), 'abcd');
  await assert.rejects(readBody(parts(), 3), (e: unknown) => e instanceof AwsError && e.status === 413);
});

test('checkHeaders refuses what node would refuse to send', () => {
  checkHeaders({ 'x-amz-meta-a': 'caf\u00e9 ok\tfine', etag: '"abc"' });
  assert.throws(() => checkHeaders({ 'x-amz-meta-a': 'a\r\nb' }), (e: unknown) => e instanceof AwsError && e.code === 'InvalidArgument');
  assert.throws(() => checkHeaders({ 'bad name': 'v' }), (e: unknown) => e instanceof AwsError && e.status === 400);
  assert.throws(() => checkHeaders({ 'x-a': '\u0100' }), (e: unknown) => e instanceof AwsError);
});
