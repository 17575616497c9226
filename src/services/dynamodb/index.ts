/**
 * Amazon DynamoDB: tables, items, expressions, queries over ordered indexes, batches,
 * transactions, PartiQL, backups and point-in-time recovery, and the stream log (read by the
 * dynamodbstreams service through `internal`).
 */
import type { DescribeEndpointsResponse, DescribeLimitsOutput } from '../../generated/dynamodb.ts';
import { defineService, type RequestContext } from '../framework/define.ts';
import { CreateBackup, DeleteBackup, DescribeBackup, ListBackups, RestoreTableFromBackup } from './backups.ts';
import { BatchGetItem, BatchWriteItem } from './batch.ts';
import { DeleteItem, GetItem, PutItem, UpdateItem } from './items.ts';
import { BatchExecuteStatement, ExecuteStatement, ExecuteTransaction } from './partiql/operations.ts';
import { DescribeContinuousBackups, RestoreTableToPointInTime, UpdateContinuousBackups } from './pitr.ts';
import { resetPitrCounters } from './pitr-log.ts';
import { Query } from './query.ts';
import { Scan } from './scan.ts';
import { rebuild } from './store.ts';
import { registerRuntime, streamsApi } from './streams/internal.ts';
import { resetCounters } from './streams/log.ts';
import { scheduleSweeps } from './ttl.ts';
import {
  CreateTable, DeleteTable, DescribeTable, DescribeTimeToLive, ListTables, ListTagsOfResource,
  TagResource, UntagResource, UpdateTable, UpdateTimeToLive,
} from './tables.ts';
import { TransactGetItems, TransactWriteItems } from './transactions.ts';

function DescribeEndpoints(_input: unknown, ctx: RequestContext): DescribeEndpointsResponse {
  return { Endpoints: [{ Address: new URL(ctx.endpoint).host, CachePeriodInMinutes: 1440 }] };
}

function DescribeLimits(): DescribeLimitsOutput {
  return {
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: 40000,
    TableMaxWriteCapacityUnits: 40000,
  };
}

export default defineService({
  name: 'dynamodb',
  validation: 'none',
  operations: {
    CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable,
    TagResource, UntagResource, ListTagsOfResource,
    UpdateTimeToLive, DescribeTimeToLive,
    CreateBackup, DescribeBackup, ListBackups, DeleteBackup, RestoreTableFromBackup,
    DescribeContinuousBackups, UpdateContinuousBackups, RestoreTableToPointInTime,
    PutItem, GetItem, UpdateItem, DeleteItem,
    Query, Scan,
    BatchGetItem, BatchWriteItem,
    TransactWriteItems, TransactGetItems,
    ExecuteStatement, BatchExecuteStatement, ExecuteTransaction,
    DescribeEndpoints, DescribeLimits,
  },
  internal: streamsApi,
  init(rt) {
    rebuild(rt);
    resetCounters(rt.state);
    resetPitrCounters(rt.state);
    registerRuntime(rt);
    scheduleSweeps(rt);
  },
});
