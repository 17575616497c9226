import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError } from '../../src/protocol/aws-error.ts';
import type { ServiceModel, Shape } from '../../src/protocol/model-types.ts';
import { loadModel } from '../../src/protocol/models.ts';
import { matchRestOperation } from '../../src/protocol/rest-bindings.ts';
import { restXmlCodec } from '../../src/protocol/rest-xml.ts';
import type { RawRequest } from '../../src/protocol/types.ts';

const ctx = { requestId: 'foo-id' };
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function req(method: string, url: string, body: Buffer | Readable | string = '', headers: Record<string, string> = {}): RawRequest {
  const q = url.indexOf('?');
  return {
    method, path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), hostname: 'localhost',
    body: typeof body === 'string' ? Buffer.from(body) : body, headers,
  };
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: true, ignoreDeclaration: true });

function assertXml(actual: unknown, expected: string): void {
  assert.equal(typeof actual, 'string');
  assert.equal(XMLValidator.validate(actual as string), true, `not well-formed: ${String(actual)}`);
  assert.deepEqual(xml.parse(actual as string), xml.parse(expected));
}

async function rejects(promise: Promise<unknown>, code: string, status = 400): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof AwsError, `not an AwsError: ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.status, status);
    return true;
  });
}

/** Operations of the Smithy restXml protocol test service (aws.protocoltests.restxml#RestXml), in botocore's format. */
const S = (type: Shape['type'], extra: Partial<Shape> = {}): Shape => ({ type, ...extra });
const op = (name: string, method: string, uri: string, input?: string, output?: string, extra: Record<string, unknown> = {}) => ({
  name, http: { method, requestUri: uri },
  ...(input ? { input: { shape: input } } : {}),
  ...(output ? { output: { shape: output } } : {}),
  ...extra,
});
const fixture: ServiceModel = {
  id: 'restxmltest',
  metadata: { apiVersion: '2019-12-16', endpointPrefix: 'restxml', protocol: 'rest-xml', serviceId: 'Rest Xml Protocol' },
  operations: {
    HttpPayloadWithStructure: op('HttpPayloadWithStructure', 'PUT', '/HttpPayloadWithStructure', 'HttpPayloadWithStructureIO', 'HttpPayloadWithStructureIO'),
    HttpPayloadWithXmlName: op('HttpPayloadWithXmlName', 'PUT', '/HttpPayloadWithXmlName', 'HttpPayloadWithXmlNameIO', 'HttpPayloadWithXmlNameIO'),
    HttpPayloadWithMemberXmlName: op('HttpPayloadWithMemberXmlName', 'PUT', '/HttpPayloadWithMemberXmlName', 'HttpPayloadWithMemberXmlNameIO', 'HttpPayloadWithMemberXmlNameIO'),
    HttpPayloadWithXmlNamespace: op('HttpPayloadWithXmlNamespace', 'PUT', '/HttpPayloadWithXmlNamespace', 'HttpPayloadWithXmlNamespaceIO', 'HttpPayloadWithXmlNamespaceIO'),
    HttpPayloadWithXmlNamespaceAndPrefix: op('HttpPayloadWithXmlNamespaceAndPrefix', 'PUT', '/HttpPayloadWithXmlNamespaceAndPrefix', 'HttpPayloadWithXmlNamespaceAndPrefixIO', 'HttpPayloadWithXmlNamespaceAndPrefixIO'),
    HttpPayloadTraits: op('HttpPayloadTraits', 'POST', '/HttpPayloadTraits', 'HttpPayloadTraitsIO', 'HttpPayloadTraitsIO'),
    XmlAttributesOnPayload: op('XmlAttributesOnPayload', 'PUT', '/XmlAttributesOnPayload', 'XmlAttributesOnPayloadIO', 'XmlAttributesOnPayloadIO'),
    BodyWithXmlName: { ...op('BodyWithXmlName', 'PUT', '/BodyWithXmlName'), input: { shape: 'BodyWithXmlNameIO', locationName: 'Ahoy' }, output: { shape: 'BodyWithXmlNameIO', locationName: 'Ahoy' } },
    HttpPrefixHeaders: op('HttpPrefixHeaders', 'GET', '/HttpPrefixHeaders', 'HttpPrefixHeadersIO', 'HttpPrefixHeadersIO'),
    HttpRequestWithGreedyLabelInPath: op('HttpRequestWithGreedyLabelInPath', 'GET', '/HttpRequestWithGreedyLabelInPath/foo/{foo}/baz/{baz+}', 'GreedyLabelInput'),
    HttpResponseCode: op('HttpResponseCode', 'PUT', '/HttpResponseCode', undefined, 'HttpResponseCodeOutput'),
    FlattenedXmlMap: op('FlattenedXmlMap', 'POST', '/FlattenedXmlMap', 'FlattenedXmlMapIO', 'FlattenedXmlMapIO'),
    NestedXmlMaps: op('NestedXmlMaps', 'POST', '/NestedXmlMaps', 'NestedXmlMapsIO', 'NestedXmlMapsIO'),
    XmlTimestamps: op('XmlTimestamps', 'POST', '/XmlTimestamps', 'XmlTimestampsIO', 'XmlTimestampsIO'),
    TimestampFormatHeaders: op('TimestampFormatHeaders', 'POST', '/TimestampFormatHeaders', 'TimestampFormatHeadersIO', 'TimestampFormatHeadersIO'),
    GreetingWithErrors: op('GreetingWithErrors', 'PUT', '/GreetingWithErrors', undefined, 'GreetingWithErrorsOutput'),
    NoContent: op('NoContent', 'DELETE', '/NoContent', undefined, 'GreetingWithErrorsOutput', { http: { method: 'DELETE', requestUri: '/NoContent', responseCode: 204 } }),
  },
  shapes: {
    String: S('string'), Integer: S('integer'), Boolean: S('boolean'), Timestamp: S('timestamp'), Blob: S('blob'),
    EpochSeconds: S('timestamp', { timestampFormat: 'unixTimestamp' }),
    HttpDate: S('timestamp', { timestampFormat: 'rfc822' }),
    DateTime: S('timestamp', { timestampFormat: 'iso8601' }),
    NestedPayload: S('structure', { members: { greeting: { shape: 'String' }, name: { shape: 'String' } } }),
    HttpPayloadWithStructureIO: S('structure', { members: { nested: { shape: 'NestedPayload' } }, payload: 'nested' }),
    PayloadWithXmlName: S('structure', { locationName: 'Hello', members: { name: { shape: 'String' } } }),
    HttpPayloadWithXmlNameIO: S('structure', { members: { nested: { shape: 'PayloadWithXmlName' } }, payload: 'nested' }),
    HttpPayloadWithMemberXmlNameIO: S('structure', { members: { nested: { shape: 'PayloadWithXmlName', locationName: 'Hola' } }, payload: 'nested' }),
    PayloadWithXmlNamespace: S('structure', { xmlNamespace: { uri: 'http://foo.com' }, members: { name: { shape: 'String' } } }),
    HttpPayloadWithXmlNamespaceIO: S('structure', { members: { nested: { shape: 'PayloadWithXmlNamespace' } }, payload: 'nested' }),
    PayloadWithXmlNamespaceAndPrefix: S('structure', { xmlNamespace: { prefix: 'baz', uri: 'http://foo.com' }, members: { name: { shape: 'String' } } }),
    HttpPayloadWithXmlNamespaceAndPrefixIO: S('structure', { members: { nested: { shape: 'PayloadWithXmlNamespaceAndPrefix' } }, payload: 'nested' }),
    HttpPayloadTraitsIO: S('structure', { members: { foo: { shape: 'String', location: 'header', locationName: 'X-Foo' }, blob: { shape: 'Blob' } }, payload: 'blob' }),
    XmlAttributesPayload: S('structure', { locationName: 'XmlAttributesInputOutput', members: { foo: { shape: 'String' }, attr: { shape: 'String', xmlAttribute: true, locationName: 'test' } } }),
    XmlAttributesOnPayloadIO: S('structure', { members: { payload: { shape: 'XmlAttributesPayload' } }, payload: 'payload' }),
    BodyWithXmlNameIO: S('structure', { members: { nested: { shape: 'NestedName' } } }),
    NestedName: S('structure', { members: { name: { shape: 'String' } } }),
    FooPrefixHeaders: S('map', { key: { shape: 'String' }, value: { shape: 'String' } }),
    HttpPrefixHeadersIO: S('structure', {
      members: { foo: { shape: 'String', location: 'header', locationName: 'X-Foo' }, fooMap: { shape: 'FooPrefixHeaders', location: 'headers', locationName: 'X-Foo-' } },
    }),
    GreedyLabelInput: S('structure', {
      required: ['foo', 'baz'],
      members: { foo: { shape: 'String', location: 'uri', locationName: 'foo' }, baz: { shape: 'String', location: 'uri', locationName: 'baz' } },
    }),
    HttpResponseCodeOutput: S('structure', { members: { Status: { shape: 'Integer', location: 'statusCode' } } }),
    StringMap: S('map', { key: { shape: 'String' }, value: { shape: 'String' } }),
    FlattenedXmlMapIO: S('structure', { members: { myMap: { shape: 'StringMap', flattened: true } } }),
    NestedMap: S('map', { key: { shape: 'String' }, value: { shape: 'StringMap' } }),
    NestedXmlMapsIO: S('structure', { members: { nestedMap: { shape: 'NestedMap' }, flatNestedMap: { shape: 'NestedMap', flattened: true } } }),
    XmlTimestampsIO: S('structure', {
      members: { normal: { shape: 'Timestamp' }, dateTime: { shape: 'DateTime' }, epochSeconds: { shape: 'EpochSeconds' }, httpDate: { shape: 'HttpDate' } },
    }),
    TimestampFormatHeadersIO: S('structure', {
      members: {
        defaultFormat: { shape: 'Timestamp', location: 'header', locationName: 'X-defaultFormat' },
        memberEpochSeconds: { shape: 'Timestamp', location: 'header', locationName: 'X-memberEpochSeconds', timestampFormat: 'unixTimestamp' },
        targetDateTime: { shape: 'DateTime', location: 'header', locationName: 'X-targetDateTime' },
      },
    }),
    GreetingWithErrorsOutput: S('structure', { members: { greeting: { shape: 'String', location: 'header', locationName: 'X-Greeting' } } }),
    InvalidGreeting: S('structure', { exception: true, error: { httpStatusCode: 400, senderFault: true }, members: { Message: { shape: 'String' } } }),
    ComplexError: S('structure', {
      exception: true, error: { httpStatusCode: 403, senderFault: true },
      members: {
        Header: { shape: 'String', location: 'header', locationName: 'X-Header' },
        TopLevel: { shape: 'String' },
        Nested: { shape: 'ComplexNestedErrorData' },
      },
    }),
    ComplexNestedErrorData: S('structure', { members: { Foo: { shape: 'String' } } }),
  },
};

const parseFx = (name: string, r: RawRequest) => restXmlCodec.parseRequest(r, fixture, fixture.operations[name]!);
const serializeFx = (name: string, output: Record<string, unknown>) => restXmlCodec.serializeResponse(output, fixture, fixture.operations[name]!, ctx);

describe('rest-xml: Smithy restXml vectors', () => {
  it('HttpPayloadWithStructure: the payload member is the document', async () => {
    const body = '<NestedPayload><greeting>hello</greeting><name>Phreddy</name></NestedPayload>';
    assert.deepEqual(await parseFx('HttpPayloadWithStructure', req('PUT', '/HttpPayloadWithStructure', body)), { nested: { greeting: 'hello', name: 'Phreddy' } });
    const out = serializeFx('HttpPayloadWithStructure', { nested: { greeting: 'hello', name: 'Phreddy' } });
    assert.equal(out.headers['content-type'], 'application/xml');
    assertXml(out.body, body);
  });

  it('HttpPayloadWithXmlName / HttpPayloadWithMemberXmlName: root named by the shape, else by the member', async () => {
    assertXml(serializeFx('HttpPayloadWithXmlName', { nested: { name: 'Phreddy' } }).body, '<Hello><name>Phreddy</name></Hello>');
    assertXml(serializeFx('HttpPayloadWithMemberXmlName', { nested: { name: 'Phreddy' } }).body, '<Hola><name>Phreddy</name></Hola>');
    assert.deepEqual(await parseFx('HttpPayloadWithMemberXmlName', req('PUT', '/HttpPayloadWithMemberXmlName', '<Hola><name>Phreddy</name></Hola>')), { nested: { name: 'Phreddy' } });
  });

  it('HttpPayloadWithXmlNamespace(AndPrefix)', async () => {
    assertXml(serializeFx('HttpPayloadWithXmlNamespace', { nested: { name: 'Phreddy' } }).body,
      '<PayloadWithXmlNamespace xmlns="http://foo.com"><name>Phreddy</name></PayloadWithXmlNamespace>');
    const prefixed = '<PayloadWithXmlNamespaceAndPrefix xmlns:baz="http://foo.com"><name>Phreddy</name></PayloadWithXmlNamespaceAndPrefix>';
    assertXml(serializeFx('HttpPayloadWithXmlNamespaceAndPrefix', { nested: { name: 'Phreddy' } }).body, prefixed);
    assert.deepEqual(await parseFx('HttpPayloadWithXmlNamespaceAndPrefix', req('PUT', '/HttpPayloadWithXmlNamespaceAndPrefix', prefixed)), { nested: { name: 'Phreddy' } });
  });

  it('XmlAttributesOnPayload', async () => {
    const body = '<XmlAttributesInputOutput test="test"><foo>hi</foo></XmlAttributesInputOutput>';
    assertXml(serializeFx('XmlAttributesOnPayload', { payload: { foo: 'hi', attr: 'test' } }).body, body);
    assert.deepEqual(await parseFx('XmlAttributesOnPayload', req('PUT', '/XmlAttributesOnPayload', body)), { payload: { foo: 'hi', attr: 'test' } });
  });

  it('HttpPayloadTraits: a blob payload is the raw body, both ways', async () => {
    assert.deepEqual(await parseFx('HttpPayloadTraits', req('POST', '/HttpPayloadTraits', 'blobby blob blob', { 'x-foo': 'Foo' })), { foo: 'Foo', blob: Buffer.from('blobby blob blob') });
    assert.deepEqual(await parseFx('HttpPayloadTraits', req('POST', '/HttpPayloadTraits', '', { 'x-foo': 'Foo' })), { foo: 'Foo', blob: Buffer.alloc(0) });
    const out = serializeFx('HttpPayloadTraits', { foo: 'Foo', blob: new Uint8Array([1, 2, 3]) });
    assert.equal(out.headers['x-foo'], 'Foo');
    assert.deepEqual(out.body, Buffer.from([1, 2, 3]));
  });

  it('BodyWithXmlName: body members under the input\'s root element', async () => {
    const body = '<Ahoy><nested><name>Phreddy</name></nested></Ahoy>';
    assert.deepEqual(await parseFx('BodyWithXmlName', req('PUT', '/BodyWithXmlName', body)), { nested: { name: 'Phreddy' } });
    assertXml(serializeFx('BodyWithXmlName', { nested: { name: 'Phreddy' } }).body, body);
  });

  it('HttpPrefixHeaders: X-Foo and the X-Foo-* map', async () => {
    assert.deepEqual(
      await parseFx('HttpPrefixHeaders', req('GET', '/HttpPrefixHeaders', '', { 'x-foo': 'Foo', 'x-foo-abc': 'Abc value', 'x-foo-def': 'Def value' })),
      { foo: 'Foo', fooMap: { abc: 'Abc value', def: 'Def value' } },
    );
    const out = serializeFx('HttpPrefixHeaders', { foo: 'Foo', fooMap: { Abc: 'Abc value' } });
    assert.equal(out.headers['x-foo'], 'Foo');
    assert.equal(out.headers['x-foo-abc'], 'Abc value');
    assert.equal(out.body, undefined);
  });

  it('HttpRequestWithGreedyLabelInPath: greedy labels keep slashes; %2F decodes', async () => {
    assert.deepEqual(
      await parseFx('HttpRequestWithGreedyLabelInPath', req('GET', '/HttpRequestWithGreedyLabelInPath/foo/hello%2Fescape/baz/there/guy')),
      { foo: 'hello/escape', baz: 'there/guy' },
    );
  });

  it('HttpResponseCode: a statusCode member sets the status, and there is no body', () => {
    const out = serializeFx('HttpResponseCode', { Status: 201 });
    assert.equal(out.status, 201);
    assert.equal(out.body, undefined);
  });

  it('responseCode 204 means no body', () => {
    const out = serializeFx('NoContent', { greeting: 'x' });
    assert.equal(out.status, 204);
    assert.equal(out.body, undefined);
  });

  it('FlattenedXmlMap and NestedXmlMaps, both directions', async () => {
    const flat = '<FlattenedXmlMapIO><myMap><key>foo</key><value>Foo</value></myMap><myMap><key>baz</key><value>Baz</value></myMap></FlattenedXmlMapIO>';
    assert.deepEqual(await parseFx('FlattenedXmlMap', req('POST', '/FlattenedXmlMap', flat)), { myMap: { foo: 'Foo', baz: 'Baz' } });
    assertXml(serializeFx('FlattenedXmlMap', { myMap: { foo: 'Foo', baz: 'Baz' } }).body, flat);
    const nested = `<NestedXmlMapsIO>
      <nestedMap><entry><key>foo</key><value><entry><key>bar</key><value>Bar</value></entry></value></entry></nestedMap>
      <flatNestedMap><key>foo</key><value><entry><key>bar</key><value>Bar</value></entry></value></flatNestedMap>
    </NestedXmlMapsIO>`;
    const value = { nestedMap: { foo: { bar: 'Bar' } }, flatNestedMap: { foo: { bar: 'Bar' } } };
    assert.deepEqual(await parseFx('NestedXmlMaps', req('POST', '/NestedXmlMaps', nested)), value);
    assertXml(serializeFx('NestedXmlMaps', value).body, nested);
  });

  it('XmlTimestamps: body formats; parsing accepts any format', async () => {
    const t = new Date(1398796238 * 1000);
    const body = '<XmlTimestampsIO><normal>2014-04-29T18:30:38Z</normal><dateTime>2014-04-29T18:30:38Z</dateTime><epochSeconds>1398796238</epochSeconds><httpDate>Tue, 29 Apr 2014 18:30:38 GMT</httpDate></XmlTimestampsIO>';
    assertXml(serializeFx('XmlTimestamps', { normal: t, dateTime: t, epochSeconds: t, httpDate: t }).body, body);
    assert.deepEqual(await parseFx('XmlTimestamps', req('POST', '/XmlTimestamps', body)), { normal: t, dateTime: t, epochSeconds: t, httpDate: t });
  });

  it('TimestampFormatHeaders: headers default to RFC 822 (IMF-fixdate)', () => {
    const t = new Date(1576540098 * 1000);
    const out = serializeFx('TimestampFormatHeaders', { defaultFormat: t, memberEpochSeconds: t, targetDateTime: t });
    assert.equal(out.headers['x-defaultformat'], 'Mon, 16 Dec 2019 23:48:18 GMT');
    assert.equal(out.headers['x-memberepochseconds'], '1576540098');
    assert.equal(out.headers['x-targetdatetime'], '2019-12-16T23:48:18Z');
  });

  it('GreetingWithErrors: ErrorResponse envelope; error members bound to headers go to headers', () => {
    const invalid = restXmlCodec.serializeError(new AwsError('InvalidGreeting', 'Hi', 400, { AnotherSetting: 'setting' }), fixture, fixture.operations.GreetingWithErrors, ctx);
    assert.equal(invalid.status, 400);
    assertXml(invalid.body, '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGreeting</Code><Message>Hi</Message><AnotherSetting>setting</AnotherSetting></Error><RequestId>foo-id</RequestId></ErrorResponse>');
    const complex = restXmlCodec.serializeError(new AwsError('ComplexError', 'Hi', 400, { Header: 'Header', TopLevel: 'Top level', Nested: { Foo: 'bar' } }), fixture, undefined, ctx);
    assert.equal(complex.status, 403);
    assert.equal(complex.headers['x-header'], 'Header');
    assertXml(complex.body, '<ErrorResponse><Error><Type>Sender</Type><Code>ComplexError</Code><Message>Hi</Message><TopLevel>Top level</TopLevel><Nested><Foo>bar</Foo></Nested></Error><RequestId>foo-id</RequestId></ErrorResponse>');
  });
});

describe('rest-xml: S3', () => {
  const s3 = loadModel('s3');
  const s3op = (name: string) => s3.operations[name]!;

  it('ListObjectsV2 response: flattened Contents and CommonPrefixes, S3 namespace, timestamps', () => {
    const out = restXmlCodec.serializeResponse({
      Name: 'bucket', Prefix: 'photos/', Delimiter: '/', KeyCount: 2, MaxKeys: 1000, IsTruncated: false, EncodingType: 'url',
      Contents: [
        { Key: 'photos/a.jpg', LastModified: new Date('2009-10-12T17:50:30.000Z'), ETag: '"fba9dede5f27731c9771645a39863328"', Size: 434234, StorageClass: 'STANDARD' },
        { Key: 'photos/b & c.jpg', LastModified: new Date('2009-10-12T17:50:31.120Z'), ETag: '"x"', Size: 0, StorageClass: 'STANDARD', Owner: { ID: 'abc', DisplayName: 'me' } },
      ],
      CommonPrefixes: [{ Prefix: 'photos/2024/' }],
    }, s3, s3op('ListObjectsV2'), ctx);
    assert.equal(out.status, 200);
    assert.equal(out.headers['content-type'], 'application/xml');
    assert.equal(out.headers['x-amz-request-id'], 'foo-id');
    assert.ok(out.headers['x-amz-id-2']);
    const body = String(out.body);
    assert.ok(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<'));
    const root = s3op('ListObjectsV2').output!.locationName ?? 'ListObjectsV2Output';
    assertXml(body, `<${root} xmlns="${S3_NS}">
      <CommonPrefixes><Prefix>photos/2024/</Prefix></CommonPrefixes>
      <Contents><ETag>"fba9dede5f27731c9771645a39863328"</ETag><Key>photos/a.jpg</Key><LastModified>2009-10-12T17:50:30Z</LastModified><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>
      <Contents><ETag>"x"</ETag><Key>photos/b &amp; c.jpg</Key><LastModified>2009-10-12T17:50:31.120Z</LastModified><Owner><DisplayName>me</DisplayName><ID>abc</ID></Owner><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>
      <Delimiter>/</Delimiter><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Name>bucket</Name><Prefix>photos/</Prefix>
    </${root}>`);
  });

  it('ListObjectsV2 request: bucket label and query members', async () => {
    const r = req('GET', '/bucket?list-type=2&prefix=photos%2F&delimiter=%2F&max-keys=10&continuation-token=abc%3D%3D');
    assert.equal(matchRestOperation(s3, r.method, r.path, r.query)?.op.name, 'ListObjectsV2');
    assert.deepEqual(await restXmlCodec.parseRequest(r, s3, s3op('ListObjectsV2')), {
      Bucket: 'bucket', Prefix: 'photos/', Delimiter: '/', MaxKeys: 10, ContinuationToken: 'abc==',
    });
  });

  it('PutObject: streaming body passes through untouched; headers, x-amz-meta-* and a %2F/unicode greedy key', async () => {
    const stream = Readable.from([Buffer.from('hello')]);
    const r = req('PUT', '/bucket/dir%2Fsub/caf%C3%A9%20%E2%9C%93+x.txt', stream, {
      'content-type': 'text/plain', 'content-length': '5', 'x-amz-meta-author': 'Ann', 'x-amz-meta-note': 'a b', 'x-amz-storage-class': 'STANDARD_IA',
      'x-amz-tagging': 'k=v', 'cache-control': 'no-cache',
    });
    assert.equal(matchRestOperation(s3, r.method, r.path, r.query)?.op.name, 'PutObject');
    const input = await restXmlCodec.parseRequest(r, s3, s3op('PutObject'));
    assert.equal(input.Body, stream);
    delete input.Body;
    assert.deepEqual(input, {
      Bucket: 'bucket', Key: 'dir/sub/café ✓+x.txt', ContentType: 'text/plain', ContentLength: 5, StorageClass: 'STANDARD_IA',
      Tagging: 'k=v', CacheControl: 'no-cache', Metadata: { author: 'Ann', note: 'a b' },
    });
  });

  it('PutObject response: ETag and version headers, empty body', () => {
    const out = restXmlCodec.serializeResponse({ ETag: '"abc"', VersionId: 'v1' }, s3, s3op('PutObject'), ctx);
    assert.equal(out.status, 200);
    assert.equal(out.headers['etag'], '"abc"');
    assert.equal(out.headers['x-amz-version-id'], 'v1');
    assert.equal(out.body, undefined);
  });

  it('GetObject: the streaming output is passed through; headers in their formats', () => {
    const stream = Readable.from([Buffer.from('hello')]);
    const out = restXmlCodec.serializeResponse({
      Body: stream, ContentType: 'text/plain', ContentLength: 5, ETag: '"abc"', LastModified: new Date('2024-01-02T03:04:05Z'),
      Metadata: { author: 'Ann' }, AcceptRanges: 'bytes', ContentRange: 'bytes 0-4/10',
    }, s3, s3op('GetObject'), ctx);
    assert.equal(out.body, stream);
    assert.equal(out.headers['content-type'], 'text/plain');
    assert.equal(out.headers['content-length'], '5');
    assert.equal(out.headers['last-modified'], 'Tue, 02 Jan 2024 03:04:05 GMT');
    assert.equal(out.headers['x-amz-meta-author'], 'Ann');
    assert.equal(out.headers['content-range'], 'bytes 0-4/10');
    const buffered = restXmlCodec.serializeResponse({ Body: Buffer.from('hi') }, s3, s3op('GetObject'), ctx);
    assert.deepEqual(buffered.body, Buffer.from('hi'));
  });

  it('HeadObject: headers only', () => {
    const out = restXmlCodec.serializeResponse({ ContentLength: 5, ETag: '"abc"' }, s3, s3op('HeadObject'), ctx);
    assert.equal(out.body, undefined);
    assert.equal(out.headers['content-length'], '5');
  });

  it('errors: <Error> with Code, Message, extra fields (BucketName), RequestId, HostId; status from the model', () => {
    const out = restXmlCodec.serializeError(new AwsError('NoSuchBucket', 'The specified bucket does not exist', 400, { BucketName: 'nope' }), s3, s3op('ListObjectsV2'), ctx);
    assert.equal(out.status, 404);
    assert.equal(out.headers['content-type'], 'application/xml');
    assert.equal(out.body,
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>'
      + `<BucketName>nope</BucketName><RequestId>foo-id</RequestId><HostId>${out.headers['x-amz-id-2']}</HostId></Error>`);
  });

  it('errors: Key and Resource; explicit status wins', () => {
    const out = restXmlCodec.serializeError(new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: 'a<b' }), s3, s3op('GetObject'), { requestId: 'r1', resource: '/bucket/a<b' });
    assert.equal(out.status, 404);
    assert.match(String(out.body), /<Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>a&lt;b<\/Key><Resource>\/bucket\/a&lt;b<\/Resource><RequestId>r1<\/RequestId><HostId>/);
    const precondition = restXmlCodec.serializeError(new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: 'If-Match' }), s3, s3op('GetObject'), ctx);
    assert.equal(precondition.status, 412);
  });

  it('HEAD errors have no body', () => {
    const out = restXmlCodec.serializeError(new AwsError('NoSuchKey', 'The specified key does not exist.', 404), s3, s3op('HeadObject'), ctx);
    assert.equal(out.status, 404);
    assert.equal(out.body, undefined);
  });

  it('DeleteObjects: XML payload with a flattened list, entities, booleans', async () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<Delete xmlns="${S3_NS}">
  <Object><Key>a</Key></Object>
  <Object><Key> b&amp;c&#xD;&#x1F600; </Key><VersionId>v1</VersionId></Object>
  <Object><Key><![CDATA[x<y]]></Key></Object>
  <Quiet>true</Quiet>
</Delete>`;
    const r = req('POST', '/bucket?delete', body, { 'content-type': 'application/xml' });
    assert.equal(matchRestOperation(s3, r.method, r.path, r.query)?.op.name, 'DeleteObjects');
    assert.deepEqual(await restXmlCodec.parseRequest(r, s3, s3op('DeleteObjects')), {
      Bucket: 'bucket',
      Delete: { Objects: [{ Key: 'a' }, { Key: ' b&c\r😀 ', VersionId: 'v1' }, { Key: 'x<y' }], Quiet: true },
    });
  });

  it('DeleteObjects response: flattened Deleted and Error lists', () => {
    const out = restXmlCodec.serializeResponse({
      Deleted: [{ Key: 'a' }, { Key: 'b', VersionId: 'v1', DeleteMarker: true }],
      Errors: [{ Key: 'c', Code: 'AccessDenied', Message: 'Access Denied' }],
    }, s3, s3op('DeleteObjects'), ctx);
    const body = String(out.body);
    assert.match(body, /<Deleted><Key>a<\/Key><\/Deleted><Deleted><Key>b<\/Key><VersionId>v1<\/VersionId><DeleteMarker>true<\/DeleteMarker><\/Deleted>/);
    assert.match(body, /<Error><Key>c<\/Key><Code>AccessDenied<\/Code><Message>Access Denied<\/Message><\/Error>/);
  });

  it('CreateBucket: optional XML payload', async () => {
    const body = `<CreateBucketConfiguration xmlns="${S3_NS}"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`;
    assert.deepEqual(await restXmlCodec.parseRequest(req('PUT', '/bucket', body), s3, s3op('CreateBucket')), {
      Bucket: 'bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    });
    assert.deepEqual(await restXmlCodec.parseRequest(req('PUT', '/bucket', '', { 'x-amz-acl': 'private' }), s3, s3op('CreateBucket')), { Bucket: 'bucket', ACL: 'private' });
    assert.deepEqual(await restXmlCodec.parseRequest(req('PUT', '/bucket', '\n  '), s3, s3op('CreateBucket')), { Bucket: 'bucket' });
  });

  it('ACLs: the Grantee xsi:type attribute, read and written', async () => {
    const body = `<AccessControlPolicy xmlns="${S3_NS}"><Owner><ID>o</ID></Owner><AccessControlList>
      <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>o</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>
      <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>
    </AccessControlList></AccessControlPolicy>`;
    const policy = {
      Owner: { ID: 'o' },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: 'o' }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
      ],
    };
    assert.deepEqual(await restXmlCodec.parseRequest(req('PUT', '/bucket?acl', body), s3, s3op('PutBucketAcl')), { Bucket: 'bucket', AccessControlPolicy: policy });
    const out = String(restXmlCodec.serializeResponse(policy, s3, s3op('GetBucketAcl'), ctx).body);
    assert.equal(XMLValidator.validate(out), true);
    assert.match(out, /<AccessControlList><Grant><Grantee xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser"><ID>o<\/ID><\/Grantee><Permission>FULL_CONTROL<\/Permission><\/Grant>/);
  });

  it('malformed bodies are MalformedXML, never a crash', async () => {
    const put = (body: string) => restXmlCodec.parseRequest(req('PUT', '/bucket?tagging', body), s3, s3op('PutBucketTagging'));
    for (const body of [
      '<Tagging><TagSet></Tagging>',
      'not xml',
      '<Tagging>&bogus;</Tagging>',
      '<Tagging>&amp</Tagging>',
      '<Tagging/><Extra/>',
      '<!DOCTYPE x [<!ENTITY a "b">]><Tagging>&a;</Tagging>',
      '<__proto__><x/></__proto__>',
      '<Tagging><TagSet><Tag><Key>&#0;</Key></Tag></TagSet></Tagging>',
    ]) {
      await rejects(put(body), 'MalformedXML');
    }
    await rejects(restXmlCodec.parseRequest(req('POST', '/bucket?delete', '<Delete><Quiet>maybe</Quiet></Delete>'), s3, s3op('DeleteObjects')), 'MalformedXML');
  });

  it('PutBucketTagging: nested wrapped lists', async () => {
    const body = `<Tagging xmlns="${S3_NS}"><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag></TagSet></Tagging>`;
    assert.deepEqual(await restXmlCodec.parseRequest(req('PUT', '/bucket?tagging', body), s3, s3op('PutBucketTagging')), {
      Bucket: 'bucket', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '' }] },
    });
  });

  it('GetBucketPolicy: a string payload is the raw body', async () => {
    const out = restXmlCodec.serializeResponse({ Policy: '{"Version":"2012-10-17"}' }, s3, s3op('GetBucketPolicy'), ctx);
    assert.equal(out.body, '{"Version":"2012-10-17"}');
    assert.deepEqual(await restXmlCodec.parseRequest(req('PUT', '/bucket?policy', '{"a":1}'), s3, s3op('PutBucketPolicy')), { Bucket: 'bucket', Policy: '{"a":1}' });
  });

  it('multipart: CreateMultipartUpload routes by ?uploads and answers with its document', () => {
    const r = req('POST', '/bucket/k?uploads');
    assert.equal(matchRestOperation(s3, r.method, r.path, r.query)?.op.name, 'CreateMultipartUpload');
    const out = restXmlCodec.serializeResponse({ Bucket: 'bucket', Key: 'k', UploadId: 'u1' }, s3, s3op('CreateMultipartUpload'), ctx);
    assert.match(String(out.body), /<Bucket>bucket<\/Bucket><Key>k<\/Key><UploadId>u1<\/UploadId>/);
  });
});

describe('rest-xml: Route 53 and CloudFront', () => {
  it('Route 53 ChangeResourceRecordSets: body members, wrapped lists with renamed members', async () => {
    const r53 = loadModel('route53');
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
  <ChangeBatch><Comment>c</Comment><Changes><Change><Action>UPSERT</Action><ResourceRecordSet>
    <Name>www.example.com</Name><Type>A</Type><TTL>300</TTL>
    <ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord><ResourceRecord><Value>192.0.2.2</Value></ResourceRecord></ResourceRecords>
  </ResourceRecordSet></Change></Changes></ChangeBatch>
</ChangeResourceRecordSetsRequest>`;
    const r = req('POST', '/2013-04-01/hostedzone/Z123/rrset/', body);
    const op = r53.operations.ChangeResourceRecordSets!;
    assert.deepEqual(await restXmlCodec.parseRequest(r, r53, op), {
      HostedZoneId: 'Z123',
      ChangeBatch: {
        Comment: 'c',
        Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'www.example.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.1' }, { Value: '192.0.2.2' }] } }],
      },
    });
    const out = restXmlCodec.serializeResponse({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date('2024-01-02T03:04:05Z') } }, r53, op, ctx);
    assertXml(out.body, `<ChangeResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
      <ChangeInfo><Id>/change/C1</Id><Status>PENDING</Status><SubmittedAt>2024-01-02T03:04:05Z</SubmittedAt></ChangeInfo>
    </ChangeResourceRecordSetsResponse>`);
  });

  it('Route 53 errors: ErrorResponse in the service namespace; malformed bodies use the model\'s InvalidInput', async () => {
    const r53 = loadModel('route53');
    const out = restXmlCodec.serializeError(new AwsError('NoSuchHostedZone', 'No hosted zone found with ID: Z1', 404), r53, undefined, ctx);
    assert.equal(out.status, 404);
    assert.equal(out.body, '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z1</Message></Error><RequestId>foo-id</RequestId></ErrorResponse>');
    await rejects(restXmlCodec.parseRequest(req('POST', '/2013-04-01/hostedzone/Z1/rrset/', '<oops'), r53, r53.operations.ChangeResourceRecordSets!), 'InvalidInput');
  });

  it('CloudFront CreateDistribution: payload output, ETag/Location headers, responseCode 201', () => {
    const cf = loadModel('cloudfront');
    const op = cf.operations.CreateDistribution!;
    const out = restXmlCodec.serializeResponse({ Distribution: { Id: 'E1', Status: 'InProgress' }, ETag: 'E2', Location: 'https://cloudfront.amazonaws.com/2020-05-31/distribution/E1' }, cf, op, ctx);
    assert.equal(out.status, 201);
    assert.equal(out.headers['etag'], 'E2');
    assert.equal(out.headers['location'], 'https://cloudfront.amazonaws.com/2020-05-31/distribution/E1');
    assertXml(out.body, '<Distribution xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>E1</Id><Status>InProgress</Status></Distribution>');
  });
});
