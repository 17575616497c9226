/**
 * Running bound PartiQL statements against the store: SELECT over the ordered sources (a
 * partition's range when the WHERE pins the partition key, else a scan), single-item reads for
 * batches and transactions, and writes prepared as check + apply so that ExecuteStatement,
 * BatchExecuteStatement and ExecuteTransaction share them.
 */
import { createHash } from 'node:crypto';
import type { RangeOptions } from '../../../state/index.ts';
import { AwsError } from '../../framework/define.ts';
import { toAttributeValue, typeOf, type AttributeValue, type Item } from '../attribute-value.ts';
import { invalidParameter, validation } from '../errors.ts';
import type { Condition, PathNode } from '../expressions/ast.ts';
import { getPath } from '../expressions/document.ts';
import { matches } from '../expressions/evaluate.ts';
import { compileProjection, project } from '../expressions/projection.ts';
import { applyUpdate, updatedAttributes } from '../expressions/update.ts';
import { conditionFailed } from '../items.ts';
import { readItems, startKey } from '../reader.ts';
import { attributeType, checkItem, storageKey, type IndexRecord, type TableRecord } from '../schema.ts';
import type { Store } from '../store.ts';
import type { Expr, SelectStatement, Source, Statement } from './ast.ts';
import { duplicateItem, parameterCount } from './errors.ts';
import { parseStatement } from './parser.ts';
import { Translator } from './translate.ts';

const MAX_STATEMENT = 8192;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

export interface Bound {
  text: string;
  statement: Statement;
  params: AttributeValue[];
}

/** The request-shape checks of a statement's text (the whole request fails them, in batches too). */
export function checkStatementText(text: string | undefined, field: string): string {
  if (text === undefined || text === null) {
    throw validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  if (text.length < 1 || text.length > MAX_STATEMENT) {
    throw validation(`1 validation error detected: Value '${text}' at '${field}' failed to satisfy constraint: Member must have length ${text.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_STATEMENT}`}`);
  }
  return text;
}

export function bind(raw: string | undefined, rawParams: unknown[] | undefined, field = 'statement'): Bound {
  const text = checkStatementText(raw, field);
  const parsed = parseStatement(text);
  const params = (rawParams ?? []).map((p) => toAttributeValue(p));
  if (params.length < parsed.parameters) throw parameterCount();
  return { text, statement: parsed.statement, params };
}

/** A statement that only reads. */
export function isRead(s: Statement): s is SelectStatement {
  return s.kind === 'select';
}

function table(store: Store, source: Source): TableRecord {
  if (!TABLE_NAME.test(source.table)) {
    throw validation("Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.");
  }
  const rec = store.tableRecord(source.table);
  if (!rec) throw new AwsError('ResourceNotFoundException', 'Requested resource not found', 400);
  return rec;
}

function index(rec: TableRecord, source: Source): IndexRecord | undefined {
  if (source.index === undefined) return undefined;
  const idx = rec.indexes.find((i) => i.name === source.index);
  if (!idx) throw validation(`The table does not have the specified index: ${source.index}`);
  return idx;
}

/** SELECT projections: each path's value under its last name, as AWS names them. */
function projector(projection: Expr[] | undefined): (item: Item) => Item {
  if (!projection) return (item) => item;
  const seen = new Set<string>();
  const paths = projection.map((e) => {
    if (e.k !== 'path') throw validation(`Unsupported operation: ${e.k === 'call' ? `function ${e.name} in the select clause` : 'expression in the select clause'}`);
    if (seen.has(e.text)) throw validation(`Duplicate identifiers in select clause: ${e.text}`);
    seen.add(e.text);
    return e;
  });
  return (item) => {
    const out: Item = {};
    for (const p of paths) {
      const v = getPath(item, p.elements);
      if (v) out[p.text] = v;
    }
    return out;
  };
}

// ---- SELECT through ExecuteStatement ----

export interface SelectOptions {
  limit?: number;
  consistent: boolean;
  nextToken?: string;
  capacity?: string;
}

export interface SelectResult {
  items: Item[];
  lastKey?: Item;
  nextToken?: string;
  rec: TableRecord;
  index?: IndexRecord;
  units: number;
}

interface Position {
  /** Which partition (of the statement's partitions, in key order) to resume in. */
  p: number;
  /** The encoded key to resume after; absent: from the partition's start. */
  a?: string;
}

function requestHash(b: Bound): string {
  return createHash('sha256').update(b.text).update(JSON.stringify(b.params)).digest('hex').slice(0, 32);
}

function encodeToken(b: Bound, pos: Position): string {
  return Buffer.from(JSON.stringify({ h: requestHash(b), ...pos }), 'utf8').toString('base64');
}

function decodeToken(b: Bound, token: string): Position {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw validation('Invalid NextToken');
  }
  const t = raw as { h?: unknown; p?: unknown; a?: unknown };
  if (typeof t !== 'object' || t === null || typeof t.h !== 'string' || typeof t.p !== 'number' || !Number.isInteger(t.p) || t.p < 0 || (t.a !== undefined && typeof t.a !== 'string')) {
    throw validation('Invalid NextToken');
  }
  if (t.h !== requestHash(b)) throw validation('NextToken does not match request');
  return t.a === undefined ? { p: t.p } : { p: t.p, a: t.a };
}

function orderDirection(s: SelectStatement, rec: TableRecord, idx: IndexRecord | undefined, partitions: RangeOptions[] | undefined): boolean {
  if (!s.order) return false;
  if (!s.where) throw validation('Must have WHERE clause in the statement when using ORDER BY clause.');
  if (!partitions) throw validation('Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.');
  const key = idx ? idx.key : rec.key;
  const p = s.order.path;
  const name = p.k === 'path' && p.elements.length === 1 && 'name' in p.elements[0]! ? p.elements[0].name : undefined;
  if (p.k !== 'path') throw validation(`Argument to ORDER BY must be of type VariableReference. Type: ${p.k}`);
  if (name !== key.hash && name !== key.range) throw validation(`Variable reference ${p.text} in ORDER BY clause must be part of the primary key`);
  if (partitions.length > 1 && name !== key.hash) {
    throw validation('Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.');
  }
  return s.order.descending;
}

export function runSelect(store: Store, b: Bound, opts: SelectOptions): SelectResult {
  const s = b.statement as SelectStatement;
  const t = new Translator(b.params);
  const rec = table(store, s.source);
  const idx = index(rec, s.source);
  if (idx?.kind === 'GSI' && opts.consistent) throw validation('Strongly consistent read is not supported on Global Secondary Indexes');
  const filter: Condition | undefined = s.where ? t.condition(s.where) : undefined;
  const project = projector(s.projection);
  const partitions = t.partitions(rec, idx ? idx.key : rec.key, s.where);
  const descending = orderDirection(s, rec, idx, partitions);
  const ranges: RangeOptions[] = (partitions ?? [{}]).map((r) => ({ ...r, reverse: descending }));
  if (descending) ranges.reverse();
  const start: Position = opts.nextToken !== undefined ? decodeToken(b, opts.nextToken) : { p: 0 };
  const out: SelectResult = { items: [], rec, ...(idx ? { index: idx } : {}), units: 0 };
  let remaining = opts.limit;
  for (let p = start.p; p < ranges.length; p++) {
    const range = { ...ranges[p]! };
    if (p === start.p && start.a !== undefined) {
      if (descending) range.end = range.end === undefined || start.a < range.end ? start.a : range.end;
      else range.after = start.a;
    }
    const r = readItems(store, {
      rec, index: idx, range, filter, select: idx ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES',
      limit: remaining, consistent: opts.consistent, capacity: opts.capacity === 'NONE' ? undefined : 'TOTAL',
    });
    out.items.push(...r.Items!.map(project));
    out.units += r.ConsumedCapacity?.CapacityUnits ?? 0;
    if (remaining !== undefined) remaining -= r.ScannedCount;
    if (r.LastEvaluatedKey) {
      out.lastKey = r.LastEvaluatedKey;
      out.nextToken = encodeToken(b, { p, a: startKey({ rec, index: idx }, r.LastEvaluatedKey) });
      break;
    }
    if (remaining === 0 && p < ranges.length - 1) {
      out.nextToken = encodeToken(b, { p: p + 1 });
      break;
    }
  }
  return out;
}

// ---- single-item reads (BatchExecuteStatement, ExecuteTransaction) ----

export interface ItemRead {
  rec: TableRecord;
  /** The item if it exists and satisfies the WHERE, projected. */
  run(): Item | undefined;
}

export function prepareRead(store: Store, b: Bound, inTransaction: boolean): ItemRead {
  const s = b.statement as SelectStatement;
  const t = new Translator(b.params);
  const rec = table(store, s.source);
  if (s.source.index !== undefined) {
    throw validation(inTransaction ? 'Reads on indices are not supported within transactions.' : 'This operation is not supported on an index');
  }
  let key: Item;
  try {
    key = t.itemKey(rec, s.where);
  } catch (e) {
    if (inTransaction) throw validation('Select statements within ExecuteTransaction must specify the primary key in the where clause.');
    throw e;
  }
  const filter = t.condition(s.where!);
  const project = projector(s.projection);
  const storage = storageKey(rec.key, key);
  return {
    rec,
    run: () => {
      const item = store.items(rec.name).get(storage);
      return item && matches(filter, item) ? project(item) : undefined;
    },
  };
}

// ---- writes ----

/** What a write leaves when it only checks (EXISTS in a transaction). */
export const UNCHANGED = Symbol('unchanged');

export interface WriteAction {
  rec: TableRecord;
  storage: string;
  /** Throws the statement's failure for the item as it stands (undefined when absent). */
  check(old: Item | undefined, failureMode: string | undefined): void;
  apply(old: Item | undefined): Item | undefined | typeof UNCHANGED;
  /** The RETURNING result for the item before and after. */
  returning(old: Item | undefined, next: Item | undefined): Item[];
}

function writeTable(store: Store, source: Source): TableRecord {
  const rec = table(store, source);
  if (source.index !== undefined) throw validation('This operation is not supported on an index');
  return rec;
}

function insert(store: Store, t: Translator, source: Source, value: Expr): WriteAction {
  const rec = writeTable(store, source);
  if (value.k !== 'tuple') {
    throw validation('Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.');
  }
  const item = t.item(value);
  for (const name of [rec.key.hash, rec.key.range]) {
    if (name === undefined) continue;
    const v = item[name];
    if (!v) throw validation(`Key attribute should be present in the item: Key ${name}`);
    if (typeOf(v) !== attributeType(rec, name)) throw validation(`Key attribute's data type should match its data type in table's schema: Key ${name}`);
  }
  checkItem(rec, item);
  return {
    rec,
    storage: storageKey(rec.key, item),
    check: (old) => {
      if (old) throw duplicateItem();
    },
    apply: () => item,
    returning: () => [],
  };
}

function modifiedPaths(ast: ReturnType<Translator['update']>): PathNode[] {
  return [...ast.set.map((a) => a.path), ...ast.remove, ...ast.add.map((a) => a.path), ...ast.delete.map((a) => a.path)];
}

function update(store: Store, t: Translator, s: Statement & { kind: 'update' }): WriteAction {
  const rec = writeTable(store, s.source);
  const key = t.itemKey(rec, s.where);
  const condition = t.condition(s.where!);
  const ast = t.update(s.actions);
  for (const attr of updatedAttributes(ast)) {
    if (attr === rec.key.hash || attr === rec.key.range) throw invalidParameter(`Cannot update attribute ${attr}. This attribute is part of the key`);
  }
  const modified = compileProjection(modifiedPaths(ast));
  const pick = (item: Item | undefined) => {
    const p = item ? project(item, modified) : {};
    return Object.keys(p).length ? [p] : [];
  };
  return {
    rec,
    storage: storageKey(rec.key, key),
    check: (old, mode) => {
      if (!old || !matches(condition, old)) throw conditionFailed(mode, old);
    },
    apply: (old) => {
      const next = applyUpdate(old!, ast);
      checkItem(rec, next, 'Item size to update has exceeded the maximum allowed size');
      return next;
    },
    returning: (old, next) => {
      switch (s.returning) {
        case 'ALL OLD': return [old!];
        case 'ALL NEW': return [next!];
        case 'MODIFIED OLD': return pick(old);
        case 'MODIFIED NEW': return pick(next);
        default: return [];
      }
    },
  };
}

function remove(store: Store, t: Translator, s: Statement & { kind: 'delete' }): WriteAction {
  if (s.returning !== undefined && s.returning !== 'ALL OLD') {
    throw validation(`Invalid returning clause: RETURNING ${s.returning} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`);
  }
  const rec = writeTable(store, s.source);
  const key = t.itemKey(rec, s.where);
  const condition = t.condition(s.where!);
  return {
    rec,
    storage: storageKey(rec.key, key),
    check: (old, mode) => {
      if (old && !matches(condition, old)) throw conditionFailed(mode, old);
    },
    apply: () => undefined,
    returning: (old) => (s.returning && old ? [old] : []),
  };
}

function exists(store: Store, t: Translator, select: SelectStatement): WriteAction {
  const rec = table(store, select.source);
  if (select.source.index !== undefined) throw validation('Operations on indices are not supported in transactions');
  let key: Item;
  try {
    key = t.itemKey(rec, select.where);
  } catch {
    throw validation('EXISTS() must contain a single item read with additional condition');
  }
  const condition = t.condition(select.where!);
  return {
    rec,
    storage: storageKey(rec.key, key),
    check: (old, mode) => {
      if (!old || !matches(condition, old)) throw conditionFailed(mode, old);
    },
    apply: () => UNCHANGED,
    returning: () => [],
  };
}

export function prepareWrite(store: Store, b: Bound): WriteAction {
  const t = new Translator(b.params);
  const s = b.statement;
  switch (s.kind) {
    case 'insert': return insert(store, t, s.source, s.value);
    case 'update': return update(store, t, s);
    case 'delete': return remove(store, t, s);
    case 'exists': return exists(store, t, s.select);
    default: throw validation('Unsupported operation: SELECT is not a write');
  }
}

/** Runs a prepared write: check, apply, store (the stream sees it like any other write). */
export function runWrite(store: Store, w: WriteAction, failureMode: string | undefined): { old?: Item; next?: Item; items: Item[] } {
  const old = store.items(w.rec.name).get(w.storage);
  w.check(old, failureMode);
  const next = w.apply(old);
  if (next === UNCHANGED) return { ...(old ? { old } : {}), items: [] };
  if (next || old) store.writeItem(w.rec, w.storage, old, next);
  return { ...(old ? { old } : {}), ...(next ? { next } : {}), items: w.returning(old, next) };
}
