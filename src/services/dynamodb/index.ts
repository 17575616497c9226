/** Amazon DynamoDB: tables, items, expressions, queries over ordered indexes, batches, transactions. */
import type { DescribeEndpointsResponse, DescribeLimitsOutput } from '../../generated/dynamodb.ts';
import { defineService, type RequestContext } from '../framework/define.ts';
import { BatchGetItem, BatchWriteItem } from './batch.ts';
import { DeleteItem, GetItem, PutItem, UpdateItem } from './items.ts';
import { Query } from './query.ts';
import { Scan } from './scan.ts';
import { rebuild } from './store.ts';
import { scheduleSweeps } from './ttl.ts';
import {
  CreateTable, DeleteTable, DescribeContinuousBackups, DescribeTable, DescribeTimeToLive, ListTables, ListTagsOfResource,
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
    UpdateTimeToLive, DescribeTimeToLive, DescribeContinuousBackups,
    PutItem, GetItem, UpdateItem, DeleteItem,
    Query, Scan,
    BatchGetItem, BatchWriteItem,
    TransactWriteItems, TransactGetItems,
    DescribeEndpoints, DescribeLimits,
  },
  init(rt) {
    rebuild(rt);
    scheduleSweeps(rt);
  },
});
