/** PutItem, GetItem, UpdateItem, DeleteItem. */
import type {
  DeleteItemInput, DeleteItemOutput, GetItemInput, GetItemOutput, PutItemInput, PutItemOutput, UpdateItemInput,
  UpdateItemOutput,
} from '../../generated/dynamodb.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { itemSize, toItem, type Item } from './attribute-value.ts';
import { invalidParameter, validation } from './errors.ts';
import type { Condition, PathNode, UpdateAst } from './expressions/ast.ts';
import { matches } from './expressions/evaluate.ts';
import { compileProjection, project } from './expressions/projection.ts';
import { resolveCondition, resolveProjection, resolveUpdate } from './expressions/resolve.ts';
import { applyUpdate, updatedAttributes } from './expressions/update.ts';
import { collectionMetrics, metricsMode } from './collection-metrics.ts';
import { attributesToGet, attributeUpdates, expectedCondition } from './legacy.ts';
import { oneOf, required, tableName } from './params.ts';
import {
  capacityMode, consumedCapacity, expressionAttributes, readUnits, reportsCapacity, requestKey, writeUnits, type ExpressionParams,
} from './requests.ts';
import { checkItem, storageKey, type TableRecord } from './schema.ts';
import { Store } from './store.ts';

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const;

export function conditionFailed(mode: string | undefined, old: Item | undefined): AwsError {
  const fields = mode === 'ALL_OLD' && old ? { Item: old } : {};
  return new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, fields);
}

function onFailure(v: string | undefined): string | undefined {
  return oneOf(v, 'returnValuesOnConditionCheckFailure', ['ALL_OLD', 'NONE'] as const);
}

/** A write's condition: ConditionExpression or the legacy Expected map. */
export function writeCondition(
  input: ExpressionParams & { ConditionExpression?: string; Expected?: PutItemInput['Expected']; ConditionalOperator?: string },
  extra: Record<string, string | undefined> = {},
  extraLegacy: Record<string, unknown> = {},
) {
  const attrs = expressionAttributes(input, { ...extra, ConditionExpression: input.ConditionExpression }, { ...extraLegacy, Expected: input.Expected });
  const condition: Condition | undefined = input.ConditionExpression !== undefined
    ? resolveCondition('ConditionExpression', input.ConditionExpression, attrs)
    : expectedCondition(input.Expected, input.ConditionalOperator);
  return { attrs, condition };
}

export interface PreparedPut {
  rec: TableRecord;
  item: Item;
  key: string;
  condition?: Condition;
}

export function preparePut(store: Store, input: PutItemInput): PreparedPut {
  const name = tableName(input.TableName);
  const item = toItem(required(input.Item, 'item'));
  const { attrs, condition } = writeCondition(input);
  attrs.checkAllUsed();
  const rec = store.requireTable(name);
  checkItem(rec, item);
  return { rec, item, key: storageKey(rec.key, item), condition };
}

export function PutItem(input: PutItemInput, ctx: RequestContext): PutItemOutput {
  const rv = oneOf(input.ReturnValues, 'returnValues', RETURN_VALUES);
  if (rv !== undefined && rv !== 'NONE' && rv !== 'ALL_OLD') throw validation('ReturnValues can only be ALL_OLD or NONE');
  const failureMode = onFailure(input.ReturnValuesOnConditionCheckFailure);
  const mode = capacityMode(input.ReturnConsumedCapacity);
  const metrics = metricsMode(input.ReturnItemCollectionMetrics);
  const store = new Store(ctx);
  const { rec, item, key, condition } = preparePut(store, input);
  const old = store.items(rec.name).get(key);
  if (condition && !matches(condition, old ?? {})) throw conditionFailed(failureMode, old);
  store.writeItem(rec, key, old, item);
  const out: PutItemOutput = {};
  if (rv === 'ALL_OLD' && old) out.Attributes = old;
  const cc = reportsCapacity(mode) && consumedCapacity(mode, rec, writeUnits(old, item), 'write');
  if (cc) out.ConsumedCapacity = cc;
  const icm = collectionMetrics(store, rec, metrics, item);
  if (icm) out.ItemCollectionMetrics = icm;
  return out;
}

export function projectionOf(input: ExpressionParams & { ProjectionExpression?: string; AttributesToGet?: string[] }, attrs: ReturnType<typeof expressionAttributes>): PathNode[] | undefined {
  if (input.ProjectionExpression !== undefined) return resolveProjection(input.ProjectionExpression, attrs);
  return attributesToGet(input.AttributesToGet);
}

export function GetItem(input: GetItemInput, ctx: RequestContext): GetItemOutput {
  const name = tableName(input.TableName);
  const mode = capacityMode(input.ReturnConsumedCapacity);
  const attrs = expressionAttributes(input, { ProjectionExpression: input.ProjectionExpression }, { AttributesToGet: input.AttributesToGet });
  const paths = projectionOf(input, attrs);
  attrs.checkAllUsed();
  const store = new Store(ctx);
  const rec = store.requireTable(name);
  const { storage } = requestKey(rec, input.Key);
  const item = store.items(name).get(storage);
  const out: GetItemOutput = {};
  if (item) out.Item = paths ? project(item, compileProjection(paths)) : item;
  const cc = reportsCapacity(mode) && consumedCapacity(mode, rec, readUnits(item ? itemSize(item) : 0, input.ConsistentRead === true), 'read');
  if (cc) out.ConsumedCapacity = cc;
  return out;
}

export interface PreparedUpdate {
  rec: TableRecord;
  key: Item;
  storage: string;
  update: UpdateAst;
  condition?: Condition;
}

export function prepareUpdate(store: Store, input: UpdateItemInput): PreparedUpdate {
  const name = tableName(input.TableName);
  const { attrs, condition } = writeCondition(input, { UpdateExpression: input.UpdateExpression }, { AttributeUpdates: input.AttributeUpdates });
  const update: UpdateAst = input.UpdateExpression !== undefined
    ? resolveUpdate(input.UpdateExpression, attrs)
    : attributeUpdates(input.AttributeUpdates ?? {});
  attrs.checkAllUsed();
  const rec = store.requireTable(name);
  const { key, storage } = requestKey(rec, input.Key);
  for (const attr of updatedAttributes(update)) {
    if (attr === rec.key.hash || attr === rec.key.range) {
      throw invalidParameter(`Cannot update attribute ${attr}. This attribute is part of the key`);
    }
  }
  return { rec, key, storage, update, condition };
}

/** The updated item, checked as a whole (index key types, size) as AWS does. */
export function updatedItem(p: PreparedUpdate, old: Item | undefined): Item {
  const next = applyUpdate(old ?? p.key, p.update);
  checkItem(p.rec, next, 'Item size to update has exceeded the maximum allowed size');
  return next;
}

function updatedPaths(update: UpdateAst): PathNode[] {
  return [...update.set.map((a) => a.path), ...update.remove, ...update.add.map((a) => a.path), ...update.delete.map((a) => a.path)];
}

export function UpdateItem(input: UpdateItemInput, ctx: RequestContext): UpdateItemOutput {
  const rv = oneOf(input.ReturnValues, 'returnValues', RETURN_VALUES);
  const failureMode = onFailure(input.ReturnValuesOnConditionCheckFailure);
  const mode = capacityMode(input.ReturnConsumedCapacity);
  const metrics = metricsMode(input.ReturnItemCollectionMetrics);
  const store = new Store(ctx);
  const p = prepareUpdate(store, input);
  const old = store.items(p.rec.name).get(p.storage);
  if (p.condition && !matches(p.condition, old ?? {})) throw conditionFailed(failureMode, old);
  const next = updatedItem(p, old);
  store.writeItem(p.rec, p.storage, old, next);
  const out: UpdateItemOutput = {};
  if (rv === 'ALL_OLD' && old) out.Attributes = old;
  else if (rv === 'ALL_NEW') out.Attributes = next;
  else if (rv === 'UPDATED_OLD' || rv === 'UPDATED_NEW') {
    const source = rv === 'UPDATED_OLD' ? old : next;
    const projected = source ? project(source, compileProjection(updatedPaths(p.update))) : {};
    if (Object.keys(projected).length) out.Attributes = projected;
  }
  const cc = reportsCapacity(mode) && consumedCapacity(mode, p.rec, writeUnits(old, next), 'write');
  if (cc) out.ConsumedCapacity = cc;
  const icm = collectionMetrics(store, p.rec, metrics, p.key);
  if (icm) out.ItemCollectionMetrics = icm;
  return out;
}

export function prepareDelete(store: Store, input: DeleteItemInput) {
  const name = tableName(input.TableName);
  const { attrs, condition } = writeCondition(input);
  attrs.checkAllUsed();
  const rec = store.requireTable(name);
  const { key, storage } = requestKey(rec, input.Key);
  return { rec, key, storage, condition };
}

export function DeleteItem(input: DeleteItemInput, ctx: RequestContext): DeleteItemOutput {
  const rv = oneOf(input.ReturnValues, 'returnValues', RETURN_VALUES);
  if (rv !== undefined && rv !== 'NONE' && rv !== 'ALL_OLD') throw validation('ReturnValues can only be ALL_OLD or NONE');
  const failureMode = onFailure(input.ReturnValuesOnConditionCheckFailure);
  const mode = capacityMode(input.ReturnConsumedCapacity);
  const metrics = metricsMode(input.ReturnItemCollectionMetrics);
  const store = new Store(ctx);
  const { rec, key, storage, condition } = prepareDelete(store, input);
  const old = store.items(rec.name).get(storage);
  if (condition && !matches(condition, old ?? {})) throw conditionFailed(failureMode, old);
  if (old) store.writeItem(rec, storage, old, undefined);
  const out: DeleteItemOutput = {};
  if (rv === 'ALL_OLD' && old) out.Attributes = old;
  const cc = reportsCapacity(mode) && consumedCapacity(mode, rec, writeUnits(old), 'write');
  if (cc) out.ConsumedCapacity = cc;
  const icm = collectionMetrics(store, rec, metrics, key);
  if (icm) out.ItemCollectionMetrics = icm;
  return out;
}

