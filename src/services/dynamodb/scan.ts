/** Scan, including parallel scans (Segment / TotalSegments). */
import type { ScanInput, ScanOutput } from '../../generated/dynamodb.ts';
import type { RangeOptions } from '../../state/index.ts';
import type { RequestContext } from '../framework/define.ts';
import { validation } from './errors.ts';
import { resolveCondition } from './expressions/resolve.ts';
import { projectionOf } from './items.ts';
import { filterCondition } from './legacy.ts';
import { limit, tableName } from './params.ts';
import { resolveSelect } from './query.ts';
import { readItems, startKey } from './reader.ts';
import { expressionAttributes } from './requests.ts';
import { Store } from './store.ts';

function segments(input: ScanInput): { segment: number; total: number } | undefined {
  const { Segment: segment, TotalSegments: total } = input;
  if (segment === undefined && total === undefined) return undefined;
  if (total === undefined) {
    throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (segment === undefined) {
    throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (total < 1 || total > 1000000) {
    throw validation(`1 validation error detected: Value '${total}' at 'totalSegments' failed to satisfy constraint: Member must have value ${total < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000000'}`);
  }
  if (segment < 0) {
    throw validation(`1 validation error detected: Value '${segment}' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  }
  if (segment >= total) {
    throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`);
  }
  return { segment, total };
}

export function Scan(input: ScanInput, ctx: RequestContext): ScanOutput {
  const name = tableName(input.TableName);
  const max = limit(input.Limit);
  const segment = segments(input);
  const attrs = expressionAttributes(
    input,
    { FilterExpression: input.FilterExpression, ProjectionExpression: input.ProjectionExpression },
    { ScanFilter: input.ScanFilter, AttributesToGet: input.AttributesToGet },
  );
  const filter = input.FilterExpression !== undefined
    ? resolveCondition('FilterExpression', input.FilterExpression, attrs)
    : filterCondition(input.ScanFilter, input.ConditionalOperator);
  const paths = projectionOf(input, attrs);
  attrs.checkAllUsed();
  const store = new Store(ctx);
  const rec = store.requireTable(name);
  const index = input.IndexName === undefined ? undefined : rec.indexes.find((i) => i.name === input.IndexName);
  if (input.IndexName !== undefined && !index) throw validation(`The table does not have the specified index: ${input.IndexName}`);
  if (index?.kind === 'GSI' && input.ConsistentRead) throw validation('Consistent reads are not supported on global secondary indexes');
  const range: RangeOptions = input.ExclusiveStartKey ? { after: startKey({ rec, index }, input.ExclusiveStartKey) } : {};
  return readItems(store, {
    rec, index, range, filter, paths, segment,
    select: resolveSelect(input.Select, paths, index !== undefined),
    limit: max,
    consistent: input.ConsistentRead === true,
    capacity: input.ReturnConsumedCapacity,
  });
}
