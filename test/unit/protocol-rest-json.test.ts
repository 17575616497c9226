import { strict as assert } from 'node:assert';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { loadModel } from '../../src/protocol/models.ts';
import { restJsonCodec } from '../../src/protocol/rest-json.ts';
import type { RawRequest, RawResponse } from '../../src/protocol/types.ts';
import { restJsonTestModel } from './fixtures/rest-json-model.ts';

const model = restJsonTestModel();
const ctx = { requestId: 'req-1' };

function request(method: string, target: string, body: string | Buffer | Readable = '', headers: Record<string, string> = {}): RawRequest {
  const q = target.indexOf('?');
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    headers,
    body: body instanceof Readable ? body : Buffer.from(body),
    hostname: 'localhost',
  };
}

function parse(opName: string, req: RawRequest): Promise<Record<string, unknown>> {
  return restJsonCodec.parseRequest(req, model, model.operations[opName]!);
}

function json(res: RawResponse): unknown {
  return JSON.parse(String(res.body));
}

test('body members come from JSON (jsonName honoured), bindings from the request line and headers', async () => {
  const input = await parse('JsonBodies', request('PUT', '/JsonBodies/abc', JSON.stringify({
    name: 'n', Count: 3, When: 946845296, WhenIso: '2000-01-02T20:34:56Z', Data: 'YmluYXJ5LXZhbHVl',
    Ratio: 'NaN', Tags: { a: 'b' }, Items: ['x'], Doc: { any: [1, { deep: true }] }, Trace: 'ignored',
  }), { 'x-trace': 't-1' }));
  assert.ok(Number.isNaN(input.Ratio));
  delete input.Ratio;
  assert.deepEqual(input, {
    Id: 'abc', Trace: 't-1', Name: 'n', Count: 3, When: new Date(946845296000), WhenIso: new Date(946845296000),
    Data: Buffer.from('binary-value'), Tags: { a: 'b' }, Items: ['x'], Doc: { any: [1, { deep: true }] },
  });
});

test('empty body is an empty input; malformed JSON is SerializationException', async () => {
  assert.deepEqual(await parse('JsonBodies', request('PUT', '/JsonBodies/abc')), { Id: 'abc' });
  await assert.rejects(parse('JsonBodies', request('PUT', '/JsonBodies/abc', '{"name":')),
    (e: unknown) => e instanceof AwsError && e.code === 'SerializationException' && e.status === 400);
  await assert.rejects(parse('JsonBodies', request('PUT', '/JsonBodies/abc', '{"Count":"3"}')),
    (e: unknown) => e instanceof AwsError && e.message === 'STRING_VALUE cannot be converted to Integer');
});

test('RestJsonHttpPayloadTraitsWithBlob: blob payloads are raw bytes', async () => {
  const input = await parse('HttpPayloadTraits', request('POST', '/HttpPayloadTraits', 'blerg', { 'x-foo': 'Foo' }));
  assert.deepEqual(input, { foo: 'Foo', blob: Buffer.from('blerg') });
  assert.deepEqual(await parse('HttpPayloadTraits', request('POST', '/HttpPayloadTraits', '', { 'x-foo': 'Foo' })), { foo: 'Foo' });
});

test('streaming payloads pass through as the request body stream', async () => {
  const stream = Readable.from([Buffer.from('chunk')]);
  const input = await parse('StreamingTraits', request('POST', '/StreamingTraits', stream, { 'content-type': 'application/octet-stream' }));
  assert.equal(input.blob, stream);
  assert.equal(input.contentType, 'application/octet-stream');
});

test('RestJsonHttpPayloadWithStructure and document payloads', async () => {
  const s = await parse('HttpPayloadWithStructure', request('PUT', '/HttpPayloadWithStructure', '{"greeting":"hello","name":"Phreddy"}'));
  assert.deepEqual(s, { nested: { greeting: 'hello', name: 'Phreddy' } });
  const d = await parse('DocumentTypeAsPayload', request('PUT', '/DocumentTypeAsPayload', '{"foo":"bar"}'));
  assert.deepEqual(d, { documentValue: { foo: 'bar' } });
  const arr = await parse('DocumentTypeAsPayload', request('PUT', '/DocumentTypeAsPayload', '[1,2]'));
  assert.deepEqual(arr, { documentValue: [1, 2] });
});

test('output: responseCode, header bindings, JSON body without bound members', () => {
  const res = restJsonCodec.serializeResponse({
    Id: 'abc', Trace: 't-1', Name: 'n', When: new Date(946845296500), WhenIso: new Date(946845296000), Data: Buffer.from('binary-value'),
    Ratio: Infinity, Tags: { a: 'b' }, Doc: { free: ['form'] },
  }, model, model.operations.JsonBodies!, ctx);
  assert.equal(res.status, 201);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['x-trace'], 't-1');
  assert.equal(res.headers['x-amzn-requestid'], 'req-1');
  assert.deepEqual(json(res), {
    name: 'n', When: 946845296.5, WhenIso: '2000-01-02T20:34:56Z', Data: 'YmluYXJ5LXZhbHVl', Ratio: 'Infinity',
    Tags: { a: 'b' }, Doc: { free: ['form'] },
  });
});

test('output: statusCode member, 204 has no body, header-only outputs have no body', () => {
  const code = restJsonCodec.serializeResponse({ Status: 202 }, model, model.operations.HttpResponseCode!, ctx);
  assert.equal(code.status, 202);
  assert.equal(code.body, undefined);
  const none = restJsonCodec.serializeResponse({ Name: 'x' }, model, model.operations.NoContent!, ctx);
  assert.equal(none.status, 204);
  assert.equal(none.body, undefined);
  assert.equal(none.headers['content-type'], undefined);
  const headersOnly = restJsonCodec.serializeResponse({ foo: 'Foo', fooMap: { a: 'b' } }, model, model.operations.HttpPrefixHeaders!, ctx);
  assert.deepEqual([headersOnly.status, headersOnly.body, headersOnly.headers['x-foo-a']], [200, undefined, 'b']);
});

test('output payloads: blob raw with octet-stream, a bound Content-Type wins, structures JSON', () => {
  const blob = restJsonCodec.serializeResponse({ foo: 'Foo', blob: Buffer.from('blerg') }, model, model.operations.HttpPayloadTraits!, ctx);
  assert.deepEqual(blob.body, Buffer.from('blerg'));
  assert.equal(blob.headers['content-type'], 'application/octet-stream');
  assert.equal(blob.headers['x-foo'], 'Foo');
  const stream = Readable.from(['x']);
  const typed = restJsonCodec.serializeResponse({ contentType: 'image/png', blob: stream }, model, model.operations.StreamingTraits!, ctx);
  assert.equal(typed.body, stream);
  assert.equal(typed.headers['content-type'], 'image/png');
  const struct = restJsonCodec.serializeResponse({ nested: { greeting: 'hi' } }, model, model.operations.HttpPayloadWithStructure!, ctx);
  assert.deepEqual(json(struct), { greeting: 'hi' });
  const unset = restJsonCodec.serializeResponse({}, model, model.operations.HttpPayloadWithStructure!, ctx);
  assert.equal(unset.body, undefined);
});

test('RestJsonComplexErrorWithNoMessage: status, X-Amzn-Errortype, header members, jsonName in body', () => {
  const res = restJsonCodec.serializeError(
    new AwsError('ComplexError', '', 400, { Header: 'Header', TopLevel: 'Top level', Nested: { Foo: 'bar' } }),
    model, model.operations.GreetingWithErrors, ctx);
  assert.equal(res.status, 403);
  assert.equal(res.headers['x-amzn-errortype'], 'ComplexError');
  assert.equal(res.headers['x-header'], 'Header');
  assert.equal(res.headers['content-type'], 'application/json');
  assert.deepEqual(json(res), { TopLevel: 'Top level', Nested: { Fooooo: 'bar' } });
});

test('errors: message key follows the shape, 5xx kept, unknown codes still rendered', () => {
  const invalid = restJsonCodec.serializeError(new AwsError('InvalidGreeting', 'Hi'), model, undefined, ctx);
  assert.deepEqual([invalid.status, json(invalid)], [400, { Message: 'Hi' }]);
  const foo = restJsonCodec.serializeError(new AwsError('FooError', 'boom', 500), model, undefined, ctx);
  assert.deepEqual([foo.status, foo.headers['x-amzn-errortype']], [500, 'FooError']);
  const generic = restJsonCodec.serializeError(new AwsError('BadRequestException', 'Invalid API identifier specified', 400, { extra: 1 }), loadModel('apigateway'), undefined, ctx);
  assert.deepEqual(json(generic), { message: 'Invalid API identifier specified', extra: 1 });
});

test('Lambda: Invoke request and response, ResourceNotFoundException as Lambda sends it', async () => {
  const lambda = loadModel('lambda');
  const invoke = lambda.operations.Invoke!;
  const input = await restJsonCodec.parseRequest(
    request('POST', '/2015-03-31/functions/my-fn/invocations?Qualifier=1', '{"k":"v"}', { 'x-amz-invocation-type': 'RequestResponse', 'x-amz-client-context': 'e30=' }),
    lambda, invoke);
  assert.deepEqual(input, { FunctionName: 'my-fn', Qualifier: '1', InvocationType: 'RequestResponse', ClientContext: 'e30=', Payload: Buffer.from('{"k":"v"}') });

  const out = restJsonCodec.serializeResponse({ StatusCode: 200, ExecutedVersion: '$LATEST', FunctionError: 'Unhandled', Payload: Buffer.from('{"ok":1}') }, lambda, invoke, ctx);
  assert.equal(out.status, 200);
  assert.equal(out.headers['x-amz-executed-version'], '$LATEST');
  assert.equal(out.headers['x-amz-function-error'], 'Unhandled');
  assert.deepEqual(out.body, Buffer.from('{"ok":1}'));

  const err = restJsonCodec.serializeError(new AwsError('ResourceNotFoundException', 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope', 400, { Type: 'User' }), lambda, invoke, ctx);
  assert.equal(err.status, 404);
  assert.equal(err.headers['x-amzn-errortype'], 'ResourceNotFoundException');
  assert.deepEqual(json(err), { Message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope', Type: 'User' });

  const list = restJsonCodec.serializeResponse({ Functions: [{ FunctionName: 'f', MemorySize: 128 }] }, lambda, lambda.operations.ListFunctions!, ctx);
  assert.deepEqual(json(list), { Functions: [{ FunctionName: 'f', MemorySize: 128 }] });
  const del = restJsonCodec.serializeResponse({}, lambda, lambda.operations.DeleteAlias!, ctx);
  assert.deepEqual([del.status, del.body], [204, undefined]);
});

test('API Gateway: CreateRestApi body and GetRestApis query', async () => {
  const apigw = loadModel('apigateway');
  const created = await restJsonCodec.parseRequest(request('POST', '/restapis', '{"name":"api","endpointConfiguration":{"types":["REGIONAL"]}}'), apigw, apigw.operations.CreateRestApi!);
  assert.deepEqual(created, { name: 'api', endpointConfiguration: { types: ['REGIONAL'] } });
  const listed = await restJsonCodec.parseRequest(request('GET', '/restapis?limit=5&position=p'), apigw, apigw.operations.GetRestApis!);
  assert.deepEqual(listed, { limit: 5, position: 'p' });
  const res = restJsonCodec.serializeResponse({ id: 'a1', name: 'api', createdDate: new Date(1700000000000) }, apigw, apigw.operations.CreateRestApi!, ctx);
  assert.equal(res.status, 201);
  assert.deepEqual(json(res), { id: 'a1', name: 'api', createdDate: 1700000000 });
});
