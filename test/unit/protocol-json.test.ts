import { strict as assert } from 'node:assert';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { jsonCodec } from '../../src/protocol/json.ts';
import type { ServiceModel } from '../../src/protocol/model-types.ts';
import { loadModel } from '../../src/protocol/models.ts';
import type { RawRequest, RawResponse } from '../../src/protocol/types.ts';

const ctx = { requestId: 'req-1' };

function jsonRequest(target: string | undefined, body: string | Buffer): RawRequest {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0' };
  if (target !== undefined) headers['x-amz-target'] = target;
  return { method: 'POST', path: '/', query: '', headers, body: Buffer.from(body), hostname: 'localhost' };
}

async function parse(model: ServiceModel, opName: string, body: string): Promise<Record<string, unknown>> {
  return jsonCodec.parseRequest(jsonRequest(undefined, body), model, model.operations[opName]!);
}

function bodyOf(res: RawResponse): Record<string, unknown> {
  return JSON.parse(String(res.body)) as Record<string, unknown>;
}

async function rejects(p: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AwsError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.status, 400);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

test('operationName reads X-Amz-Target and rejects foreign prefixes', () => {
  const ddb = loadModel('dynamodb');
  assert.equal(jsonCodec.operationName!(jsonRequest('DynamoDB_20120810.PutItem', ''), ddb), 'PutItem');
  assert.equal(jsonCodec.operationName!(jsonRequest('DynamoDB_20111205.PutItem', ''), ddb), undefined);
  assert.equal(jsonCodec.operationName!(jsonRequest('DynamoDB_20120810.NoSuchThing', ''), ddb), undefined);
  assert.equal(jsonCodec.operationName!(jsonRequest('DynamoDB_20120810.toString', ''), ddb), undefined);
  assert.equal(jsonCodec.operationName!(jsonRequest('PutItem', ''), ddb), undefined);
  assert.equal(jsonCodec.operationName!(jsonRequest(undefined, ''), ddb), undefined);
});

test('DynamoDB PutItem: nested attribute values, blobs decoded, unknown members ignored', async () => {
  const ddb = loadModel('dynamodb');
  const input = await parse(ddb, 'PutItem', JSON.stringify({
    TableName: 't',
    Item: { pk: { S: 'a' }, bin: { B: Buffer.from('bytes').toString('base64') }, list: { L: [{ N: '1' }, { BS: ['AQI='] }] }, nul: { NULL: true } },
    ReturnValues: 'ALL_OLD',
    NotAMember: 1,
  }));
  assert.deepEqual(input, {
    TableName: 't',
    Item: { pk: { S: 'a' }, bin: { B: Buffer.from('bytes') }, list: { L: [{ N: '1' }, { BS: [Buffer.from([1, 2])] }] }, nul: { NULL: true } },
    ReturnValues: 'ALL_OLD',
  });
});

test('empty body and JSON null members are an empty input', async () => {
  const ddb = loadModel('dynamodb');
  assert.deepEqual(await parse(ddb, 'ListTables', ''), {});
  assert.deepEqual(await parse(ddb, 'ListTables', '  '), {});
  assert.deepEqual(await parse(ddb, 'ListTables', '{"ExclusiveStartTableName":null,"Limit":5}'), { Limit: 5 });
});

test('a streamed body is collected', async () => {
  const sqs = loadModel('sqs');
  const req = jsonRequest('AmazonSQS.GetQueueUrl', '');
  req.body = Readable.from([Buffer.from('{"QueueNa'), Buffer.from('me":"q"}')]);
  assert.deepEqual(await jsonCodec.parseRequest(req, sqs, sqs.operations.GetQueueUrl!), { QueueName: 'q' });
});

test('malformed JSON is a bare SerializationException, as DynamoDB answers', async () => {
  const ddb = loadModel('dynamodb');
  await rejects(parse(ddb, 'PutItem', '{"TableName":'), 'SerializationException', '');
  const res = jsonCodec.serializeError(new AwsError('SerializationException', '', 400), ddb, undefined, ctx);
  assert.equal(res.status, 400);
  assert.deepEqual(bodyOf(res), { __type: 'com.amazon.coral.service#SerializationException' });
});

test('wrong JSON types get Coral serialization messages', async () => {
  const ddb = loadModel('dynamodb');
  const cases: Array<[unknown, string]> = [
    [{ TableName: true }, 'TRUE_VALUE cannot be converted to String'],
    [{ TableName: 23 }, 'NUMBER_VALUE cannot be converted to String'],
    [{ TableName: 34.5 }, 'DECIMAL_VALUE cannot be converted to String'],
    [{ TableName: [] }, 'Unrecognized collection type class java.lang.String'],
    [{ TableName: {} }, 'Start of structure or map found where not expected'],
    [{ TableName: 't', Limit: '23' }, 'STRING_VALUE cannot be converted to Integer'],
    [{ TableName: 't', ConsistentRead: '23' }, 'Unexpected token received from parser'],
    [{ TableName: 't', ConsistentRead: 23 }, 'NUMBER_VALUE cannot be converted to Boolean'],
    [{ TableName: 't', AttributesToGet: 'a' }, 'Unexpected field type'],
    [{ TableName: 't', AttributesToGet: {} }, 'Start of structure or map found where not expected'],
    [{ TableName: 't', ExclusiveStartKey: [] }, 'Unrecognized collection type java.util.Map'],
    [{ TableName: 't', ExclusiveStartKey: 'x' }, 'Unexpected field type'],
    [{ TableName: 't', ExclusiveStartKey: { a: { B: true } } }, 'only base-64-encoded strings are convertible to bytes'],
    [{ TableName: 't', ExclusiveStartKey: { a: { B: '23456' } } }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 5'],
    [[], 'Unrecognized collection type'],
  ];
  for (const [body, message] of cases) await rejects(parse(ddb, 'Scan', JSON.stringify(body)), 'SerializationException', message);
});

test('timestamps: epoch seconds or date strings in, epoch seconds with fraction out', async () => {
  const logs = loadModel('cloudwatch');
  // GetMetricData's StartTime/EndTime are timestamps; awsJson1_1 KitchenSink vectors for the forms.
  const input = await parse(logs, 'GetMetricData', JSON.stringify({
    StartTime: 946845296, EndTime: '2000-01-02T20:34:56.000Z', MetricDataQueries: [],
  }));
  assert.deepEqual(input.StartTime, new Date(946845296000));
  assert.deepEqual(input.EndTime, new Date(946845296000));
  const http = await parse(logs, 'GetMetricData', '{"StartTime":"Sun, 02 Jan 2000 20:34:56.000 GMT"}');
  assert.deepEqual(http.StartTime, new Date(946845296000));
  await rejects(parse(logs, 'GetMetricData', '{"StartTime":"not a date"}'), 'SerializationException');

  const ddb = loadModel('dynamodb');
  const res = jsonCodec.serializeResponse({
    Table: { TableName: 't', CreationDateTime: new Date(1700000000123), ItemCount: 0, Unknown: 'dropped', TableSizeBytes: undefined },
  }, ddb, ddb.operations.DescribeTable!, ctx);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
  assert.equal(res.headers['x-amzn-requestid'], 'req-1');
  assert.deepEqual(bodyOf(res), { Table: { TableName: 't', ItemCount: 0, CreationDateTime: 1700000000.123 } });
  assert.match(String(res.body), /"CreationDateTime":1700000000\.123[,}]/);
});

test('output: blobs base64, maps and lists, null members omitted; json 1.1 content type', () => {
  const ddb = loadModel('dynamodb');
  const res = jsonCodec.serializeResponse({
    Item: { b: { B: Buffer.from('binary-value') }, bs: { BS: [Buffer.from([1, 2])] }, m: { M: { x: { N: '1' } } } },
    ConsumedCapacity: null,
  }, ddb, ddb.operations.GetItem!, ctx);
  assert.deepEqual(bodyOf(res), { Item: { b: { B: 'YmluYXJ5LXZhbHVl' }, bs: { BS: ['AQI='] }, m: { M: { x: { N: '1' } } } } });

  const logs = loadModel('logs');
  const out = jsonCodec.serializeResponse({ logGroups: [{ logGroupName: 'g', creationTime: 1 }] }, logs, logs.operations.DescribeLogGroups!, ctx);
  assert.equal(out.headers['content-type'], 'application/x-amz-json-1.1');
  assert.deepEqual(bodyOf(out), { logGroups: [{ logGroupName: 'g', creationTime: 1 }] });
  const empty = jsonCodec.serializeResponse({}, logs, logs.operations.DeleteLogGroup!, ctx);
  assert.equal(empty.body, '{}');
});

test('errors: __type, message casing of the shape, fields, model status', () => {
  const ddb = loadModel('dynamodb');
  const res = jsonCodec.serializeError(
    new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, { Item: { pk: { S: 'a' } } }),
    ddb, ddb.operations.PutItem, ctx);
  assert.equal(res.status, 400);
  assert.equal(res.headers['x-amzn-errortype'], 'ConditionalCheckFailedException');
  assert.equal(res.headers['x-amzn-query-error'], undefined);
  assert.deepEqual(bodyOf(res), { __type: 'ConditionalCheckFailedException', message: 'The conditional request failed', Item: { pk: { S: 'a' } } });

  const secrets = loadModel('secretsmanager');
  const nf = jsonCodec.serializeError(new AwsError('ResourceNotFoundException', 'not here'), secrets, undefined, ctx);
  assert.deepEqual(bodyOf(nf), { __type: 'ResourceNotFoundException', Message: 'not here' });

  const validation = jsonCodec.serializeError(new AwsError('ValidationException', 'bad', 400, {}, { headers: { 'Retry-After': '1' } }), ddb, undefined, ctx);
  assert.deepEqual(bodyOf(validation), { __type: 'com.amazon.coral.validate#ValidationException', message: 'bad' });
  assert.equal(validation.headers['retry-after'], '1');

  const lambdaStyle = jsonCodec.serializeError(new AwsError('InternalServerError', 'boom', 500), ddb, undefined, ctx);
  assert.equal(lambdaStyle.status, 500);
});

test('query-compatible services name the query error code and fault', () => {
  const cw = loadModel('cloudwatch');
  const res = jsonCodec.serializeError(new AwsError('ResourceNotFound', 'gone'), cw, undefined, ctx);
  assert.equal(res.status, 404);
  assert.equal(res.headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
  const fault = jsonCodec.serializeError(new AwsError('InternalServiceFault', 'oops', 500), cw, undefined, ctx);
  assert.equal(fault.headers['x-amzn-query-error'], 'InternalServiceError;Receiver');
  const limit = jsonCodec.serializeError(new AwsError('LimitExceededFault', 'too many'), cw, undefined, ctx);
  assert.equal(limit.headers['x-amzn-query-error'], 'LimitExceeded;Sender');
});

/** An SQS client whose HTTP goes through the codec to a scripted handler. */
function sqsClient(handle: (op: string, input: Record<string, unknown>) => Record<string, unknown>): SQSClient {
  const sqs = loadModel('sqs');
  return new SQSClient({
    region: 'us-east-1',
    endpoint: 'http://localhost:4566',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 1,
    md5: false,
    requestHandler: {
      async handle(req: { method: string; path: string; headers: Record<string, string>; body?: string | Uint8Array }) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = String(v);
        const raw: RawRequest = { method: req.method, path: req.path, query: '', headers, body: Buffer.from(req.body ?? ''), hostname: 'localhost' };
        const opName = jsonCodec.operationName!(raw, sqs)!;
        const op = sqs.operations[opName]!;
        let res: RawResponse;
        try {
          res = jsonCodec.serializeResponse(handle(opName, await jsonCodec.parseRequest(raw, sqs, op)), sqs, op, ctx);
        } catch (e) {
          res = jsonCodec.serializeError(e as AwsError, sqs, op, ctx);
        }
        return { response: { statusCode: res.status, headers: res.headers, body: Readable.from([Buffer.from(String(res.body ?? ''))]) } };
      },
    } as never,
  });
}

test('round trip with the real SQS client (awsJson 1.0, query-compatible)', async () => {
  const seen: Array<[string, Record<string, unknown>]> = [];
  const client = sqsClient((op, input) => {
    seen.push([op, input]);
    if (op === 'GetQueueUrl') throw new AwsError('QueueDoesNotExist', 'The specified queue does not exist.');
    if (op === 'SendMessage') return { MessageId: 'm-1', MD5OfMessageBody: 'x' };
    return {
      Messages: [{
        MessageId: 'm-1', ReceiptHandle: 'rh', Body: 'hello', Attributes: { SentTimestamp: '1700000000000' },
        MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 255]) } },
      }],
    };
  });
  const sent = await client.send(new SendMessageCommand({
    QueueUrl: 'http://localhost:4566/000000000000/q', MessageBody: 'hello', DelaySeconds: 2,
    MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 255]) } },
  }));
  assert.equal(sent.MessageId, 'm-1');
  assert.deepEqual(seen[0], ['SendMessage', {
    QueueUrl: 'http://localhost:4566/000000000000/q', MessageBody: 'hello', DelaySeconds: 2,
    MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 255]) } },
  }]);

  const received = await client.send(new ReceiveMessageCommand({ QueueUrl: 'http://q', MessageAttributeNames: ['All'] }));
  assert.equal(received.Messages?.[0]?.Body, 'hello');
  assert.deepEqual(received.Messages?.[0]?.MessageAttributes?.bin?.BinaryValue, new Uint8Array([0, 1, 255]));

  await assert.rejects(client.send(new GetQueueUrlCommand({ QueueName: 'nope' })), (e: Error & { Code?: string; $fault?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, 'QueueDoesNotExist');
    assert.equal(e.message, 'The specified queue does not exist.');
    // The SDK takes Code from x-amzn-query-error: the model's legacy query code.
    assert.equal(e.Code, loadModel('sqs').shapes.QueueDoesNotExist!.error?.code ?? 'QueueDoesNotExist');
    assert.equal(e.$fault, 'client');
    assert.equal(e.$metadata?.httpStatusCode, 400);
    return true;
  });
});

test('repeated parsing with cached plans gives the same input', async () => {
  const ddb = loadModel('dynamodb');
  const body = Buffer.from(JSON.stringify({ TableName: 't', Item: { pk: { S: 'a' }, n: { N: '1' }, m: { M: { a: { L: [{ S: 'x' }] } } } } }));
  const op = ddb.operations.PutItem!;
  for (let i = 0; i < 5_000; i++) await jsonCodec.parseRequest(jsonRequest(undefined, body), ddb, op);
});
