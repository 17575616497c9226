import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { loadModel } from '../../src/protocol/models.ts';
import {
  matchRestOperation, parseQuery, percentDecode, readRequestBindings, restShapePlan, splitHeaderList,
  writeResponseBindings,
} from '../../src/protocol/rest-bindings.ts';
import type { RawRequest } from '../../src/protocol/types.ts';
import { restJsonTestModel } from './fixtures/rest-json-model.ts';

const model = restJsonTestModel();

function request(method: string, target: string, headers: Record<string, string> = {}): RawRequest {
  const q = target.indexOf('?');
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    headers,
    body: Buffer.alloc(0),
    hostname: 'localhost',
  };
}

function bindings(opName: string, req: RawRequest): Record<string, unknown> {
  return readRequestBindings(req, model, model.operations[opName]!);
}

// Vectors below are the request sides of Smithy's restJson1 protocol tests.

test('RestJsonHttpRequestWithLabels: typed uri labels', () => {
  const input = bindings('HttpRequestWithLabels', request('GET', '/HttpRequestWithLabels/string/1/2/3/4.1/5.1/true/2019-12-16T23%3A48%3A18Z'));
  assert.deepEqual(input, {
    string: 'string', short: 1, integer: 2, long: 3, float: 4.1, double: 5.1, boolean: true,
    timestamp: new Date('2019-12-16T23:48:18Z'),
  });
});

test('RestJsonHttpRequestLabelEscaping: labels are percent-decoded', () => {
  const input = bindings('HttpRequestWithLabels', request('GET',
    '/HttpRequestWithLabels/%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9/1/2/3/4.1/5.1/true/2019-12-16T23%3A48%3A18Z'));
  assert.equal(input.string, "%:/?#[]@!$&'()*+,;=😹");
});

test('RestJsonHttpRequestWithGreedyLabelInPath: greedy label keeps slashes', () => {
  const input = bindings('HttpRequestWithGreedyLabelInPath', request('GET', '/HttpRequestWithGreedyLabelInPath/foo/hello%2Fescape/baz/there/guy'));
  assert.deepEqual(input, { foo: 'hello/escape', baz: 'there/guy' });
});

test('RestJsonAllQueryStringTypes: scalars and repeated keys', () => {
  const qs = [
    'String=Hello%20there', 'StringList=a', 'StringList=b', 'StringList=c', 'Integer=3',
    'IntegerList=1', 'IntegerList=2', 'IntegerList=3', 'Long=4', 'Float=1.1', 'Double=1.1',
    'DoubleList=1.1', 'DoubleList=2.1', 'DoubleList=3.1', 'Boolean=true', 'BooleanList=true',
    'BooleanList=false', 'BooleanList=true', 'Timestamp=1970-01-01T00%3A00%3A01Z',
    'TimestampList=1970-01-01T00%3A00%3A01Z', 'TimestampList=1970-01-01T00%3A00%3A02Z',
    'TimestampList=1970-01-01T00%3A00%3A03Z', 'Enum=Foo', 'EnumList=Foo', 'EnumList=Baz', 'EnumList=Bar',
  ].join('&');
  const input = bindings('AllQueryStringTypes', request('GET', `/AllQueryStringTypesInput?${qs}`));
  assert.deepEqual(input, {
    queryString: 'Hello there',
    queryStringList: ['a', 'b', 'c'],
    queryInteger: 3,
    queryIntegerList: [1, 2, 3],
    queryLong: 4,
    queryFloat: 1.1,
    queryDouble: 1.1,
    queryDoubleList: [1.1, 2.1, 3.1],
    queryBoolean: true,
    queryBooleanList: [true, false, true],
    queryTimestamp: new Date(1000),
    queryTimestampList: [new Date(1000), new Date(2000), new Date(3000)],
    queryEnum: 'Foo',
    queryEnumList: ['Foo', 'Baz', 'Bar'],
  });
  // The map of query params holds only the parameters no other member binds: none here.
});

test('RestJsonQueryStringMap: unbound parameters land in the map member', () => {
  const input = bindings('AllQueryStringTypes', request('GET',
    '/AllQueryStringTypesInput?QueryParamsStringKeyA=Foo&QueryParamsStringKeyB=Bar&String=x&X-Amz-Signature=abc&x-id=AllQueryStringTypes'));
  assert.deepEqual(input.queryParamsMapOfStringList, { QueryParamsStringKeyA: ['Foo'], QueryParamsStringKeyB: ['Bar'] });
  assert.equal(input.queryString, 'x');
});

test('RestJsonSupportsNaNFloatQueryValues and Infinity', () => {
  const input = bindings('AllQueryStringTypes', request('GET', '/AllQueryStringTypesInput?Float=NaN&Double=-Infinity'));
  assert.ok(Number.isNaN(input.queryFloat));
  assert.equal(input.queryDouble, -Infinity);
});

test('header members: strings, numbers, booleans, lists, enums', () => {
  const input = bindings('InputAndOutputWithHeaders', request('POST', '/InputAndOutputWithHeaders', {
    'x-string': 'Hello',
    'x-stringlist': 'a, b, c',
    'x-integer': '123',
    'x-long': '123',
    'x-float': '1.1',
    'x-double': '1.1',
    'x-integerlist': '1, 2, 3',
    'x-boolean1': 'true',
    'x-boolean2': 'false',
    'x-booleanlist': 'true, false, true',
    'x-enum': 'Foo',
    'x-enumlist': 'Foo, Bar, Baz',
  }));
  assert.deepEqual(input, {
    headerString: 'Hello', headerStringList: ['a', 'b', 'c'], headerInteger: 123, headerLong: 123,
    headerFloat: 1.1, headerDouble: 1.1, headerIntegerList: [1, 2, 3], headerTrueBool: true,
    headerFalseBool: false, headerBooleanList: [true, false, true], headerEnum: 'Foo',
    headerEnumList: ['Foo', 'Bar', 'Baz'],
  });
});

test('RestJsonInputAndOutputWithQuotedStringHeaders: quoted list items', () => {
  const input = bindings('InputAndOutputWithHeaders', request('POST', '/InputAndOutputWithHeaders', {
    'x-stringlist': '"b,c", "\\"def\\"", a',
  }));
  assert.deepEqual(input.headerStringList, ['b,c', '"def"', 'a']);
});

test('RestJsonInputAndOutputWithTimestampHeaders: http-date lists split pairwise', () => {
  const input = bindings('InputAndOutputWithHeaders', request('POST', '/InputAndOutputWithHeaders', {
    'x-timestamplist': 'Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT',
  }));
  const when = new Date(1576540098 * 1000);
  assert.deepEqual(input.headerTimestampList, [when, when]);
});

test('jsonvalue headers are base64 JSON; blob headers base64', () => {
  const input = bindings('InputAndOutputWithHeaders', request('POST', '/InputAndOutputWithHeaders', {
    'x-json': Buffer.from('{"a":[1,2]}').toString('base64'),
    'x-blob': Buffer.from('blob').toString('base64'),
  }));
  assert.deepEqual(input.headerJson, { a: [1, 2] });
  assert.deepEqual(input.headerBlob, Buffer.from('blob'));
});

test('malformed header and query values are SerializationException 400', () => {
  const bad: Array<Record<string, string>> = [{ 'x-integer': 'abc' }, { 'x-boolean1': 'yes' }, { 'x-double': '1.1.1' }, { 'x-json': 'bm90IGpzb24=' }];
  for (const headers of bad) {
    assert.throws(
      () => bindings('InputAndOutputWithHeaders', request('POST', '/InputAndOutputWithHeaders', headers)),
      (e: unknown) => e instanceof AwsError && e.code === 'SerializationException' && e.status === 400,
      JSON.stringify(headers),
    );
  }
  assert.throws(() => bindings('AllQueryStringTypes', request('GET', '/AllQueryStringTypesInput?Integer=1.5')), AwsError);
  assert.throws(() => bindings('AllQueryStringTypes', request('GET', '/AllQueryStringTypesInput?Timestamp=yesterday')), AwsError);
});

test('RestJsonHttpPrefixHeadersAreNotPresent: no map without prefixed headers', () => {
  assert.deepEqual(bindings('HttpPrefixHeaders', request('GET', '/HttpPrefixHeaders', { 'x-foo': 'Foo' })), { foo: 'Foo' });
});

test('RestJsonHttpPrefixHeadersArePresent: prefix maps strip the prefix', () => {
  const input = bindings('HttpPrefixHeaders', request('GET', '/HttpPrefixHeaders', {
    'x-foo': 'Foo', 'x-foo-abc': 'Abc value', 'x-foo-def': 'Def value', 'host': 'localhost',
  }));
  assert.deepEqual(input, { foo: 'Foo', fooMap: { abc: 'Abc value', def: 'Def value' } });
});

test('output headers: Smithy serialization of every header type', () => {
  const op = model.operations.InputAndOutputWithHeaders!;
  const headers: Record<string, string> = {};
  const when = new Date(1576540098 * 1000);
  writeResponseBindings(model, {
    headerString: 'Hello', headerStringList: ['b,c', '"def"', 'a'], headerInteger: 123,
    headerFloat: NaN, headerDouble: Infinity, headerIntegerList: [1, 2, 3],
    headerTrueBool: true, headerFalseBool: false, headerBooleanList: [true, false, true],
    headerTimestampList: [when, when], headerEnumList: ['Foo', 'Bar', 'Baz'],
    headerJson: { a: 1 }, headerBlob: Buffer.from('blob'), headerLong: undefined,
  }, restShapePlan(model, op.output), headers);
  assert.deepEqual(headers, {
    'x-string': 'Hello',
    'x-stringlist': '"b,c", "\\"def\\"", a',
    'x-integer': '123',
    'x-float': 'NaN',
    'x-double': 'Infinity',
    'x-integerlist': '1, 2, 3',
    'x-boolean1': 'true',
    'x-boolean2': 'false',
    'x-booleanlist': 'true, false, true',
    'x-timestamplist': 'Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT',
    'x-enumlist': 'Foo, Bar, Baz',
    'x-json': Buffer.from('{"a":1}').toString('base64'),
    'x-blob': Buffer.from('blob').toString('base64'),
  });
});

test('output prefix headers and status code members', () => {
  const headers: Record<string, string> = {};
  const status = writeResponseBindings(model, { foo: 'Foo', fooMap: { Abc: 'Abc value' } },
    restShapePlan(model, model.operations.HttpPrefixHeaders!.output), headers);
  assert.equal(status, undefined);
  assert.deepEqual(headers, { 'x-foo': 'Foo', 'x-foo-abc': 'Abc value' });
  assert.equal(writeResponseBindings(model, { Status: 201 }, restShapePlan(model, model.operations.HttpResponseCode!.output), {}), 201);
});

test('plans are computed once per shape', () => {
  const ref = model.operations.InputAndOutputWithHeaders!.input;
  assert.equal(restShapePlan(model, ref), restShapePlan(model, ref));
  assert.equal(restShapePlan(model, undefined), undefined);
});

test('splitHeaderList and parseQuery edge cases', () => {
  assert.deepEqual(splitHeaderList('a'), ['a']);
  assert.deepEqual(splitHeaderList('a,,b'), ['a', '', 'b']);
  assert.deepEqual(splitHeaderList('"a" , b'), ['a', 'b']);
  assert.deepEqual([...parseQuery('a=1&a=2&b&c=x+y&d=%2B')], [['a', ['1', '2']], ['b', ['']], ['c', ['x y']], ['d', ['+']]]);
  assert.equal(percentDecode('100%'), '100%');
  assert.equal(percentDecode('%E2%82%AC%zz'), '€%zz');
  assert.equal(percentDecode('%FF'), '\uFFFD');
});

test('matchRestOperation: constant query literals must be present', () => {
  assert.equal(matchRestOperation(model, 'GET', '/ConstantQueryString/hi', 'foo=bar&hello')?.op.name, 'ConstantQueryString');
  assert.equal(matchRestOperation(model, 'GET', '/ConstantQueryString/hi', 'foo=baz&hello'), undefined);
  assert.equal(matchRestOperation(model, 'GET', '/ConstantQueryString/hi', 'foo=bar'), undefined);
  assert.equal(matchRestOperation(model, 'POST', '/ConstantQueryString/hi', 'foo=bar&hello'), undefined);
  assert.deepEqual(matchRestOperation(model, 'GET', '/ConstantQueryString/h%20i', 'foo=bar&hello')?.labels, { hello: 'h i' });
});

test('matchRestOperation: S3 routes, most specific first', () => {
  const s3 = loadModel('s3');
  const cases: Array<[string, string, string, Record<string, string>, string, Record<string, string>?]> = [
    ['GET', '/', '', {}, 'ListBuckets'],
    ['PUT', '/bucket', '', {}, 'CreateBucket', { Bucket: 'bucket' }],
    ['HEAD', '/bucket', '', {}, 'HeadBucket'],
    ['GET', '/bucket', '', {}, 'ListObjects'],
    ['GET', '/bucket/', 'list-type=2&prefix=a', {}, 'ListObjectsV2', { Bucket: 'bucket' }],
    ['GET', '/bucket', 'uploads', {}, 'ListMultipartUploads'],
    ['GET', '/bucket', 'versions', {}, 'ListObjectVersions'],
    ['POST', '/bucket', 'delete', {}, 'DeleteObjects'],
    ['GET', '/bucket/dir/file%20name.txt', '', {}, 'GetObject', { Bucket: 'bucket', Key: 'dir/file name.txt' }],
    ['GET', '/bucket/dir/', '', {}, 'GetObject', { Bucket: 'bucket', Key: 'dir/' }],
    ['GET', '/bucket/key', 'x-id=GetObject', {}, 'GetObject'],
    ['GET', '/bucket/key', 'tagging', {}, 'GetObjectTagging'],
    ['GET', '/bucket/key', 'uploadId=abc', {}, 'ListParts'],
    ['HEAD', '/bucket/key', '', {}, 'HeadObject'],
    ['PUT', '/bucket/key', '', {}, 'PutObject'],
    ['PUT', '/bucket/key', 'x-id=PutObject', {}, 'PutObject'],
    ['PUT', '/bucket/key', '', { 'x-amz-copy-source': 'src/key' }, 'CopyObject'],
    ['PUT', '/bucket/key', 'partNumber=1&uploadId=u', {}, 'UploadPart'],
    ['PUT', '/bucket/key', 'partNumber=1&uploadId=u', { 'x-amz-copy-source': 'src/key' }, 'UploadPartCopy'],
    ['POST', '/bucket/key', 'uploads', {}, 'CreateMultipartUpload'],
    ['POST', '/bucket/key', 'uploadId=u', {}, 'CompleteMultipartUpload'],
    ['DELETE', '/bucket/key', 'uploadId=u', {}, 'AbortMultipartUpload'],
    ['DELETE', '/bucket/key', '', {}, 'DeleteObject'],
  ];
  for (const [method, path, query, headers, expected, labels] of cases) {
    const match = matchRestOperation(s3, method, path, query, headers);
    assert.equal(match?.op.name, expected, `${method} ${path}?${query}`);
    if (labels) assert.deepEqual(match.labels, labels);
  }
  assert.equal(matchRestOperation(s3, 'PATCH', '/bucket', ''), undefined);
});

test('matchRestOperation: Lambda and API Gateway paths', () => {
  const lambda = loadModel('lambda');
  assert.equal(matchRestOperation(lambda, 'GET', '/2015-03-31/functions/', '')?.op.name, 'ListFunctions');
  assert.equal(matchRestOperation(lambda, 'GET', '/2015-03-31/functions', '')?.op.name, 'ListFunctions');
  const invoke = matchRestOperation(lambda, 'POST', '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations', '');
  assert.equal(invoke?.op.name, 'Invoke');
  assert.equal(invoke.labels.FunctionName, 'arn:aws:lambda:us-east-1:000000000000:function:f');
  assert.equal(matchRestOperation(lambda, 'GET', '/2015-03-31/functions/f/configuration', '')?.op.name, 'GetFunctionConfiguration');
  assert.equal(matchRestOperation(lambda, 'GET', '/2015-03-31/functions/f', '')?.op.name, 'GetFunction');
  const apigw = loadModel('apigateway');
  assert.equal(matchRestOperation(apigw, 'POST', '/restapis', 'mode=import')?.op.name, 'ImportRestApi');
  assert.equal(matchRestOperation(apigw, 'POST', '/restapis', '')?.op.name, 'CreateRestApi');
  assert.equal(matchRestOperation(apigw, 'GET', '/restapis/abc/resources/def', '')?.op.name, 'GetResource');
});

test('Lambda Invoke bindings from a real model', () => {
  const lambda = loadModel('lambda');
  const req = request('POST', '/2015-03-31/functions/my-fn/invocations?Qualifier=prod', {
    'x-amz-invocation-type': 'Event', 'x-amz-log-type': 'Tail', 'content-type': 'application/json',
  });
  assert.deepEqual(readRequestBindings(req, lambda, lambda.operations.Invoke!), {
    FunctionName: 'my-fn', Qualifier: 'prod', InvocationType: 'Event', LogType: 'Tail',
  });
});

test('API Gateway query-string map excludes the literal mode parameter', () => {
  const apigw = loadModel('apigateway');
  const req = request('POST', '/restapis?mode=import&failonwarnings=true&parameters.endpointConfigurationTypes=REGIONAL&ignore=documentation');
  const input = readRequestBindings(req, apigw, apigw.operations.ImportRestApi!);
  assert.deepEqual(input.parameters, { 'parameters.endpointConfigurationTypes': 'REGIONAL', ignore: 'documentation' });
  assert.equal(input.failOnWarnings, true);
});

test('repeated matching with the compiled table is stable', () => {
  const s3 = loadModel('s3');
  matchRestOperation(s3, 'GET', '/b/k', '');
  for (let i = 0; i < 20_000; i++) matchRestOperation(s3, 'PUT', '/bucket/some/key.txt', 'partNumber=1&uploadId=u');
});
