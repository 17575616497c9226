import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cbor, dateToTag } from '@smithy/core/cbor';
import { cwKit, type CwKit } from './setup.ts';

/** The same service over rpc-v2-cbor (what older v3 SDKs send), AWS JSON 1.0 (the SDK tests) and query (CLI v1, boto). */

let kit: CwKit;
before(async () => { kit = await cwKit(); });
after(() => kit.close());

const auth = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=x';

async function cborCall(op: string, body: Record<string, unknown>) {
  const res = await fetch(`${kit.kumo.endpoint}/service/GraniteServiceVersion20100801/operation/${op}`, {
    method: 'POST',
    headers: { authorization: auth, 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor' },
    body: Buffer.from(cbor.serialize(body)),
  });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body: (buf.length ? cbor.deserialize(buf) : {}) as Record<string, any> };
}

async function queryCall(params: Record<string, string>) {
  const res = await fetch(kit.kumo.endpoint, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: '2010-08-01', ...params }).toString(),
  });
  return { status: res.status, text: await res.text() };
}

test('rpc-v2-cbor: PutMetricData and GetMetricStatistics, errors in CBOR', async () => {
  const now = await kit.now();
  const put = await cborCall('PutMetricData', {
    Namespace: 'Cbor', MetricData: [{ MetricName: 'm', Value: 4, Timestamp: dateToTag(new Date(now - 30_000)), Dimensions: [{ Name: 'A', Value: 'b' }] }],
  });
  assert.equal(put.status, 200);
  const got = await cborCall('GetMetricStatistics', {
    Namespace: 'Cbor', MetricName: 'm', Dimensions: [{ Name: 'A', Value: 'b' }], Period: 60, Statistics: ['Sum'],
    StartTime: dateToTag(new Date(now - 3_600_000)), EndTime: dateToTag(new Date(now + 60_000)),
  });
  assert.equal(got.status, 200);
  assert.equal(got.body.Datapoints.length, 1);
  assert.equal(got.body.Datapoints[0].Sum, 4);
  assert.equal(got.body.Datapoints[0].Timestamp.tag, 1);
  assert.equal(got.body.Datapoints[0].Timestamp.value % 60, 0);
  const bad = await cborCall('PutMetricData', { Namespace: 'AWS/X', MetricData: [{ MetricName: 'm', Value: 1 }] });
  assert.equal(bad.status, 400);
  assert.match(String(bad.body.__type), /InvalidParameterValue/);
  assert.equal(bad.body.message ?? bad.body.Message, 'The value AWS/X for parameter Namespace is invalid.');
});

test('query: PutMetricData, ListMetrics, alarms and query error codes', async () => {
  const put = await queryCall({
    Action: 'PutMetricData', Namespace: 'Query', 'MetricData.member.1.MetricName': 'q', 'MetricData.member.1.Value': '2',
    'MetricData.member.1.Dimensions.member.1.Name': 'D', 'MetricData.member.1.Dimensions.member.1.Value': 'v',
  });
  assert.equal(put.status, 200, put.text);
  const list = await queryCall({ Action: 'ListMetrics', Namespace: 'Query' });
  assert.match(list.text, /<MetricName>q<\/MetricName>/);
  const alarm = await queryCall({
    Action: 'PutMetricAlarm', AlarmName: 'qa', Namespace: 'Query', MetricName: 'q', Statistic: 'Sum', Period: '60', EvaluationPeriods: '1',
    Threshold: '1', ComparisonOperator: 'GreaterThanThreshold', 'Dimensions.member.1.Name': 'D', 'Dimensions.member.1.Value': 'v',
  });
  assert.equal(alarm.status, 200, alarm.text);
  await kit.advance(60_000);
  const described = await queryCall({ Action: 'DescribeAlarms', 'AlarmNames.member.1': 'qa' });
  assert.match(described.text, /<StateValue>ALARM<\/StateValue>/);
  const bad = await queryCall({ Action: 'PutMetricData', Namespace: 'Query', 'MetricData.member.1.MetricName': 'q', 'MetricData.member.1.Value': '1', 'MetricData.member.1.StorageResolution': '7' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /<Code>InvalidParameterValue<\/Code>/);
  assert.match(bad.text, /The value 7 for parameter MetricData.member.1.StorageResolution is invalid./);
  const missing = await queryCall({ Action: 'GetMetricStatistics', Namespace: 'Query', MetricName: 'q', Period: '60', StartTime: '2020-01-01T00:00:00Z' });
  assert.equal(missing.status, 400);
  assert.match(missing.text, /<Code>MissingParameter<\/Code>|ValidationError/);
});
