/**
 * TransactWriteItems and TransactGetItems: all conditions are checked before anything is
 * written; a failure cancels the whole transaction with one CancellationReason per action.
 * ClientRequestToken makes a write idempotent for 10 minutes, as in AWS.
 */
import { createHash } from 'node:crypto';
import type {
  CancellationReason, ItemCollectionMetrics, TransactGetItemsInput, TransactGetItemsOutput, TransactWriteItemsInput, TransactWriteItemsOutput,
} from '../../generated/dynamodb.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import type { Item } from './attribute-value.ts';
import { collectionMetrics, metricsMode } from './collection-metrics.ts';
import { validation } from './errors.ts';
import type { Condition } from './expressions/ast.ts';
import { matches } from './expressions/evaluate.ts';
import { compileProjection, project } from './expressions/projection.ts';
import { resolveCondition, resolveProjection } from './expressions/resolve.ts';
import { prepareDelete, preparePut, prepareUpdate, updatedItem, type PreparedUpdate } from './items.ts';
import { required, tableName } from './params.ts';
import { capacityMode, consumedCapacity, expressionAttributes, requestKey, writeUnits } from './requests.ts';
import type { TableRecord } from './schema.ts';
import { Store } from './store.ts';

const TOKEN_TTL_MS = 10 * 60 * 1000;

interface Action {
  rec: TableRecord;
  storage: string;
  keyItem?: Item;
  condition?: Condition;
  failureMode?: string;
  apply?: (old: Item | undefined) => Item | undefined;
}

interface TokenRecord {
  hash: string;
  at: number;
}

function tooMany(n: number, field: string): AwsError {
  return validation(`1 validation error detected: Value '[${n} items]' at '${field}' failed to satisfy constraint: Member must have length less than or equal to 100`);
}

export function TransactWriteItems(input: TransactWriteItemsInput, ctx: RequestContext): TransactWriteItemsOutput {
  const items = required(input.TransactItems, 'transactItems');
  if (items.length > 100) throw tooMany(items.length, 'transactItems');
  if (items.length === 0) {
    throw validation(`1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  }
  const mode = capacityMode(input.ReturnConsumedCapacity);
  const metrics = metricsMode(input.ReturnItemCollectionMetrics);
  const store = new Store(ctx);
  const tokens = ctx.table<TokenRecord>('tokens');
  const hash = createHash('sha256').update(JSON.stringify(items)).digest('hex');
  if (input.ClientRequestToken !== undefined) {
    const seen = tokens.get(input.ClientRequestToken);
    if (seen && ctx.clock.now() - seen.at < TOKEN_TTL_MS) {
      if (seen.hash !== hash) {
        throw new AwsError('IdempotentParameterMismatchException', 'Request token is already used with different parameters', 400);
      }
      return {};
    }
  }
  const actions: Action[] = items.map((t): Action => {
    const kinds = [t.ConditionCheck, t.Put, t.Delete, t.Update].filter((x) => x !== undefined);
    if (kinds.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
    if (t.Put) {
      const p = preparePut(store, t.Put);
      return { rec: p.rec, storage: p.key, keyItem: p.item, condition: p.condition, failureMode: t.Put.ReturnValuesOnConditionCheckFailure, apply: () => p.item };
    }
    if (t.Delete) {
      const d = prepareDelete(store, t.Delete);
      return { rec: d.rec, storage: d.storage, keyItem: d.key, condition: d.condition, failureMode: t.Delete.ReturnValuesOnConditionCheckFailure, apply: () => undefined };
    }
    if (t.Update) {
      const u: PreparedUpdate = prepareUpdate(store, { ...t.Update, UpdateExpression: required(t.Update.UpdateExpression, 'updateExpression') });
      return { rec: u.rec, storage: u.storage, keyItem: u.key, condition: u.condition, failureMode: t.Update.ReturnValuesOnConditionCheckFailure, apply: (old) => updatedItem(u, old) };
    }
    const c = t.ConditionCheck!;
    const attrs = expressionAttributes(c, { ConditionExpression: required(c.ConditionExpression, 'conditionExpression') });
    const condition = resolveCondition('ConditionExpression', c.ConditionExpression, attrs);
    attrs.checkAllUsed();
    const rec = store.requireTable(tableName(c.TableName));
    return { rec, storage: requestKey(rec, c.Key).storage, condition, failureMode: c.ReturnValuesOnConditionCheckFailure };
  });
  const targets = new Set<string>();
  for (const a of actions) {
    const id = `${a.rec.name}\u0000${a.storage}`;
    if (targets.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    targets.add(id);
  }
  const olds = actions.map((a) => store.items(a.rec.name).get(a.storage));
  const reasons: CancellationReason[] = actions.map((a, i) => {
    const old = olds[i];
    if (a.condition && !matches(a.condition, old ?? {})) {
      return {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        ...(a.failureMode === 'ALL_OLD' && old ? { Item: old } : {}),
      };
    }
    return { Code: 'None' };
  });
  if (reasons.some((r) => r.Code !== 'None')) {
    throw new AwsError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      400,
      { CancellationReasons: reasons },
    );
  }
  const nexts = actions.map((a, i) => (a.apply ? a.apply(olds[i]) : olds[i]));
  const units = new Map<TableRecord, number>();
  actions.forEach((a, i) => {
    if (a.apply && (olds[i] || nexts[i])) store.writeItem(a.rec, a.storage, olds[i], nexts[i]);
    units.set(a.rec, (units.get(a.rec) ?? 0) + 2 * writeUnits(olds[i], nexts[i]));
  });
  if (input.ClientRequestToken !== undefined) tokens.put(input.ClientRequestToken, { hash, at: ctx.clock.now() });
  const out: TransactWriteItemsOutput = {};
  const collections: Record<string, ItemCollectionMetrics[]> = {};
  for (const a of actions) {
    const icm = a.apply && a.keyItem ? collectionMetrics(store, a.rec, metrics, a.keyItem) : undefined;
    if (icm) (collections[a.rec.name] ??= []).push(icm);
  }
  if (Object.keys(collections).length) out.ItemCollectionMetrics = collections;
  if (mode === 'TOTAL' || mode === 'INDEXES') out.ConsumedCapacity = [...units].map(([rec, n]) => consumedCapacity(mode, rec, n, 'write')!);
  return out;
}

export function TransactGetItems(input: TransactGetItemsInput, ctx: RequestContext): TransactGetItemsOutput {
  const items = required(input.TransactItems, 'transactItems');
  if (items.length > 100) throw tooMany(items.length, 'transactItems');
  const mode = capacityMode(input.ReturnConsumedCapacity);
  const store = new Store(ctx);
  const units = new Map<TableRecord, number>();
  const responses = items.map((t) => {
    const g = required(t.Get, 'get');
    const attrs = expressionAttributes(g, { ProjectionExpression: g.ProjectionExpression });
    const paths = g.ProjectionExpression !== undefined ? resolveProjection(g.ProjectionExpression, attrs) : undefined;
    attrs.checkAllUsed();
    const rec = store.requireTable(tableName(g.TableName));
    const item = store.items(rec.name).get(requestKey(rec, g.Key).storage);
    units.set(rec, (units.get(rec) ?? 0) + 2);
    if (!item) return {};
    return { Item: paths ? project(item, compileProjection(paths)) : item };
  });
  const out: TransactGetItemsOutput = { Responses: responses };
  if (mode === 'TOTAL' || mode === 'INDEXES') out.ConsumedCapacity = [...units].map(([rec, n]) => consumedCapacity(mode, rec, n, 'read')!);
  return out;
}
