/** Plumbing shared by the item operations: expression parameters, capacity, key lookups. */
import type { ConsumedCapacity, ReturnConsumedCapacity } from '../../generated/dynamodb.ts';
import { itemSize, toItem, type Item } from './attribute-value.ts';
import { validation } from './errors.ts';
import { ExpressionAttributes } from './expressions/attributes.ts';
import { oneOf, required } from './params.ts';
import { checkKey, storageKey, type TableRecord } from './schema.ts';

export interface ExpressionParams {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * Validates the placeholder maps of a request. `expressions` names the expression parameters
 * present, `legacy` the pre-expression parameters present (AWS refuses mixing them).
 */
export function expressionAttributes(
  input: ExpressionParams,
  expressions: Record<string, string | undefined>,
  legacy: Record<string, unknown> = {},
): ExpressionAttributes {
  const usedExpr = Object.keys(expressions).filter((k) => expressions[k] !== undefined);
  const usedLegacy = Object.keys(legacy).filter((k) => legacy[k] !== undefined);
  if (usedExpr.length && usedLegacy.length) {
    throw validation(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${usedLegacy.join(', ')}} Expression parameters: {${usedExpr.join(', ')}}`);
  }
  if (!usedExpr.length) {
    if (input.ExpressionAttributeNames !== undefined) throw validation('ExpressionAttributeNames can only be specified when using expressions');
    if (input.ExpressionAttributeValues !== undefined) throw validation('ExpressionAttributeValues can only be specified when using expressions');
  }
  return new ExpressionAttributes(input.ExpressionAttributeNames, input.ExpressionAttributeValues);
}

export function requestKey(rec: TableRecord, raw: Record<string, unknown> | undefined): { key: Item; storage: string } {
  const key = toItem(required(raw, 'key'));
  checkKey(rec, key);
  return { key, storage: storageKey(rec.key, key) };
}

export const CAPACITY_MODES = ['INDEXES', 'TOTAL', 'NONE'] as const;

export function capacityMode(v: string | undefined): ReturnConsumedCapacity | undefined {
  return oneOf(v, 'returnConsumedCapacity', CAPACITY_MODES);
}

/** Whether ConsumedCapacity is answered at all: item sizes are only measured for it then. */
export function reportsCapacity(mode: ReturnConsumedCapacity | undefined): boolean {
  return mode === 'TOTAL' || mode === 'INDEXES';
}

export function writeUnits(...items: (Item | undefined)[]): number {
  const size = Math.max(0, ...items.map((i) => (i ? itemSize(i) : 0)));
  return Math.max(1, Math.ceil(size / 1024));
}

export function readUnits(size: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(size / 4096));
  return consistent ? units : units / 2;
}

/** ConsumedCapacity as AWS reports it for TOTAL and INDEXES. */
export function consumedCapacity(mode: ReturnConsumedCapacity | undefined, rec: TableRecord, units: number, kind: 'read' | 'write', indexName?: string): ConsumedCapacity | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const split = kind === 'read' ? { ReadCapacityUnits: units } : { WriteCapacityUnits: units };
  const out: ConsumedCapacity = { TableName: rec.name, CapacityUnits: units, ...split };
  if (mode === 'INDEXES') {
    if (indexName === undefined) out.Table = { CapacityUnits: units, ...split };
    else {
      out.Table = { CapacityUnits: 0, ...(kind === 'read' ? { ReadCapacityUnits: 0 } : { WriteCapacityUnits: 0 }) };
      const idx = rec.indexes.find((i) => i.name === indexName);
      const entry = { [indexName]: { CapacityUnits: units, ...split } };
      if (idx?.kind === 'LSI') out.LocalSecondaryIndexes = entry;
      else out.GlobalSecondaryIndexes = entry;
    }
  }
  return out;
}
