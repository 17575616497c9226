import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError } from '../../src/protocol/aws-error.ts';
import type { ServiceModel, Shape } from '../../src/protocol/model-types.ts';
import { loadModel } from '../../src/protocol/models.ts';
import { queryCodec } from '../../src/protocol/query.ts';
import type { RawRequest } from '../../src/protocol/types.ts';

const ctx = { requestId: 'foo-id' };

function req(body: string, query = '', method = 'POST'): RawRequest {
  return {
    method, path: '/', query, hostname: 'localhost', body: Buffer.from(body),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: true, ignoreDeclaration: true });

/** Compares documents structurally (whitespace between elements is not significant). */
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

/**
 * The Smithy awsQuery protocol test service (aws.protocoltests.query#AwsQuery), transcribed into
 * botocore's model format. Vectors below are the suite's request/response pairs.
 */
const S = (type: Shape['type'], extra: Partial<Shape> = {}): Shape => ({ type, ...extra });
const op = (name: string, input?: string, output?: string, errors: string[] = []) => ({
  name, http: { method: 'POST', requestUri: '/' },
  ...(input ? { input: { shape: input } } : {}),
  ...(output ? { output: { shape: output, resultWrapper: `${name}Result` } } : {}),
  errors: errors.map((shape) => ({ shape })),
});
const fixture: ServiceModel = {
  id: 'querytest',
  metadata: { apiVersion: '2020-01-08', endpointPrefix: 'querytest', protocol: 'query', serviceId: 'Query Protocol', xmlNamespace: 'https://example.com/' },
  operations: {
    QueryLists: op('QueryLists', 'QueryListsInput'),
    QueryMaps: op('QueryMaps', 'QueryMapsInput'),
    QueryTimestamps: op('QueryTimestamps', 'QueryTimestampsInput'),
    SimpleInputParams: op('SimpleInputParams', 'SimpleInputParamsInput'),
    NestedStructures: op('NestedStructures', 'NestedStructuresInput'),
    XmlLists: op('XmlLists', undefined, 'XmlListsOutput'),
    XmlMaps: op('XmlMaps', undefined, 'XmlMapsOutput'),
    XmlMapsXmlName: op('XmlMapsXmlName', undefined, 'XmlMapsXmlNameOutput'),
    FlattenedXmlMap: op('FlattenedXmlMap', undefined, 'FlattenedXmlMapOutput'),
    FlattenedXmlMapWithXmlName: op('FlattenedXmlMapWithXmlName', undefined, 'FlattenedXmlMapWithXmlNameOutput'),
    XmlNamespaces: op('XmlNamespaces', undefined, 'XmlNamespacesOutput'),
    XmlEmptyLists: op('XmlEmptyLists', undefined, 'XmlListsOutput'),
    XmlTimestamps: op('XmlTimestamps', undefined, 'XmlTimestampsOutput'),
    XmlBlobs: op('XmlBlobs', undefined, 'XmlBlobsOutput'),
    SimpleScalarXmlProperties: op('SimpleScalarXmlProperties', undefined, 'SimpleScalarXmlPropertiesOutput'),
    GreetingWithErrors: op('GreetingWithErrors', undefined, 'GreetingWithErrorsOutput', ['InvalidGreeting', 'CustomCodeError', 'ComplexError']),
    NoInputAndNoOutput: op('NoInputAndNoOutput'),
  },
  shapes: {
    String: S('string'), Integer: S('integer'), Long: S('long'), Float: S('float'), Double: S('double'),
    Boolean: S('boolean'), Timestamp: S('timestamp'), Blob: S('blob'),
    FooEnum: S('string', { enum: ['Foo', 'Baz', 'Bar', '1', '0'] }),
    EpochSeconds: S('timestamp', { timestampFormat: 'unixTimestamp' }),
    HttpDate: S('timestamp', { timestampFormat: 'rfc822' }),
    StringList: S('list', { member: { shape: 'String' } }),
    IntegerList: S('list', { member: { shape: 'Integer' } }),
    BooleanList: S('list', { member: { shape: 'Boolean' } }),
    TimestampList: S('list', { member: { shape: 'Timestamp' } }),
    FooEnumList: S('list', { member: { shape: 'FooEnum' } }),
    NestedStringList: S('list', { member: { shape: 'StringList' } }),
    RenamedListMembers: S('list', { member: { shape: 'String', locationName: 'item' } }),
    ListWithXmlName: S('list', { member: { shape: 'String', locationName: 'item' } }),
    ListWithMemberNamespace: S('list', { member: { shape: 'String', xmlNamespace: { uri: 'https://xml-member.example.com' } } }),
    StructureList: S('list', { member: { shape: 'StructureListMember', locationName: 'item' } }),
    StructureListMember: S('structure', { members: { a: { shape: 'String', locationName: 'value' }, b: { shape: 'String', locationName: 'other' } } }),
    GreetingStruct: S('structure', { members: { hi: { shape: 'String' } } }),
    GreetingList: S('list', { member: { shape: 'GreetingStruct' } }),
    NestedStructWithList: S('structure', { members: { ListArg: { shape: 'StringList' } } }),
    StringMap: S('map', { key: { shape: 'String' }, value: { shape: 'String' } }),
    ComplexMap: S('map', { key: { shape: 'String' }, value: { shape: 'GreetingStruct' } }),
    MapWithXmlName: S('map', { key: { shape: 'String', locationName: 'K' }, value: { shape: 'String', locationName: 'V' } }),
    MapOfLists: S('map', { key: { shape: 'String' }, value: { shape: 'StringList' } }),
    NestedStructWithMap: S('structure', { members: { MapArg: { shape: 'StringMap' } } }),
    StructArg: S('structure', { members: { StringArg: { shape: 'String' }, OtherArg: { shape: 'Boolean' }, RecursiveArg: { shape: 'StructArg' } } }),
    QueryListsInput: S('structure', {
      members: {
        ListArg: { shape: 'StringList' },
        ComplexListArg: { shape: 'GreetingList' },
        FlattenedListArg: { shape: 'StringList', flattened: true },
        ListArgWithXmlNameMember: { shape: 'ListWithXmlName' },
        FlattenedListArgWithXmlName: { shape: 'ListWithXmlName', flattened: true, locationName: 'Hi' },
        NestedWithList: { shape: 'NestedStructWithList' },
      },
    }),
    QueryMapsInput: S('structure', {
      members: {
        MapArg: { shape: 'StringMap' },
        RenamedMapArg: { shape: 'StringMap', locationName: 'Foo' },
        ComplexMapArg: { shape: 'ComplexMap' },
        MapWithXmlMemberName: { shape: 'MapWithXmlName' },
        FlattenedMap: { shape: 'StringMap', flattened: true },
        FlattenedMapWithXmlName: { shape: 'MapWithXmlName', flattened: true, locationName: 'Hi' },
        MapOfLists: { shape: 'MapOfLists' },
        NestedStructWithMap: { shape: 'NestedStructWithMap' },
      },
    }),
    QueryTimestampsInput: S('structure', {
      members: {
        normalFormat: { shape: 'Timestamp' },
        epochMember: { shape: 'Timestamp', timestampFormat: 'unixTimestamp' },
        epochTarget: { shape: 'EpochSeconds' },
      },
    }),
    SimpleInputParamsInput: S('structure', {
      members: {
        Foo: { shape: 'String' }, Bar: { shape: 'String' }, Baz: { shape: 'Boolean' }, Bam: { shape: 'Integer' },
        FloatValue: { shape: 'Float' }, Boo: { shape: 'Double' }, Qux: { shape: 'Blob' }, FooEnum: { shape: 'FooEnum' },
      },
    }),
    NestedStructuresInput: S('structure', { members: { Nested: { shape: 'StructArg' } } }),
    XmlListsOutput: S('structure', {
      members: {
        stringList: { shape: 'StringList' },
        stringSet: { shape: 'StringList' },
        integerList: { shape: 'IntegerList' },
        booleanList: { shape: 'BooleanList' },
        timestampList: { shape: 'TimestampList' },
        enumList: { shape: 'FooEnumList' },
        nestedStringList: { shape: 'NestedStringList' },
        renamedListMembers: { shape: 'RenamedListMembers', locationName: 'renamed' },
        flattenedList: { shape: 'StringList', flattened: true },
        // botocore names a flattened list after its member when the member is renamed, so the
        // Smithy `@xmlName("customName")` case is modelled with an unrenamed list.
        flattenedList2: { shape: 'StringList', flattened: true, locationName: 'customName' },
        flattenedListWithMemberNamespace: { shape: 'ListWithMemberNamespace', flattened: true },
        flattenedListWithNamespace: { shape: 'StringList', flattened: true },
        structureList: { shape: 'StructureList', locationName: 'myStructureList' },
      },
    }),
    XmlMapsOutput: S('structure', { members: { myMap: { shape: 'ComplexMap' } } }),
    XmlMapsXmlNameOutput: S('structure', {
      members: { myMap: { shape: 'XmlMapsXmlNameMap' } },
    }),
    XmlMapsXmlNameMap: S('map', { key: { shape: 'String', locationName: 'Attribute' }, value: { shape: 'GreetingStruct', locationName: 'Setting' } }),
    FlattenedXmlMapOutput: S('structure', { members: { myMap: { shape: 'StringMap', flattened: true } } }),
    FlattenedXmlMapWithXmlNameOutput: S('structure', { members: { myMap: { shape: 'MapWithXmlName', flattened: true, locationName: 'KVP' } } }),
    XmlNamespacesOutput: S('structure', { members: { nested: { shape: 'XmlNamespaceNested' } } }),
    XmlNamespaceNested: S('structure', {
      xmlNamespace: { uri: 'http://foo.com' },
      members: {
        foo: { shape: 'String', xmlNamespace: { prefix: 'baz', uri: 'http://baz.com' } },
        values: { shape: 'XmlNamespacedList', xmlNamespace: { uri: 'http://qux.com' } },
      },
    }),
    XmlNamespacedList: S('list', { member: { shape: 'String', xmlNamespace: { uri: 'http://bux.com' } } }),
    XmlTimestampsOutput: S('structure', {
      members: {
        normal: { shape: 'Timestamp' },
        dateTime: { shape: 'Timestamp', timestampFormat: 'iso8601' },
        epochSeconds: { shape: 'EpochSeconds' },
        httpDate: { shape: 'HttpDate' },
      },
    }),
    XmlBlobsOutput: S('structure', { members: { data: { shape: 'Blob' } } }),
    SimpleScalarXmlPropertiesOutput: S('structure', {
      members: {
        stringValue: { shape: 'String' }, emptyStringValue: { shape: 'String' },
        trueBooleanValue: { shape: 'Boolean' }, falseBooleanValue: { shape: 'Boolean' },
        integerValue: { shape: 'Integer' }, longValue: { shape: 'Long' },
        floatValue: { shape: 'Float' }, doubleValue: { shape: 'Double', locationName: 'DoubleDribble' },
      },
    }),
    GreetingWithErrorsOutput: S('structure', { members: { greeting: { shape: 'String' } } }),
    InvalidGreeting: S('structure', { exception: true, members: { Message: { shape: 'String' } } }),
    CustomCodeError: S('structure', { exception: true, error: { code: 'Customized', httpStatusCode: 402, senderFault: true }, members: { Message: { shape: 'String' } } }),
    ComplexError: S('structure', { exception: true, members: { TopLevel: { shape: 'String' }, Nested: { shape: 'ComplexNestedErrorData' } } }),
    ComplexNestedErrorData: S('structure', { members: { Foo: { shape: 'String' } } }),
  },
};

const parse = (name: string, body: string) => queryCodec.parseRequest(req(body), fixture, fixture.operations[name]!);
const serialize = (name: string, output: Record<string, unknown>) => queryCodec.serializeResponse(output, fixture, fixture.operations[name]!, ctx);

describe('query: request vectors (Smithy awsQuery suite)', () => {
  it('QueryLists: member lists, complex lists, flattened lists, renamed members, nested', async () => {
    assert.deepEqual(
      await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&ListArg.member.1=foo&ListArg.member.2=bar&ListArg.member.3=baz&ComplexListArg.member.1.hi=hello&ComplexListArg.member.2.hi=hola'),
      { ListArg: ['foo', 'bar', 'baz'], ComplexListArg: [{ hi: 'hello' }, { hi: 'hola' }] },
    );
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&FlattenedListArg.1=A&FlattenedListArg.2=B'), { FlattenedListArg: ['A', 'B'] });
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&ListArgWithXmlNameMember.item.1=A&ListArgWithXmlNameMember.item.2=B'), { ListArgWithXmlNameMember: ['A', 'B'] });
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&Hi.1=A&Hi.2=B'), { FlattenedListArgWithXmlName: ['A', 'B'] });
    // botocore's spelling of the same flattened list: the member's name.
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&item.1=A&item.2=B'), { FlattenedListArgWithXmlName: ['A', 'B'] });
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&NestedWithList.ListArg.member.1=A&NestedWithList.ListArg.member.2=B'), { NestedWithList: { ListArg: ['A', 'B'] } });
  });

  it('empty lists: omitted, or botocore\'s `Name=`', async () => {
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08'), {});
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&ListArg='), { ListArg: [] });
  });

  it('list items are ordered by index, not by position in the body', async () => {
    assert.deepEqual(await parse('QueryLists', 'ListArg.member.10=j&ListArg.member.2=b&ListArg.member.1=a'), { ListArg: ['a', 'b', 'j'] });
  });

  it('QueryMaps: entry maps, renamed, complex, renamed key/value, flattened, map of lists, nested', async () => {
    const p = (body: string) => parse('QueryMaps', `Action=QueryMaps&Version=2020-01-08&${body}`);
    assert.deepEqual(await p('MapArg.entry.1.key=bar&MapArg.entry.1.value=Bar&MapArg.entry.2.key=foo&MapArg.entry.2.value=Foo'), { MapArg: { bar: 'Bar', foo: 'Foo' } });
    assert.deepEqual(await p('Foo.entry.1.key=foo&Foo.entry.1.value=Foo'), { RenamedMapArg: { foo: 'Foo' } });
    assert.deepEqual(await p('ComplexMapArg.entry.1.key=bar&ComplexMapArg.entry.1.value.hi=Bar&ComplexMapArg.entry.2.key=foo&ComplexMapArg.entry.2.value.hi=Foo'), { ComplexMapArg: { bar: { hi: 'Bar' }, foo: { hi: 'Foo' } } });
    assert.deepEqual(await p('MapWithXmlMemberName.entry.1.K=bar&MapWithXmlMemberName.entry.1.V=Bar&MapWithXmlMemberName.entry.2.K=foo&MapWithXmlMemberName.entry.2.V=Foo'), { MapWithXmlMemberName: { bar: 'Bar', foo: 'Foo' } });
    assert.deepEqual(await p('FlattenedMap.1.key=bar&FlattenedMap.1.value=Bar&FlattenedMap.2.key=foo&FlattenedMap.2.value=Foo'), { FlattenedMap: { bar: 'Bar', foo: 'Foo' } });
    assert.deepEqual(await p('Hi.1.K=bar&Hi.1.V=Bar&Hi.2.K=foo&Hi.2.V=Foo'), { FlattenedMapWithXmlName: { bar: 'Bar', foo: 'Foo' } });
    assert.deepEqual(
      await p('MapOfLists.entry.1.key=bar&MapOfLists.entry.1.value.member.1=C&MapOfLists.entry.1.value.member.2=D&MapOfLists.entry.2.key=foo&MapOfLists.entry.2.value.member.1=A&MapOfLists.entry.2.value.member.2=B'),
      { MapOfLists: { bar: ['C', 'D'], foo: ['A', 'B'] } },
    );
    assert.deepEqual(
      await p('NestedStructWithMap.MapArg.entry.1.key=bar&NestedStructWithMap.MapArg.entry.1.value=Bar&NestedStructWithMap.MapArg.entry.2.key=foo&NestedStructWithMap.MapArg.entry.2.value=Foo'),
      { NestedStructWithMap: { MapArg: { bar: 'Bar', foo: 'Foo' } } },
    );
  });

  it('a map key named __proto__ stays data', async () => {
    const out = (await parse('QueryMaps', 'MapArg.entry.1.key=__proto__&MapArg.entry.1.value=x')) as { MapArg: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(out.MapArg), Object.prototype);
    assert.deepEqual(Object.keys(out.MapArg), ['__proto__']);
  });

  it('QueryTimestamps: ISO 8601 and epoch seconds, whatever the declared format', async () => {
    const d = new Date(1422172800 * 1000);
    assert.deepEqual(
      await parse('QueryTimestamps', 'Action=QueryTimestamps&Version=2020-01-08&normalFormat=2015-01-25T08%3A00%3A00Z&epochMember=1422172800&epochTarget=1422172800'),
      { normalFormat: d, epochMember: d, epochTarget: d },
    );
    assert.deepEqual(await parse('QueryTimestamps', 'normalFormat=1422172800&epochMember=2015-01-25T08%3A00%3A00.000Z'), { normalFormat: d, epochMember: d });
  });

  it('SimpleInputParams: strings, booleans, integers, floats, blobs, enums, NaN and infinities', async () => {
    const p = (body: string) => parse('SimpleInputParams', `Action=SimpleInputParams&Version=2020-01-08&${body}`);
    assert.deepEqual(await p('Foo=val1&Bar=val2'), { Foo: 'val1', Bar: 'val2' });
    assert.deepEqual(await p('Foo=val1&Baz=true'), { Foo: 'val1', Baz: true });
    assert.deepEqual(await p('Baz=false'), { Baz: false });
    assert.deepEqual(await p('Bam=10'), { Bam: 10 });
    assert.deepEqual(await p('Boo=10.8'), { Boo: 10.8 });
    assert.deepEqual(await p('Qux=dmFsdWU%3D'), { Qux: Buffer.from('value') });
    assert.deepEqual(await p('FooEnum=Foo'), { FooEnum: 'Foo' });
    assert.deepEqual(await p('FloatValue=NaN&Boo=NaN'), { FloatValue: NaN, Boo: NaN });
    assert.deepEqual(await p('FloatValue=Infinity&Boo=Infinity'), { FloatValue: Infinity, Boo: Infinity });
    assert.deepEqual(await p('FloatValue=-Infinity&Boo=-Infinity'), { FloatValue: -Infinity, Boo: -Infinity });
  });

  it('form decoding: + is a space, percent-escapes are UTF-8, empty values are kept', async () => {
    assert.deepEqual(await parse('SimpleInputParams', 'Foo=a+b%20c%E2%9C%93%26%3D&Bar='), { Foo: 'a b c✓&=', Bar: '' });
  });

  it('NestedStructures: dotted paths, recursion', async () => {
    assert.deepEqual(
      await parse('NestedStructures', 'Action=NestedStructures&Version=2020-01-08&Nested.StringArg=foo&Nested.OtherArg=true&Nested.RecursiveArg.StringArg=baz'),
      { Nested: { StringArg: 'foo', OtherArg: true, RecursiveArg: { StringArg: 'baz' } } },
    );
  });

  it('unknown parameters are ignored', async () => {
    assert.deepEqual(await parse('SimpleInputParams', 'Foo=x&Unknown=1&Foo2.member.1=z'), { Foo: 'x' });
  });
});

describe('query: bad input', () => {
  it('bad integer, boolean, float, timestamp -> InvalidParameterValue 400', async () => {
    await rejects(parse('SimpleInputParams', 'Bam=ten'), 'InvalidParameterValue');
    await rejects(parse('SimpleInputParams', 'Bam=1.5'), 'InvalidParameterValue');
    await rejects(parse('SimpleInputParams', 'Bam=99999999999'), 'InvalidParameterValue');
    await rejects(parse('SimpleInputParams', 'Baz=yes'), 'InvalidParameterValue');
    await rejects(parse('SimpleInputParams', 'Boo='), 'InvalidParameterValue');
    await rejects(parse('SimpleInputParams', 'Boo=1x'), 'InvalidParameterValue');
    await rejects(parse('QueryTimestamps', 'normalFormat=yesterday'), 'InvalidParameterValue');
  });

  it('recursive shapes cannot nest without bound', async () => {
    await rejects(parse('NestedStructures', `Nested.${'RecursiveArg.'.repeat(100)}StringArg=x`), 'InvalidParameterValue');
    const ok = (await parse('NestedStructures', `Nested.${'RecursiveArg.'.repeat(10)}StringArg=x`)) as { Nested: Record<string, unknown> };
    assert.ok(ok.Nested.RecursiveArg);
  });

  it('the message names the parameter path', async () => {
    await assert.rejects(parse('NestedStructures', 'Nested.RecursiveArg.OtherArg=maybe'), /Nested\.RecursiveArg\.OtherArg/);
  });

  it('broken percent-encoding -> MalformedQueryString', async () => {
    await rejects(parse('SimpleInputParams', 'Foo=%ZZ'), 'MalformedQueryString');
    await rejects(parse('SimpleInputParams', 'Foo=%E2%9C'), 'MalformedQueryString');
  });

  it('operationName: Action from the body, or the query string of a GET; unknown -> InvalidAction', () => {
    assert.equal(queryCodec.operationName!(req('Action=QueryLists&Version=2020-01-08'), fixture), 'QueryLists');
    assert.equal(queryCodec.operationName!(req('', 'Action=XmlBlobs&Version=2020-01-08', 'GET'), fixture), 'XmlBlobs');
    assert.equal(queryCodec.operationName!(req('Version=2020-01-08'), fixture), undefined);
    assert.throws(() => queryCodec.operationName!(req('Action=Nope'), fixture), (err: unknown) => {
      assert.ok(err instanceof AwsError);
      assert.equal(err.code, 'InvalidAction');
      assert.equal(err.status, 400);
      assert.equal(err.message, 'The action Nope is not valid for this web service.');
      return true;
    });
    assert.throws(() => queryCodec.operationName!(req('Action=toString'), fixture), { code: 'InvalidAction' });
  });
});

describe('query: response vectors (Smithy awsQuery suite)', () => {
  it('XmlLists', () => {
    const ts = new Date(1398796238 * 1000);
    const out = serialize('XmlLists', {
      stringList: ['foo', 'bar'], stringSet: ['foo', 'bar'], integerList: [1, 2], booleanList: [true, false],
      timestampList: [ts, ts], enumList: ['Foo', '0'], nestedStringList: [['foo', 'bar'], ['baz', 'qux']],
      renamedListMembers: ['foo', 'bar'], flattenedList: ['hi', 'bye'], flattenedList2: ['yep', 'nope'],
      flattenedListWithMemberNamespace: ['a', 'b'], flattenedListWithNamespace: ['a', 'b'],
      structureList: [{ a: '1', b: '2' }, { a: '3', b: '4' }],
    });
    assert.equal(out.status, 200);
    assert.equal(out.headers['content-type'], 'text/xml');
    assertXml(out.body, `<XmlListsResponse xmlns="https://example.com/">
      <XmlListsResult>
        <stringList><member>foo</member><member>bar</member></stringList>
        <stringSet><member>foo</member><member>bar</member></stringSet>
        <integerList><member>1</member><member>2</member></integerList>
        <booleanList><member>true</member><member>false</member></booleanList>
        <timestampList><member>2014-04-29T18:30:38Z</member><member>2014-04-29T18:30:38Z</member></timestampList>
        <enumList><member>Foo</member><member>0</member></enumList>
        <nestedStringList>
          <member><member>foo</member><member>bar</member></member>
          <member><member>baz</member><member>qux</member></member>
        </nestedStringList>
        <renamed><item>foo</item><item>bar</item></renamed>
        <flattenedList>hi</flattenedList><flattenedList>bye</flattenedList>
        <customName>yep</customName><customName>nope</customName>
        <flattenedListWithMemberNamespace xmlns="https://xml-member.example.com">a</flattenedListWithMemberNamespace>
        <flattenedListWithMemberNamespace xmlns="https://xml-member.example.com">b</flattenedListWithMemberNamespace>
        <flattenedListWithNamespace>a</flattenedListWithNamespace><flattenedListWithNamespace>b</flattenedListWithNamespace>
        <myStructureList>
          <item><value>1</value><other>2</other></item>
          <item><value>3</value><other>4</other></item>
        </myStructureList>
      </XmlListsResult>
      <ResponseMetadata><RequestId>foo-id</RequestId></ResponseMetadata>
    </XmlListsResponse>`);
  });

  it('XmlEmptyLists: empty wrapped lists are empty elements; empty flattened lists vanish', () => {
    const out = serialize('XmlEmptyLists', { stringList: [], stringSet: [], flattenedList: [] });
    assert.match(String(out.body), /<XmlEmptyListsResult><stringList\/><stringSet\/><\/XmlEmptyListsResult>/);
  });

  it('XmlMaps, XmlMapsXmlName, FlattenedXmlMap, FlattenedXmlMapWithXmlName', () => {
    const meta = '<ResponseMetadata><RequestId>foo-id</RequestId></ResponseMetadata>';
    assertXml(serialize('XmlMaps', { myMap: { foo: { hi: 'there' }, baz: { hi: 'bye' } } }).body,
      `<XmlMapsResponse xmlns="https://example.com/"><XmlMapsResult><myMap>
        <entry><key>foo</key><value><hi>there</hi></value></entry>
        <entry><key>baz</key><value><hi>bye</hi></value></entry>
      </myMap></XmlMapsResult>${meta}</XmlMapsResponse>`);
    assertXml(serialize('XmlMapsXmlName', { myMap: { foo: { hi: 'there' }, baz: { hi: 'bye' } } }).body,
      `<XmlMapsXmlNameResponse xmlns="https://example.com/"><XmlMapsXmlNameResult><myMap>
        <entry><Attribute>foo</Attribute><Setting><hi>there</hi></Setting></entry>
        <entry><Attribute>baz</Attribute><Setting><hi>bye</hi></Setting></entry>
      </myMap></XmlMapsXmlNameResult>${meta}</XmlMapsXmlNameResponse>`);
    assertXml(serialize('FlattenedXmlMap', { myMap: new Map([['foo', 'Foo'], ['baz', 'Baz']]) }).body,
      `<FlattenedXmlMapResponse xmlns="https://example.com/"><FlattenedXmlMapResult>
        <myMap><key>foo</key><value>Foo</value></myMap>
        <myMap><key>baz</key><value>Baz</value></myMap>
      </FlattenedXmlMapResult>${meta}</FlattenedXmlMapResponse>`);
    assertXml(serialize('FlattenedXmlMapWithXmlName', { myMap: { a: 'A', b: 'B' } }).body,
      `<FlattenedXmlMapWithXmlNameResponse xmlns="https://example.com/"><FlattenedXmlMapWithXmlNameResult>
        <KVP><K>a</K><V>A</V></KVP><KVP><K>b</K><V>B</V></KVP>
      </FlattenedXmlMapWithXmlNameResult>${meta}</FlattenedXmlMapWithXmlNameResponse>`);
  });

  it('XmlNamespaces: structure, member and list-member namespaces, prefixed namespaces', () => {
    assertXml(serialize('XmlNamespaces', { nested: { foo: 'Foo', values: ['Bar', 'Baz'] } }).body,
      `<XmlNamespacesResponse xmlns="https://example.com/"><XmlNamespacesResult>
        <nested xmlns="http://foo.com">
          <foo xmlns:baz="http://baz.com">Foo</foo>
          <values xmlns="http://qux.com"><member xmlns="http://bux.com">Bar</member><member xmlns="http://bux.com">Baz</member></values>
        </nested>
      </XmlNamespacesResult><ResponseMetadata><RequestId>foo-id</RequestId></ResponseMetadata></XmlNamespacesResponse>`);
  });

  it('XmlTimestamps: ISO 8601 by default, trait formats honoured', () => {
    const t = new Date(1398796238 * 1000);
    const body = String(serialize('XmlTimestamps', { normal: t, dateTime: t, epochSeconds: t, httpDate: t }).body);
    assert.match(body, /<normal>2014-04-29T18:30:38Z<\/normal>/);
    assert.match(body, /<dateTime>2014-04-29T18:30:38Z<\/dateTime>/);
    assert.match(body, /<epochSeconds>1398796238<\/epochSeconds>/);
    assert.match(body, /<httpDate>Tue, 29 Apr 2014 18:30:38 GMT<\/httpDate>/);
    assert.match(String(serialize('XmlTimestamps', { normal: new Date(Date.UTC(2014, 3, 29, 18, 30, 38, 123)) }).body), /<normal>2014-04-29T18:30:38.123Z<\/normal>/);
  });

  it('XmlBlobs: base64', () => {
    assert.match(String(serialize('XmlBlobs', { data: Buffer.from('value') }).body), /<data>dmFsdWU=<\/data>/);
  });

  it('SimpleScalarXmlProperties, including NaN and infinities', () => {
    assertXml(serialize('SimpleScalarXmlProperties', {
      stringValue: 'string', emptyStringValue: '', trueBooleanValue: true, falseBooleanValue: false,
      integerValue: 3, longValue: 4, floatValue: 5.5, doubleValue: 6.5,
    }).body, `<SimpleScalarXmlPropertiesResponse xmlns="https://example.com/"><SimpleScalarXmlPropertiesResult>
      <stringValue>string</stringValue><emptyStringValue/><trueBooleanValue>true</trueBooleanValue>
      <falseBooleanValue>false</falseBooleanValue><integerValue>3</integerValue><longValue>4</longValue>
      <floatValue>5.5</floatValue><DoubleDribble>6.5</DoubleDribble>
    </SimpleScalarXmlPropertiesResult><ResponseMetadata><RequestId>foo-id</RequestId></ResponseMetadata></SimpleScalarXmlPropertiesResponse>`);
    for (const v of [NaN, Infinity, -Infinity]) {
      assert.match(String(serialize('SimpleScalarXmlProperties', { floatValue: v, doubleValue: v }).body), new RegExp(`<floatValue>${v}</floatValue><DoubleDribble>${v}</DoubleDribble>`));
    }
  });

  it('an operation without output has no Result element', () => {
    assert.equal(serialize('NoInputAndNoOutput', {}).body,
      '<NoInputAndNoOutputResponse xmlns="https://example.com/"><ResponseMetadata><RequestId>foo-id</RequestId></ResponseMetadata></NoInputAndNoOutputResponse>');
  });

  it('text is escaped so any string round-trips; characters XML cannot carry become U+FFFD', () => {
    const nasty = 'a<b>&"\'\r\n\tc\u0001\uD800 😀 ]]>';
    const body = String(serialize('GreetingWithErrors', { greeting: nasty }).body);
    assert.equal(XMLValidator.validate(body), true);
    assert.match(body, /<greeting>a&lt;b&gt;&amp;"'&#xD;\n\tc\uFFFD\uFFFD 😀 ]]&gt;<\/greeting>/);
  });
});

describe('query: errors', () => {
  const serializeError = (err: AwsError, model: ServiceModel = fixture) => queryCodec.serializeError(err, model, undefined, ctx);

  it('InvalidGreeting: ErrorResponse with Type, Code, Message, RequestId', () => {
    const out = serializeError(new AwsError('InvalidGreeting', 'Hi', 400));
    assert.equal(out.status, 400);
    assert.equal(out.headers['content-type'], 'text/xml');
    assert.equal(out.body,
      '<ErrorResponse xmlns="https://example.com/"><Error><Type>Sender</Type><Code>InvalidGreeting</Code><Message>Hi</Message></Error><RequestId>foo-id</RequestId></ErrorResponse>');
  });

  it('CustomCodeError: the wire code comes from the shape\'s awsQueryError trait', () => {
    const out = serializeError(new AwsError('CustomCodeError', 'Hi', 402));
    assert.equal(out.status, 402);
    assert.match(String(out.body), /<Code>Customized<\/Code><Message>Hi<\/Message>/);
  });

  it('ComplexError: extra fields, nested, typed through the error shape', () => {
    const out = serializeError(new AwsError('ComplexError', 'oops', 400, { TopLevel: 'Top level', Nested: { Foo: 'bar' } }));
    assertXml(out.body, `<ErrorResponse xmlns="https://example.com/"><Error><Type>Sender</Type><Code>ComplexError</Code><Message>oops</Message>
      <TopLevel>Top level</TopLevel><Nested><Foo>bar</Foo></Nested></Error><RequestId>foo-id</RequestId></ErrorResponse>`);
  });

  it('server faults are Receiver; extra headers pass through; odd field names are dropped', () => {
    const out = serializeError(new AwsError('InternalFailure', 'boom', 500, { 'bad name': 1, Retry: 3 }, { headers: { 'retry-after': '1' } }));
    assert.equal(out.status, 500);
    assert.equal(out.headers['retry-after'], '1');
    assert.match(String(out.body), /<Type>Receiver<\/Type><Code>InternalFailure<\/Code><Message>boom<\/Message><Retry>3<\/Retry><\/Error>/);
  });
});

describe('query: real models', () => {
  it('STS AssumeRole: request with nested member lists; response with resultWrapper and timestamps', async () => {
    const sts = loadModel('sts');
    const body = 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=s1'
      + '&DurationSeconds=900&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FA&Tags.member.1.Key=team&Tags.member.1.Value=blue'
      + '&TransitiveTagKeys.member.1=team';
    assert.equal(queryCodec.operationName!(req(body), sts), 'AssumeRole');
    assert.deepEqual(await queryCodec.parseRequest(req(body), sts, sts.operations.AssumeRole!), {
      RoleArn: 'arn:aws:iam::123456789012:role/demo', RoleSessionName: 's1', DurationSeconds: 900,
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/A' }], Tags: [{ Key: 'team', Value: 'blue' }], TransitiveTagKeys: ['team'],
    });
    const out = queryCodec.serializeResponse({
      Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2024-01-02T03:04:05Z') },
      AssumedRoleUser: { AssumedRoleId: 'AROA:s1', Arn: 'arn:aws:sts::123456789012:assumed-role/demo/s1' },
      PackedPolicySize: 6,
    }, sts, sts.operations.AssumeRole!, ctx);
    assertXml(out.body, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
      <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/s1</Arn><AssumedRoleId>AROA:s1</AssumedRoleId></AssumedRoleUser>
      <Credentials><AccessKeyId>ASIA</AccessKeyId><Expiration>2024-01-02T03:04:05Z</Expiration><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken></Credentials>
      <PackedPolicySize>6</PackedPolicySize>
    </AssumeRoleResult><ResponseMetadata><RequestId>foo-id</RequestId></ResponseMetadata></AssumeRoleResponse>`);
  });

  it('STS error: ErrorResponse in the service namespace, status from the AwsError', () => {
    const sts = loadModel('sts');
    const out = queryCodec.serializeError(new AwsError('RegionDisabledException', 'disabled', 403), sts, sts.operations.AssumeRole, ctx);
    assert.equal(out.status, 403);
    assert.equal(out.body, '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>RegionDisabledException</Code><Message>disabled</Message></Error><RequestId>foo-id</RequestId></ErrorResponse>');
  });

  it('CloudWatch PutMetricData: nested lists of structures, doubles, timestamps', async () => {
    const cw = loadModel('cloudwatch');
    const body = 'Action=PutMetricData&Version=2010-08-01&Namespace=App'
      + '&MetricData.member.1.MetricName=Latency&MetricData.member.1.Value=12.5&MetricData.member.1.Unit=Milliseconds'
      + '&MetricData.member.1.Timestamp=2024-01-02T03%3A04%3A05.500Z'
      + '&MetricData.member.1.Dimensions.member.1.Name=Host&MetricData.member.1.Dimensions.member.1.Value=a'
      + '&MetricData.member.1.Dimensions.member.2.Name=Az&MetricData.member.1.Dimensions.member.2.Value=b'
      + '&MetricData.member.2.MetricName=Count&MetricData.member.2.StatisticValues.SampleCount=2&MetricData.member.2.StatisticValues.Sum=3'
      + '&MetricData.member.2.StatisticValues.Minimum=1&MetricData.member.2.StatisticValues.Maximum=2'
      + '&MetricData.member.2.Values.member.1=1&MetricData.member.2.Values.member.2=2e3&MetricData.member.2.Counts.member.1=5';
    assert.deepEqual(await queryCodec.parseRequest(req(body), cw, cw.operations.PutMetricData!), {
      Namespace: 'App',
      MetricData: [
        {
          MetricName: 'Latency', Value: 12.5, Unit: 'Milliseconds', Timestamp: new Date('2024-01-02T03:04:05.500Z'),
          Dimensions: [{ Name: 'Host', Value: 'a' }, { Name: 'Az', Value: 'b' }],
        },
        { MetricName: 'Count', StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 }, Values: [1, 2000], Counts: [5] },
      ],
    });
  });

  it('CloudWatch GetMetricStatistics response: xmlOrder, maps, empty lists', () => {
    const cw = loadModel('cloudwatch');
    const out = queryCodec.serializeResponse({
      Label: 'Latency',
      Datapoints: [{ Sum: 3, Timestamp: new Date('2024-01-02T03:04:00Z'), Unit: 'Count', SampleCount: 2, ExtendedStatistics: { p99: 1.5 } }],
    }, cw, cw.operations.GetMetricStatistics!, ctx);
    assert.equal(out.body,
      '<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricStatisticsResult>'
      + '<Label>Latency</Label><Datapoints><member><Timestamp>2024-01-02T03:04:00Z</Timestamp><SampleCount>2</SampleCount><Sum>3</Sum><Unit>Count</Unit>'
      + '<ExtendedStatistics><entry><key>p99</key><value>1.5</value></entry></ExtendedStatistics></member></Datapoints>'
      + '</GetMetricStatisticsResult><ResponseMetadata><RequestId>foo-id</RequestId></ResponseMetadata></GetMetricStatisticsResponse>');
    const empty = queryCodec.serializeResponse({ Datapoints: [] }, cw, cw.operations.GetMetricStatistics!, ctx);
    assert.match(String(empty.body), /<GetMetricStatisticsResult><Datapoints\/><\/GetMetricStatisticsResult>/);
  });

  it('CloudWatch error: the model\'s query error code (InvalidParameterValueException -> InvalidParameterValue)', () => {
    const cw = loadModel('cloudwatch');
    const out = queryCodec.serializeError(new AwsError('InvalidParameterValueException', 'bad', 400), cw, undefined, ctx);
    assert.match(String(out.body), /<Code>InvalidParameterValue<\/Code>/);
  });

  it('SQS (json+query model): query requests decode through the same model', async () => {
    const sqs = loadModel('sqs');
    const body = 'Action=ChangeMessageVisibility&Version=2012-11-05&QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq&ReceiptHandle=rh%2B1&VisibilityTimeout=30';
    assert.equal(queryCodec.operationName!(req(body), sqs), 'ChangeMessageVisibility');
    assert.deepEqual(await queryCodec.parseRequest(req(body), sqs, sqs.operations.ChangeMessageVisibility!), {
      QueueUrl: 'http://localhost:4566/000000000000/q', ReceiptHandle: 'rh+1', VisibilityTimeout: 30,
    });
    const out = queryCodec.serializeResponse({ QueueUrl: 'http://localhost:4566/000000000000/q' }, sqs, sqs.operations.GetQueueUrl!, ctx);
    assert.equal(out.body, '<GetQueueUrlResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><GetQueueUrlResult><QueueUrl>http://localhost:4566/000000000000/q</QueueUrl></GetQueueUrlResult><ResponseMetadata><RequestId>foo-id</RequestId></ResponseMetadata></GetQueueUrlResponse>');
  });
});
