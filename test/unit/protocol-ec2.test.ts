import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { ec2Codec } from '../../src/protocol/ec2.ts';
import type { ServiceModel, Shape } from '../../src/protocol/model-types.ts';
import { loadModel } from '../../src/protocol/models.ts';
import type { RawRequest } from '../../src/protocol/types.ts';

const ctx = { requestId: 'requestid' };

function req(body: string): RawRequest {
  return {
    method: 'POST', path: '/', query: '', hostname: 'localhost', body: Buffer.from(body),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: true, ignoreDeclaration: true });

function assertXml(actual: unknown, expected: string): void {
  assert.equal(typeof actual, 'string');
  assert.equal(XMLValidator.validate(actual as string), true, `not well-formed: ${String(actual)}`);
  assert.deepEqual(xml.parse(actual as string), xml.parse(expected));
}

/** The Smithy ec2Query protocol test service (aws.protocoltests.ec2#AwsEc2), in botocore's model format. */
const S = (type: Shape['type'], extra: Partial<Shape> = {}): Shape => ({ type, ...extra });
const op = (name: string, input?: string, output?: string) => ({
  name, http: { method: 'POST', requestUri: '/' },
  ...(input ? { input: { shape: input } } : {}),
  ...(output ? { output: { shape: output } } : {}),
});
const fixture: ServiceModel = {
  id: 'ec2test',
  metadata: { apiVersion: '2020-01-08', endpointPrefix: 'ec2test', protocol: 'ec2', serviceId: 'EC2 Protocol', xmlNamespace: 'https://example.com/' },
  operations: {
    QueryLists: op('QueryLists', 'QueryListsInput'),
    SimpleInputParams: op('SimpleInputParams', 'SimpleInputParamsInput'),
    NestedStructures: op('NestedStructures', 'NestedStructuresInput'),
    QueryTimestamps: op('QueryTimestamps', 'QueryTimestampsInput'),
    XmlLists: op('XmlLists', undefined, 'XmlListsOutput'),
    XmlNamespaces: op('XmlNamespaces', undefined, 'XmlNamespacesOutput'),
    EmptyInputAndEmptyOutput: op('EmptyInputAndEmptyOutput', 'EmptyInput', 'EmptyOutput'),
    NoInputAndNoOutput: op('NoInputAndNoOutput'),
  },
  shapes: {
    String: S('string'), Integer: S('integer'), Float: S('float'), Double: S('double'), Boolean: S('boolean'),
    Timestamp: S('timestamp'), Blob: S('blob'),
    EpochSeconds: S('timestamp', { timestampFormat: 'unixTimestamp' }),
    StringList: S('list', { member: { shape: 'String' } }),
    IntegerList: S('list', { member: { shape: 'Integer' } }),
    RenamedListMembers: S('list', { member: { shape: 'String', locationName: 'item' } }),
    ListWithXmlName: S('list', { member: { shape: 'String', locationName: 'item' } }),
    GreetingStruct: S('structure', { members: { hi: { shape: 'String' } } }),
    GreetingList: S('list', { member: { shape: 'GreetingStruct' } }),
    NestedStructWithList: S('structure', { members: { ListArg: { shape: 'StringList' } } }),
    StructArg: S('structure', { members: { StringArg: { shape: 'String' }, OtherArg: { shape: 'Boolean' }, RecursiveArg: { shape: 'StructArg' } } }),
    QueryListsInput: S('structure', {
      members: {
        ListArg: { shape: 'StringList' },
        ComplexListArg: { shape: 'GreetingList' },
        ListArgWithXmlNameMember: { shape: 'ListWithXmlName' },
        ListArgWithXmlName: { shape: 'ListWithXmlName', locationName: 'Hi' },
        NestedWithList: { shape: 'NestedStructWithList' },
      },
    }),
    SimpleInputParamsInput: S('structure', {
      members: {
        Foo: { shape: 'String' }, Bar: { shape: 'String' }, Baz: { shape: 'Boolean' }, Bam: { shape: 'Integer' },
        FloatValue: { shape: 'Float' }, Boo: { shape: 'Double' }, Qux: { shape: 'Blob' },
        HasQueryName: { shape: 'String', queryName: 'A' },
        HasQueryAndXmlName: { shape: 'String', queryName: 'B', locationName: 'IgnoreMe' },
        UsesXmlName: { shape: 'String', locationName: 'c' },
      },
    }),
    NestedStructuresInput: S('structure', { members: { Nested: { shape: 'StructArg' } } }),
    QueryTimestampsInput: S('structure', {
      members: {
        normalFormat: { shape: 'Timestamp' },
        epochMember: { shape: 'Timestamp', timestampFormat: 'unixTimestamp' },
        epochTarget: { shape: 'EpochSeconds' },
      },
    }),
    XmlListsOutput: S('structure', {
      members: {
        stringList: { shape: 'StringList' },
        integerList: { shape: 'IntegerList' },
        renamedListMembers: { shape: 'RenamedListMembers', locationName: 'renamed' },
        flattenedList: { shape: 'StringList', flattened: true },
      },
    }),
    XmlNamespacesOutput: S('structure', { members: { nested: { shape: 'XmlNamespaceNested' } } }),
    XmlNamespaceNested: S('structure', {
      members: {
        foo: { shape: 'String', xmlNamespace: { prefix: 'baz', uri: 'http://baz.com' } },
        values: { shape: 'XmlNamespacedList', xmlNamespace: { uri: 'http://qux.com' } },
      },
    }),
    XmlNamespacedList: S('list', { member: { shape: 'String', xmlNamespace: { uri: 'http://bux.com' } } }),
    EmptyInput: S('structure', { members: {} }),
    EmptyOutput: S('structure', { members: {} }),
    InvalidGreeting: S('structure', { exception: true, members: { Message: { shape: 'String' } } }),
  },
};

const parse = (name: string, body: string) => ec2Codec.parseRequest(req(body), fixture, fixture.operations[name]!);

describe('ec2: request vectors (Smithy ec2Query suite)', () => {
  it('lists are always Name.N; member names are capitalised; list member names are ignored', async () => {
    assert.deepEqual(
      await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&ListArg.1=foo&ListArg.2=bar&ListArg.3=baz&ComplexListArg.1.Hi=hello&ComplexListArg.2.Hi=hola'),
      { ListArg: ['foo', 'bar', 'baz'], ComplexListArg: [{ hi: 'hello' }, { hi: 'hola' }] },
    );
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08'), {});
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&ListArgWithXmlNameMember.1=A&ListArgWithXmlNameMember.2=B'), { ListArgWithXmlNameMember: ['A', 'B'] });
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&Hi.1=A&Hi.2=B'), { ListArgWithXmlName: ['A', 'B'] });
    assert.deepEqual(await parse('QueryLists', 'Action=QueryLists&Version=2020-01-08&NestedWithList.ListArg.1=A&NestedWithList.ListArg.2=B'), { NestedWithList: { ListArg: ['A', 'B'] } });
  });

  it('scalars; ec2QueryName beats xmlName; xmlName is capitalised', async () => {
    const p = (body: string) => parse('SimpleInputParams', `Action=SimpleInputParams&Version=2020-01-08&${body}`);
    assert.deepEqual(await p('Foo=val1&Bar=val2'), { Foo: 'val1', Bar: 'val2' });
    assert.deepEqual(await p('Foo=val1&Baz=true'), { Foo: 'val1', Baz: true });
    assert.deepEqual(await p('Baz=false'), { Baz: false });
    assert.deepEqual(await p('Bam=10'), { Bam: 10 });
    assert.deepEqual(await p('Boo=10.8'), { Boo: 10.8 });
    assert.deepEqual(await p('Qux=dmFsdWU%3D'), { Qux: Buffer.from('value') });
    assert.deepEqual(await p('A=Hi'), { HasQueryName: 'Hi' });
    assert.deepEqual(await p('B=Hi'), { HasQueryAndXmlName: 'Hi' });
    assert.deepEqual(await p('IgnoreMe=Hi'), {});
    assert.deepEqual(await p('C=Hi'), { UsesXmlName: 'Hi' });
    assert.deepEqual(await p('FloatValue=NaN&Boo=-Infinity'), { FloatValue: NaN, Boo: -Infinity });
  });

  it('nested structures and timestamps', async () => {
    assert.deepEqual(
      await parse('NestedStructures', 'Action=NestedStructures&Version=2020-01-08&Nested.StringArg=foo&Nested.OtherArg=true&Nested.RecursiveArg.StringArg=baz'),
      { Nested: { StringArg: 'foo', OtherArg: true, RecursiveArg: { StringArg: 'baz' } } },
    );
    const d = new Date(1422172800 * 1000);
    assert.deepEqual(
      await parse('QueryTimestamps', 'Action=QueryTimestamps&Version=2020-01-08&NormalFormat=2015-01-25T08%3A00%3A00Z&EpochMember=1422172800&EpochTarget=1422172800'),
      { normalFormat: d, epochMember: d, epochTarget: d },
    );
  });

  it('bad values are InvalidParameterValue', async () => {
    await assert.rejects(parse('SimpleInputParams', 'Bam=x'), (err: unknown) => err instanceof AwsError && err.code === 'InvalidParameterValue' && err.status === 400);
    await assert.rejects(parse('SimpleInputParams', 'Baz=1'), { code: 'InvalidParameterValue' });
  });
});

describe('ec2: responses', () => {
  const serialize = (name: string, output: Record<string, unknown>) => ec2Codec.serializeResponse(output, fixture, fixture.operations[name]!, ctx);

  it('no Result wrapper; requestId first; lists wrapped unless flattened', () => {
    const out = serialize('XmlLists', { stringList: ['foo', 'bar'], integerList: [1, 2], renamedListMembers: ['foo', 'bar'], flattenedList: ['hi', 'bye'] });
    assert.equal(out.status, 200);
    assert.match(out.headers['content-type']!, /^text\/xml/);
    assertXml(out.body, `<XmlListsResponse xmlns="https://example.com/">
      <requestId>requestid</requestId>
      <stringList><member>foo</member><member>bar</member></stringList>
      <integerList><member>1</member><member>2</member></integerList>
      <renamed><item>foo</item><item>bar</item></renamed>
      <flattenedList>hi</flattenedList><flattenedList>bye</flattenedList>
    </XmlListsResponse>`);
  });

  it('namespaces', () => {
    assertXml(serialize('XmlNamespaces', { nested: { foo: 'Foo', values: ['Bar', 'Baz'] } }).body,
      `<XmlNamespacesResponse xmlns="https://example.com/"><requestId>requestid</requestId><nested>
        <foo xmlns:baz="http://baz.com">Foo</foo>
        <values xmlns="http://qux.com"><member xmlns="http://bux.com">Bar</member><member xmlns="http://bux.com">Baz</member></values>
      </nested></XmlNamespacesResponse>`);
  });

  it('empty output and no output carry only the request id', () => {
    assertXml(serialize('EmptyInputAndEmptyOutput', {}).body, '<EmptyInputAndEmptyOutputResponse xmlns="https://example.com/"><requestId>requestid</requestId></EmptyInputAndEmptyOutputResponse>');
    assertXml(serialize('NoInputAndNoOutput', {}).body, '<NoInputAndNoOutputResponse xmlns="https://example.com/"><requestId>requestid</requestId></NoInputAndNoOutputResponse>');
  });
});

describe('ec2: errors', () => {
  it('<Response><Errors><Error> with Code and Message, then RequestID', () => {
    const out = ec2Codec.serializeError(new AwsError('InvalidGreeting', 'Hi', 400), fixture, undefined, ctx);
    assert.equal(out.status, 400);
    assertXml(out.body, '<Response><Errors><Error><Code>InvalidGreeting</Code><Message>Hi</Message></Error></Errors><RequestID>requestid</RequestID></Response>');
  });

  it('dotted EC2 codes, escaping, server faults', () => {
    const out = ec2Codec.serializeError(new AwsError('InvalidInstanceID.NotFound', "The instance ID 'i-1<2>' does not exist", 400), loadModel('ec2'), undefined, ctx);
    assert.match(String(out.body), /<Code>InvalidInstanceID\.NotFound<\/Code><Message>The instance ID 'i-1&lt;2&gt;' does not exist<\/Message>/);
    const fault = ec2Codec.serializeError(new AwsError('InternalError', 'boom', 500), fixture, undefined, ctx);
    assert.equal(fault.status, 500);
  });
});

describe('ec2: real model', () => {
  const ec2 = loadModel('ec2');

  it('DescribeInstances: Filter.N.Value.N, InstanceId.N, capitalised locationNames', async () => {
    const body = 'Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1.Value.1=running&Filter.1.Value.2=pending'
      + '&InstanceId.1=i-1&InstanceId.2=i-2&MaxResults=5&NextToken=abc&DryRun=false';
    assert.equal(ec2Codec.operationName!(req(body), ec2), 'DescribeInstances');
    assert.deepEqual(await ec2Codec.parseRequest(req(body), ec2, ec2.operations.DescribeInstances!), {
      Filters: [{ Name: 'instance-state-name', Values: ['running', 'pending'] }],
      InstanceIds: ['i-1', 'i-2'], MaxResults: 5, NextToken: 'abc', DryRun: false,
    });
  });

  it('RunInstances: nested lists of structures', async () => {
    const body = 'Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=2&InstanceType=t3.micro'
      + '&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fsda1&BlockDeviceMapping.1.Ebs.VolumeSize=8&BlockDeviceMapping.1.Ebs.DeleteOnTermination=true'
      + '&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web'
      + '&Monitoring.Enabled=true&UserData=IyEvYmluL3No';
    assert.deepEqual(await ec2Codec.parseRequest(req(body), ec2, ec2.operations.RunInstances!), {
      ImageId: 'ami-1', MinCount: 1, MaxCount: 2, InstanceType: 't3.micro',
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8, DeleteOnTermination: true } }],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }],
      Monitoring: { Enabled: true }, UserData: 'IyEvYmluL3No',
    });
  });

  it('DescribeInstances response: reservationSet/item/instancesSet/item, tagSet', () => {
    const out = ec2Codec.serializeResponse({
      Reservations: [{
        ReservationId: 'r-1', OwnerId: '000000000000',
        Instances: [{ InstanceId: 'i-1', State: { Code: 16, Name: 'running' }, LaunchTime: new Date('2024-01-02T03:04:05Z'), Tags: [{ Key: 'Name', Value: 'web' }] }],
      }],
    }, ec2, ec2.operations.DescribeInstances!, ctx);
    const body = String(out.body);
    assert.ok(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15"><requestId>requestid</requestId><reservationSet><item>'));
    assert.match(body, /<instancesSet><item>.*<instanceId>i-1<\/instanceId>.*<instanceState><code>16<\/code><name>running<\/name><\/instanceState>/);
    assert.match(body, /<launchTime>2024-01-02T03:04:05Z<\/launchTime>/);
    assert.match(body, /<tagSet><item><key>Name<\/key><value>web<\/value><\/item><\/tagSet>/);
    assert.match(body, /<\/instancesSet><\/item><\/reservationSet><\/DescribeInstancesResponse>$/);
    assert.match(body, /<reservationId>r-1<\/reservationId><ownerId>000000000000<\/ownerId>/);
  });

  it('DeleteKeyPair response: <return>true</return>', () => {
    const out = ec2Codec.serializeResponse({ Return: true }, ec2, ec2.operations.DeleteKeyPair!, ctx);
    assert.match(String(out.body), /<requestId>requestid<\/requestId><return>true<\/return><\/DeleteKeyPairResponse>$/);
  });
});
