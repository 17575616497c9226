// DynamoDB PutItem, GetItem and Query at 1 and 16 connections: kumo against the bare Node floor
// and the peers present (dynalite, moto_server), all in the same run, medians of several runs.
// Run: node --import tsx bench/dynamodb.ts [--seconds S] [--runs N]   (needs `npm run build`)
import { measureMatrix, MATRIX_NOTES, prepareAll, stopAll, type Operation } from './matrix.ts';
import { startFloor, startKumo, startPeer, type Absent, type Running } from './peers.ts';
import { setting, writeResults } from './lib.ts';

const SECONDS = setting('seconds', 2);
const RUNS = setting('runs', 3);
const PARTITIONS = 10;
const PER_PARTITION = 100;
// dynalite insists on a well-formed SigV4 header and an X-Amz-Date; nobody checks the signature.
const headers = (target: string) => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': `DynamoDB_20120810.${target}`,
  'x-amz-date': '20240101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
});

async function call(endpoint: string, target: string, body: unknown): Promise<void> {
  const res = await fetch(endpoint, { method: 'POST', headers: headers(target), body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${target} on ${endpoint}: ${res.status} ${text}`);
}

const item = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk }, v: { S: 'x'.repeat(100) } });
const sk = (i: number) => String(i).padStart(4, '0');

async function prepare(s: Running): Promise<void> {
  if (s.kind === 'floor') return;
  await call(s.endpoint, 'CreateTable', {
    TableName: 'bench', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  });
  for (let p = 0; p < PARTITIONS; p++) {
    for (let i = 0; i < PER_PARTITION; i += 25) {
      const RequestItems = { bench: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: item(`p${p}`, sk(i + j)) } })) };
      await call(s.endpoint, 'BatchWriteItem', { RequestItems });
    }
  }
}

let seq = 0;
const operations: Operation[] = [
  {
    name: 'PutItem (new key each)',
    request: () => ({ headers: headers('PutItem'), body: () => JSON.stringify({ TableName: 'bench', Item: item(`w${seq++}`, '0') }) }),
  },
  {
    name: 'GetItem',
    request: () => ({
      headers: headers('GetItem'),
      body: () => JSON.stringify({ TableName: 'bench', Key: { pk: { S: `p${seq % PARTITIONS}` }, sk: { S: sk(seq++ % PER_PARTITION) } } }),
    }),
  },
  {
    name: 'Query (25 items of a partition)',
    request: () => ({
      headers: headers('Query'),
      body: () => JSON.stringify({
        TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `p${seq++ % PARTITIONS}` } }, Limit: 25,
      }),
    }),
  },
];

let servers: Array<Running | Absent> = [];
try {
  servers.push(await startFloor(), await startKumo(), await startPeer('dynalite'), await startPeer('moto_server'));
  servers = await prepareAll(servers, prepare);
  const rows = await measureMatrix({ servers, operations, connections: [1, 16], seconds: SECONDS, runs: RUNS });
  const result = {
    case: `dynamodb: PutItem, GetItem, Query at 1 and 16 connections, ${SECONDS} s x ${RUNS} runs`,
    rows,
    notes: [
      ...MATRIX_NOTES,
      `memory mode everywhere; table of ${PARTITIONS} x ${PER_PARTITION} items (100-byte value) plus the items PutItem adds`,
      ...servers.filter((s): s is Absent => 'absent' in s).map((s) => `${s.name}: ${s.absent}`),
    ],
  };
  writeResults('dynamodb', result);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await stopAll(servers);
}
