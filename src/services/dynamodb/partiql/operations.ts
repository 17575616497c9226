/** ExecuteStatement, BatchExecuteStatement (25 independent statements) and ExecuteTransaction (100, all or nothing). */
import { createHash } from 'node:crypto';
import type {
  BatchExecuteStatementInput, BatchExecuteStatementOutput, BatchStatementErrorCodeEnum, BatchStatementResponse,
  CancellationReason, ConsumedCapacity, ExecuteStatementInput, ExecuteStatementOutput, ExecuteTransactionInput,
  ExecuteTransactionOutput, ItemResponse,
} from '../../../generated/dynamodb.ts';
import { AwsError, type RequestContext } from '../../framework/define.ts';
import type { Item } from '../attribute-value.ts';
import { validation } from '../errors.ts';
import { limit, oneOf, required } from '../params.ts';
import { capacityMode, consumedCapacity, readUnits, writeUnits } from '../requests.ts';
import type { TableRecord } from '../schema.ts';
import { Store } from '../store.ts';
import { bind, checkStatementText, isRead, prepareRead, prepareWrite, runSelect, runWrite, UNCHANGED, type Bound, type WriteAction } from './statements.ts';

const TOKEN_TTL_MS = 10 * 60 * 1000;

function failureMode(v: string | undefined): string | undefined {
  return oneOf(v, 'returnValuesOnConditionCheckFailure', ['ALL_OLD', 'NONE'] as const);
}

function lengthError(n: number, field: string, max: number): AwsError {
  return validation(`1 validation error detected: Value '[${n} items]' at '${field}' failed to satisfy constraint: Member must have length ${n < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`);
}

function totals(mode: string | undefined, units: Map<TableRecord, number>, kind: 'read' | 'write'): ConsumedCapacity[] | undefined {
  const m = capacityMode(mode);
  if (m !== 'TOTAL' && m !== 'INDEXES') return undefined;
  return [...units].map(([rec, n]) => consumedCapacity(m, rec, n, kind)!);
}

export function ExecuteStatement(input: ExecuteStatementInput, ctx: RequestContext): ExecuteStatementOutput {
  const mode = capacityMode(input.ReturnConsumedCapacity);
  const onFailure = failureMode(input.ReturnValuesOnConditionCheckFailure);
  const max = limit(input.Limit);
  const b = bind(input.Statement, input.Parameters);
  const store = new Store(ctx);
  if (b.statement.kind === 'exists') throw validation('EXISTS can only be used in ExecuteTransaction write requests.');
  if (isRead(b.statement)) {
    const r = runSelect(store, b, { limit: max, consistent: input.ConsistentRead === true, nextToken: input.NextToken, capacity: mode });
    const out: ExecuteStatementOutput = { Items: r.items };
    if (r.nextToken) out.NextToken = r.nextToken;
    if (r.lastKey) out.LastEvaluatedKey = r.lastKey;
    const cc = consumedCapacity(mode, r.rec, r.units, 'read', r.index?.name);
    if (cc) out.ConsumedCapacity = cc;
    return out;
  }
  const w = prepareWrite(store, b);
  const done = runWrite(store, w, onFailure);
  const out: ExecuteStatementOutput = { Items: done.items };
  const cc = consumedCapacity(mode, w.rec, writeUnits(done.old, done.next), 'write');
  if (cc) out.ConsumedCapacity = cc;
  return out;
}

const BATCH_CODES: Record<string, BatchStatementErrorCodeEnum> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ValidationException: 'ValidationError',
  ResourceNotFoundException: 'ResourceNotFound',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  TransactionConflictException: 'TransactionConflict',
};

function batchError(e: unknown): BatchStatementResponse {
  if (!(e instanceof AwsError) || !BATCH_CODES[e.code]) throw e;
  const item = e.fields.Item as Item | undefined;
  return { Error: { Code: BATCH_CODES[e.code], Message: e.message, ...(item ? { Item: item } : {}) } };
}

export function BatchExecuteStatement(input: BatchExecuteStatementInput, ctx: RequestContext): BatchExecuteStatementOutput {
  const statements = required(input.Statements, 'statements');
  if (statements.length < 1 || statements.length > 25) throw lengthError(statements.length, 'statements', 25);
  statements.forEach((s, i) => checkStatementText(s.Statement, `statements.${i + 1}.member.statement`));
  const store = new Store(ctx);
  const bound: (Bound | BatchStatementResponse)[] = statements.map((s) => {
    try {
      return bind(s.Statement, s.Parameters);
    } catch (e) {
      return batchError(e);
    }
  });
  const kinds = new Set(bound.filter((b): b is Bound => 'statement' in b).map((b) => isRead(b.statement)));
  if (kinds.size > 1) {
    throw validation('The entire batch must consist of either read statements or write statements, you cannot mix both in one batch.');
  }
  const units = new Map<TableRecord, number>();
  const add = (rec: TableRecord, n: number) => units.set(rec, (units.get(rec) ?? 0) + n);
  const responses = bound.map((b, i): BatchStatementResponse => {
    if (!('statement' in b)) return b;
    const request = statements[i]!;
    try {
      if (b.statement.kind === 'exists') throw validation('EXISTS can only be used in ExecuteTransaction write requests.');
      if (isRead(b.statement)) {
        const r = prepareRead(store, b, false);
        const item = r.run();
        add(r.rec, readUnits(0, request.ConsistentRead === true));
        return { TableName: r.rec.name, ...(item ? { Item: item } : {}) };
      }
      const w = prepareWrite(store, b);
      const done = runWrite(store, w, failureMode(request.ReturnValuesOnConditionCheckFailure));
      add(w.rec, writeUnits(done.old, done.next));
      return { TableName: w.rec.name };
    } catch (e) {
      const tableName = b.statement.kind === 'exists' ? b.statement.select.source.table : b.statement.source.table;
      return { ...batchError(e), TableName: tableName };
    }
  });
  const out: BatchExecuteStatementOutput = { Responses: responses };
  const cc = totals(input.ReturnConsumedCapacity, units, kinds.has(true) ? 'read' : 'write');
  if (cc) out.ConsumedCapacity = cc;
  return out;
}

interface TokenRecord {
  hash: string;
  at: number;
}

/** Statement-level validation failures name the statement, as AWS does. */
function inStatement<T>(i: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof AwsError && e.code === 'ValidationException') throw validation(`Validation failed in TransactStatements[${i}]: ${e.message}`);
    throw e;
  }
}

export function ExecuteTransaction(input: ExecuteTransactionInput, ctx: RequestContext): ExecuteTransactionOutput {
  const statements = required(input.TransactStatements, 'transactStatements');
  if (statements.length < 1 || statements.length > 100) throw lengthError(statements.length, 'transactStatements', 100);
  statements.forEach((s, i) => checkStatementText(s.Statement, `transactStatements.${i + 1}.member.statement`));
  capacityMode(input.ReturnConsumedCapacity);
  const store = new Store(ctx);
  const bound = statements.map((s, i) => inStatement(i, () => {
    const b = bind(s.Statement, s.Parameters);
    if ((b.statement.kind === 'update' || b.statement.kind === 'delete') && b.statement.returning) {
      throw validation('RETURNING clause is not supported in ExecuteTransaction.');
    }
    return b;
  }));
  const reads = bound.filter((b) => isRead(b.statement)).length;
  if (reads > 0 && reads < bound.length) throw validation('ExecuteTransaction API does not support both read and write operations in the same request.');
  const units = new Map<TableRecord, number>();
  const add = (rec: TableRecord, n: number) => units.set(rec, (units.get(rec) ?? 0) + n);
  if (reads) {
    const prepared = bound.map((b, i) => inStatement(i, () => prepareRead(store, b, true)));
    const responses: ItemResponse[] = prepared.map((r) => {
      add(r.rec, 2);
      const item = r.run();
      return item ? { Item: item } : {};
    });
    const out: ExecuteTransactionOutput = { Responses: responses };
    const cc = totals(input.ReturnConsumedCapacity, units, 'read');
    if (cc) out.ConsumedCapacity = cc;
    return out;
  }

  const tokens = ctx.table<TokenRecord>('tokens');
  const hash = createHash('sha256').update(JSON.stringify(statements)).digest('hex');
  if (input.ClientRequestToken !== undefined) {
    const seen = tokens.get(input.ClientRequestToken);
    if (seen && ctx.clock.now() - seen.at < TOKEN_TTL_MS) {
      if (seen.hash !== hash) throw new AwsError('IdempotentParameterMismatchException', 'Request token is already used with different parameters', 400);
      return { Responses: [] };
    }
  }
  const actions: WriteAction[] = bound.map((b, i) => inStatement(i, () => prepareWrite(store, b)));
  const targets = new Set<string>();
  for (const a of actions) {
    const id = `${a.rec.name}\u0000${a.storage}`;
    if (targets.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    targets.add(id);
  }
  const olds = actions.map((a) => store.items(a.rec.name).get(a.storage));
  const reasons: CancellationReason[] = actions.map((a, i) => {
    try {
      a.check(olds[i], failureMode(statements[i]!.ReturnValuesOnConditionCheckFailure));
      return { Code: 'None' };
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      const item = e.fields.Item as Item | undefined;
      return { Code: e.code.replace(/Exception$/, ''), Message: e.message, ...(item ? { Item: item } : {}) };
    }
  });
  if (reasons.some((r) => r.Code !== 'None')) {
    throw new AwsError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      400,
      { CancellationReasons: reasons },
    );
  }
  const nexts = actions.map((a, i) => a.apply(olds[i]));
  actions.forEach((a, i) => {
    const next = nexts[i];
    if (next !== UNCHANGED && (olds[i] || next)) store.writeItem(a.rec, a.storage, olds[i], next);
    add(a.rec, 2 * writeUnits(olds[i], next === UNCHANGED ? undefined : next));
  });
  if (input.ClientRequestToken !== undefined) tokens.put(input.ClientRequestToken, { hash, at: ctx.clock.now() });
  const out: ExecuteTransactionOutput = { Responses: [] };
  const cc = totals(input.ReturnConsumedCapacity, units, 'write');
  if (cc) out.ConsumedCapacity = cc;
  return out;
}
