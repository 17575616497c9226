import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { cbor as smithyCbor, dateToTag } from '@smithy/core/cbor';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { cborCodec } from '../../src/protocol/cbor.ts';
import { loadModel } from '../../src/protocol/models.ts';
import type { RawRequest, RawResponse } from '../../src/protocol/types.ts';

const cw = loadModel('cloudwatch');
const ctx = { requestId: 'req-1' };
const PATH = '/service/GraniteServiceVersion20100801/operation/';

function cborRequest(op: string, body: Uint8Array | Buffer): RawRequest {
  return {
    method: 'POST',
    path: PATH + op,
    query: '',
    headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor' },
    body: Buffer.from(body),
    hostname: 'localhost',
  };
}

function parse(op: string, body: Uint8Array | Buffer): Promise<Record<string, unknown>> {
  return cborCodec.parseRequest(cborRequest(op, body), cw, cw.operations[op]!);
}

/** Decodes with the AWS SDK's own CBOR reader: what a client sees. */
function sdkDecode(res: RawResponse): Record<string, unknown> {
  return smithyCbor.deserialize(res.body as Buffer) as Record<string, unknown>;
}

test('operationName comes from the rpc-v2 path', () => {
  assert.equal(cborCodec.operationName!(cborRequest('GetMetricData', Buffer.alloc(0)), cw), 'GetMetricData');
  const prefixed = cborRequest('GetMetricData', Buffer.alloc(0));
  prefixed.path = '/base' + prefixed.path;
  assert.equal(cborCodec.operationName!(prefixed, cw), 'GetMetricData');
  const other = cborRequest('GetMetricData', Buffer.alloc(0));
  other.path = '/service/OtherService/operation/GetMetricData';
  assert.equal(cborCodec.operationName!(other, cw), undefined);
  assert.equal(cborCodec.operationName!(cborRequest('Nope', Buffer.alloc(0)), cw), undefined);
  assert.equal(cborCodec.operationName!(cborRequest('constructor', Buffer.alloc(0)), cw), undefined);
});

test('request bodies written by the SDK encoder: tag 1 timestamps, doubles, nested lists', async () => {
  const body = smithyCbor.serialize({
    Namespace: 'App',
    MetricData: [{
      MetricName: 'Latency', Timestamp: dateToTag(new Date(1700000000500)), Value: 1.5, Values: [1, 2.25], Counts: [3, 4],
      Dimensions: [{ Name: 'Host', Value: 'a' }], Unit: 'Milliseconds',
    }],
  });
  const input = await parse('PutMetricData', body);
  assert.deepEqual(input, {
    Namespace: 'App',
    MetricData: [{
      MetricName: 'Latency', Timestamp: new Date(1700000000500), Value: 1.5, Values: [1, 2.25], Counts: [3, 4],
      Dimensions: [{ Name: 'Host', Value: 'a' }], Unit: 'Milliseconds',
    }],
  });
});

test('integer epoch timestamps, indefinite-length maps and empty bodies', async () => {
  // {_ "StartTime": 1(1700000000), "EndTime": 1700000001 } as an indefinite map; the untagged number is accepted too.
  const indefinite = Buffer.from('bf' + '69' + Buffer.from('StartTime').toString('hex') + 'c11a6553f100' + '67' + Buffer.from('EndTime').toString('hex') + '1a6553f101' + 'ff', 'hex');
  const input = await parse('GetMetricStatistics', indefinite);
  assert.deepEqual(input, { StartTime: new Date(1700000000000), EndTime: new Date(1700000001000) });
  assert.deepEqual(await parse('ListDashboards', Buffer.alloc(0)), {});
});

test('malformed CBOR and wrong types are SerializationException 400', async () => {
  const bad: Array<[string, Buffer]> = [
    ['truncated', Buffer.from('a2616101', 'hex')],
    ['trailing bytes', Buffer.from('a0ff', 'hex')],
    ['not a map', Buffer.from('01', 'hex')],
    ['string where list', Buffer.from(smithyCbor.serialize({ MetricData: 'x' }))],
    ['text where timestamp', Buffer.from(smithyCbor.serialize({ StartTime: 'yesterday' }))],
  ];
  for (const [label, body] of bad) {
    await assert.rejects(parse(label === 'text where timestamp' ? 'GetMetricStatistics' : 'PutMetricData', body),
      (e: unknown) => e instanceof AwsError && e.code === 'SerializationException' && e.status === 400, label);
  }
});

test('responses: plain CBOR maps the SDK reads, tag 1 timestamps, byte strings', () => {
  const res = cborCodec.serializeResponse({
    Label: 'Latency',
    Datapoints: [{ Timestamp: new Date(1700000000000), Average: 1.25, Sum: 5, Unit: 'Milliseconds', Missing: undefined }],
  }, cw, cw.operations.GetMetricStatistics!, ctx);
  assert.equal(res.status, 200);
  assert.equal(res.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.equal(res.headers['content-type'], 'application/cbor');
  const decoded = sdkDecode(res) as { Label: string; Datapoints: Array<Record<string, unknown>> };
  assert.equal(decoded.Label, 'Latency');
  const point = decoded.Datapoints[0]!;
  const ts = point.Timestamp as { tag: number; value: number };
  assert.deepEqual([ts.tag, ts.value], [1, 1700000000]);
  assert.deepEqual([point.Average, point.Sum, point.Unit], [1.25, 5, 'Milliseconds']);
  assert.ok(!('Missing' in point));

  const image = cborCodec.serializeResponse({ MetricWidgetImage: Buffer.from([0x89, 0x50]) }, cw, cw.operations.GetMetricWidgetImage!, ctx);
  assert.deepEqual(Buffer.from(sdkDecode(image).MetricWidgetImage as Uint8Array), Buffer.from([0x89, 0x50]));

  const empty = cborCodec.serializeResponse({}, cw, cw.operations.ListDashboards!, ctx);
  assert.deepEqual(sdkDecode(empty), {});
  assert.equal((empty.body as Buffer).toString('hex'), 'a0');
});

test('operations without output answer an empty body', () => {
  const res = cborCodec.serializeResponse({}, cw, cw.operations.PutMetricData!, ctx);
  assert.equal(res.status, 200);
  assert.equal(res.body, undefined);
  assert.equal(res.headers['smithy-protocol'], 'rpc-v2-cbor');
});

test('round trip: what we write we read back', async () => {
  const res = cborCodec.serializeResponse({ MetricAlarms: [{ AlarmName: 'a', StateUpdatedTimestamp: new Date(1700000000250), Threshold: 0.5 }] },
    cw, cw.operations.DescribeAlarms!, ctx);
  const decoded = sdkDecode(res) as { MetricAlarms: Array<{ StateUpdatedTimestamp: { value: number } }> };
  assert.equal(decoded.MetricAlarms[0]!.StateUpdatedTimestamp.value, 1700000000.25);
});

test('errors: __type, message, fields, model status and the query-compatible header', () => {
  const res = cborCodec.serializeError(new AwsError('ResourceNotFound', 'Dashboard does not exist'), cw, undefined, ctx);
  assert.equal(res.status, 404);
  assert.equal(res.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.equal(res.headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
  assert.deepEqual(sdkDecode(res), { __type: 'ResourceNotFound', message: 'Dashboard does not exist' });

  const withFields = cborCodec.serializeError(
    new AwsError('DashboardInvalidInputError', 'bad', 400, { dashboardValidationMessages: [{ DataPath: '/widgets', Message: 'x' }] }),
    cw, undefined, ctx);
  assert.equal(withFields.headers['x-amzn-query-error'], 'InvalidParameterInput;Sender');
  assert.deepEqual(sdkDecode(withFields), {
    __type: 'DashboardInvalidInputError', message: 'bad', dashboardValidationMessages: [{ DataPath: '/widgets', Message: 'x' }],
  });

  const serialization = cborCodec.serializeError(new AwsError('SerializationException', 'Malformed CBOR body'), cw, undefined, ctx);
  assert.equal(sdkDecode(serialization).__type, 'com.amazon.coral.service#SerializationException');
});
