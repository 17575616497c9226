import type {
  GetLogGroupFieldsRequest, GetLogGroupFieldsResponse, GetLogRecordRequest, GetLogRecordResponse,
  DescribeQueriesRequest, DescribeQueriesResponse, GetQueryResultsRequest, GetQueryResultsResponse, QueryInfo, StartQueryRequest,
  StartQueryResponse, StopQueryRequest,
} from '../../generated/logs.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidParameter, notFound } from './errors.ts';
import { groupOf } from './groups.ts';
import { eventRow, parseQuery, QuerySyntaxError, runQuery, type CompiledQuery, type Row } from './insights.ts';
import { groupNameOf, identifierToName, page } from './names.ts';
import { eventKey, eventPosition, type QueryRecord } from './records.ts';
import { scopeOf, type Scope } from './store.ts';

/** Logs Insights queries run to completion when started; results are kept with the query. */

function compile(queryString: string): CompiledQuery {
  try {
    return parseQuery(queryString);
  } catch (e) {
    if (!(e instanceof QuerySyntaxError)) throw e;
    const message = `${e.message} at line 1 and position ${e.position + 1}`;
    throw new AwsError('MalformedQueryException', message, 400, {
      queryCompileError: { location: { startCharOffset: e.position, endCharOffset: e.position }, message },
    });
  }
}

function rowsOf(scope: Scope, groups: string[], from: number, to: number): { rows: Row[]; bytes: number } {
  const rows: Row[] = [];
  let bytes = 0;
  for (const group of groups) {
    for (const [key, e] of scope.events.entries({ prefix: `${group}:` })) {
      const { ts, seq } = eventPosition(key);
      if (ts < from || ts > to) continue;
      const rest = key.slice(group.length + 1);
      const stream = rest.slice(0, rest.length - 28);
      bytes += Buffer.byteLength(e.m);
      rows.push(eventRow({
        timestamp: ts, message: e.m, ingestionTime: e.i, stream, log: `${scope.account}:${group}`,
        ptr: Buffer.from(`${group}:${stream}:${ts}:${seq}`).toString('base64url'),
      }));
    }
  }
  return { rows, bytes };
}

export function StartQuery(input: StartQueryRequest, ctx: RequestContext): StartQueryResponse {
  const scope = scopeOf(ctx);
  const names = [
    ...(input.logGroupName !== undefined ? [input.logGroupName] : []),
    ...(input.logGroupNames ?? []),
    ...(input.logGroupIdentifiers ?? []).map(identifierToName),
  ];
  if (names.length === 0) throw invalidParameter('Query must specify at least one log group.');
  if (input.queryLanguage !== undefined && input.queryLanguage !== 'CWLI') throw invalidParameter(`Query language ${input.queryLanguage} is not supported by kumo.`);
  if (input.endTime < input.startTime) throw invalidParameter('End time should not be before the start time.');
  const limit = input.limit ?? 10_000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw invalidParameter('limit must be between 1 and 10000.');
  for (const n of names) groupOf(scope, n);
  const query = compile(input.queryString);
  const { rows, bytes } = rowsOf(scope, names, input.startTime * 1000, input.endTime * 1000 + 999);
  const { results, matched } = runQuery(query, rows, limit);
  const rec: QueryRecord = {
    id: ctx.ids.uuid(), queryString: input.queryString, groups: names, status: 'Complete', created: ctx.clock.now(), results,
    statistics: { recordsMatched: matched, recordsScanned: rows.length, bytesScanned: bytes },
  };
  scope.queries.put(rec.id, rec);
  return { queryId: rec.id };
}

function queryOf(scope: Scope, id: string): QueryRecord {
  const q = scope.queries.get(id);
  if (!q) throw notFound('Query does not exist.');
  return q;
}

export function GetQueryResults(input: GetQueryResultsRequest, ctx: RequestContext): GetQueryResultsResponse {
  const q = queryOf(scopeOf(ctx), input.queryId);
  return { status: q.status as GetQueryResultsResponse['status'], results: q.results, statistics: q.statistics, queryLanguage: 'CWLI' };
}

export function StopQuery(input: StopQueryRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const q = queryOf(scope, input.queryId);
  if (q.status !== 'Running' && q.status !== 'Scheduled') return { success: false };
  scope.queries.put(q.id, { ...q, status: 'Cancelled' });
  return { success: true };
}

export function DescribeQueries(input: DescribeQueriesRequest, ctx: RequestContext): DescribeQueriesResponse {
  const scope = scopeOf(ctx);
  const all: QueryInfo[] = [...scope.queries.entries()].map(([, q]) => q)
    .filter((q) => (input.status === undefined || q.status === input.status) && (input.logGroupName === undefined || q.groups.includes(input.logGroupName)))
    .sort((a, b) => b.created - a.created)
    .map((q) => ({ queryId: q.id, queryString: q.queryString, status: q.status as QueryInfo['status'], createTime: q.created, logGroupName: q.groups[0], queryLanguage: 'CWLI' }));
  const p = page(all, input.maxResults, 1000, input.nextToken);
  return p.nextToken ? { queries: p.items, nextToken: p.nextToken } : { queries: p.items };
}

/** The fields of one event an Insights result's `@ptr` points at. */
export function GetLogRecord(input: GetLogRecordRequest, ctx: RequestContext): GetLogRecordResponse {
  const scope = scopeOf(ctx);
  const m = /^([^:]+):([^:]*):(\d+):(\d+)$/.exec(Buffer.from(input.logRecordPointer, 'base64url').toString());
  if (!m) throw invalidParameter('The specified logRecordPointer is invalid.');
  const [, group, stream, ts, seq] = m as unknown as [string, string, string, string, string];
  const e = scope.events.get(eventKey(group, stream, Number(ts), Number(seq)));
  if (!e) throw notFound('The specified log record does not exist.');
  const row = eventRow({ timestamp: Number(ts), message: e.m, ingestionTime: e.i, stream, log: `${scope.account}:${group}`, ptr: input.logRecordPointer });
  const logRecord: Record<string, string> = {};
  for (const [k, v] of row) {
    if (k === '@timestampMs' || k === '@ptr') continue;
    if (k === '@timestamp' || k === '@ingestionTime') logRecord[k] = String(k === '@timestamp' ? ts : e.i);
    else if (v !== undefined && v !== null) logRecord[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return { logRecord };
}

/** Fields found in the group's events (JSON keys flattened with dots), with the share of events that have them. */
export function GetLogGroupFields(input: GetLogGroupFieldsRequest, ctx: RequestContext): GetLogGroupFieldsResponse {
  const scope = scopeOf(ctx);
  const group = groupNameOf(input);
  groupOf(scope, group);
  const counts = new Map<string, number>();
  let total = 0;
  for (const [key, e] of scope.events.entries({ prefix: `${group}:` })) {
    total++;
    const row = eventRow({ timestamp: eventPosition(key).ts, message: e.m, ingestionTime: e.i, stream: '', log: '', ptr: '' });
    for (const k of row.keys()) if (k !== '@timestampMs' && k !== '@ptr' && k !== '@ingestionTime' && k !== '@logStream' && k !== '@log') counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return { logGroupFields: [...counts].map(([name, n]) => ({ name, percent: Math.round((n / total) * 100) })) };
}
