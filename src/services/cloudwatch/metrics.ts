import type { ListMetricsInput, ListMetricsOutput, Metric, MetricDatum, PutMetricDataInput } from '../../generated/cloudwatch.ts';
import type { RequestContext } from '../framework/define.ts';
import type { Clock } from '../../state/types.ts';
import { badParameter, invalidCombination, invalidNextToken, invalidValue, missingParameter } from './errors.ts';
import { metricKey, pointKey, sortDims, type Dim, type PointRecord } from './records.ts';
import { scopeOf, storeFor, type Scope } from './store.ts';

const MAX_DATA = 1000;
const MAX_VALUES = 150;
const MAX_DIMENSIONS = 30;
const TWO_WEEKS = 14 * 86_400_000;
const TWO_HOURS = 2 * 3_600_000;

interface Checked {
  name: string;
  dims: Dim[];
  ts: number;
  point: PointRecord;
}

function checkDatum(d: MetricDatum, i: number, now: number): Checked {
  const at = `MetricData.member.${i + 1}`;
  const hasValue = d.Value !== undefined && d.Value !== null;
  const hasValues = d.Values !== undefined;
  const hasStats = d.StatisticValues !== undefined;
  if (hasValue && hasStats) throw invalidCombination(`The parameters ${at}.Value and ${at}.StatisticValues are mutually exclusive and you have specified both.`);
  if (hasValue && hasValues) throw invalidCombination(`The parameters ${at}.Value and ${at}.Values are mutually exclusive and you have specified both.`);
  if (hasValues && hasStats) throw invalidCombination(`The parameters ${at}.Values and ${at}.StatisticValues are mutually exclusive and you have specified both.`);
  if (d.Counts !== undefined && !hasValues) throw invalidCombination(`The parameter ${at}.Counts requires ${at}.Values.`);
  const dims = d.Dimensions ?? [];
  if (dims.length > MAX_DIMENSIONS) throw invalidValue(`The collection ${at}.Dimensions must not have a size greater than ${MAX_DIMENSIONS}.`);
  const names = new Set<string>();
  dims.forEach((dim, j) => {
    if (!dim.Name || dim.Value === undefined || dim.Value === '') throw missingParameter(`The parameter ${at}.Dimensions.member.${j + 1}.${dim.Name ? 'Value' : 'Name'} is required.`);
    if (names.has(dim.Name)) throw invalidCombination(`No metric may have duplicate dimension names: ${dim.Name}.`);
    names.add(dim.Name);
  });
  if (d.StorageResolution !== undefined && d.StorageResolution !== 1 && d.StorageResolution !== 60) throw badParameter(d.StorageResolution, `${at}.StorageResolution`);
  const ts = d.Timestamp !== undefined ? new Date(d.Timestamp as unknown as string | number | Date).getTime() : now;
  if (!Number.isFinite(ts)) throw badParameter(d.Timestamp, `${at}.Timestamp`);
  if (ts < now - TWO_WEEKS) throw invalidValue(`The parameter ${at}.Timestamp must specify a time no more than two weeks in the past.`);
  if (ts > now + TWO_HOURS) throw invalidValue(`The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`);
  const unit = d.Unit ?? 'None';
  const finite = (v: number, p: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > 2 ** 360 || (v !== 0 && Math.abs(v) < 2 ** -260)) throw badParameter(v, p);
    return v;
  };
  let point: PointRecord;
  if (hasStats) {
    const s = d.StatisticValues!;
    for (const k of ['SampleCount', 'Sum', 'Minimum', 'Maximum'] as const) finite(s[k], `${at}.StatisticValues.${k}`);
    if (s.SampleCount <= 0) throw badParameter(s.SampleCount, `${at}.StatisticValues.SampleCount`);
    if (s.Minimum > s.Maximum) throw invalidValue(`The parameter ${at}.StatisticValues.Maximum must be greater than or equal to ${at}.StatisticValues.Minimum.`);
    point = { n: s.SampleCount, sum: s.Sum, min: s.Minimum, max: s.Maximum, unit };
  } else if (hasValues) {
    const values = d.Values!;
    if (values.length > MAX_VALUES) throw invalidValue(`The collection ${at}.Values must not have a size greater than ${MAX_VALUES}.`);
    if (values.length === 0) throw missingParameter(`The parameter ${at}.Values is required.`);
    values.forEach((v, j) => finite(v, `${at}.Values.member.${j + 1}`));
    const counts = d.Counts ?? values.map(() => 1);
    if (counts.length !== values.length) throw invalidCombination(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
    counts.forEach((c, j) => { if (!(c >= 0) || !Number.isFinite(c)) throw badParameter(c, `${at}.Counts.member.${j + 1}`); });
    let n = 0, sum = 0, min = Infinity, max = -Infinity;
    values.forEach((v, j) => {
      const c = counts[j]!;
      if (c === 0) return;
      n += c;
      sum += v * c;
      min = Math.min(min, v);
      max = Math.max(max, v);
    });
    if (n === 0) throw invalidValue(`The parameter ${at}.Counts must contain at least one non-zero count.`);
    point = { n, sum, min, max, values: [...values], counts: [...counts], unit };
  } else {
    if (!hasValue) throw missingParameter(`At least one of the parameters ${at}.Value, ${at}.StatisticValues, or ${at}.Values must be specified.`);
    const v = finite(d.Value!, `${at}.Value`);
    point = { n: 1, sum: v, min: v, max: v, values: [v], unit };
  }
  return { name: d.MetricName, dims, ts, point };
}

/** Collection sizes, before the model's generic checks would word them differently. */
export function checkMetricDataShape(input: Record<string, unknown>): void {
  const data = input.MetricData;
  if (!Array.isArray(data)) return;
  if (data.length > MAX_DATA) throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_DATA}.`);
  data.forEach((d: { Dimensions?: unknown; Values?: unknown }, i) => {
    if (Array.isArray(d?.Dimensions) && d.Dimensions.length > MAX_DIMENSIONS) {
      throw invalidValue(`The collection MetricData.member.${i + 1}.Dimensions must not have a size greater than ${MAX_DIMENSIONS}.`);
    }
    if (Array.isArray(d?.Values) && d.Values.length > MAX_VALUES) {
      throw invalidValue(`The collection MetricData.member.${i + 1}.Values must not have a size greater than ${MAX_VALUES}.`);
    }
  });
}

export function checkNamespace(ns: string): void {
  if (ns.startsWith('AWS/')) throw badParameter(ns, 'Namespace');
}

function store(scope: Scope, ids: { hex(n: number): string }, now: number, ns: string, data: Checked[]): void {
  for (const c of data) {
    const key = metricKey(ns, c.name, c.dims);
    scope.metrics.put(key, { ns, name: c.name, dims: sortDims(c.dims), last: now });
    scope.points.put(pointKey(key, c.ts, ids.hex(6)), c.point);
  }
}

export function PutMetricData(input: PutMetricDataInput, ctx: RequestContext) {
  checkNamespace(input.Namespace);
  const data = input.MetricData ?? [];
  if (data.length > MAX_DATA) throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_DATA}.`);
  if (data.length === 0 && !input.EntityMetricData?.length) throw missingParameter('The parameter MetricData is required.');
  const now = ctx.clock.now();
  const all = [...data, ...(input.EntityMetricData ?? []).flatMap((e) => e.MetricData ?? [])];
  const checked = all.map((d, i) => checkDatum(d, i, now));
  store(scopeOf(ctx), ctx.ids, now, input.Namespace, checked);
  return {};
}

/** A datapoint from another service (Logs metric filters); throws AwsError like PutMetricData. */
export interface InternalPoint {
  MetricName: string;
  Dimensions?: Dim[];
  Timestamp: number;
  Value: number;
  Unit?: string;
}

export function putMetricData(caller: { clock: Clock }, account: string, region: string, namespace: string, points: InternalPoint[]): void {
  const s = storeFor(caller);
  const now = caller.clock.now();
  const checked = points.map((p, i) => checkDatum({
    MetricName: p.MetricName, Dimensions: p.Dimensions, Timestamp: new Date(p.Timestamp), Value: p.Value, Unit: p.Unit as MetricDatum['Unit'],
  }, i, now));
  store(s.scope(account, region), s.ids, now, namespace, checked);
}

const PAGE = 500;
const THREE_HOURS = 3 * 3_600_000;

export function ListMetrics(input: ListMetricsInput, ctx: RequestContext): ListMetricsOutput {
  const scope = scopeOf(ctx);
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') throw badParameter(input.RecentlyActive, 'RecentlyActive');
  const now = ctx.clock.now();
  const found: Metric[] = [];
  const prefix = input.Namespace !== undefined ? `${input.Namespace}\u0001${input.MetricName !== undefined ? `${input.MetricName}\u0001` : ''}` : '';
  for (const [, m] of scope.metrics.entries({ prefix })) {
    if (input.MetricName !== undefined && m.name !== input.MetricName) continue;
    if (input.RecentlyActive && m.last < now - THREE_HOURS) continue;
    if (input.Dimensions && !input.Dimensions.every((f) => m.dims.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)))) continue;
    found.push({ Namespace: m.ns, MetricName: m.name, Dimensions: m.dims });
  }
  let start = 0;
  if (input.NextToken !== undefined) {
    start = Number(Buffer.from(input.NextToken, 'base64url').toString());
    if (!Number.isInteger(start) || start < 0) throw invalidNextToken();
  }
  const page = found.slice(start, start + PAGE);
  return start + PAGE < found.length ? { Metrics: page, NextToken: Buffer.from(String(start + PAGE)).toString('base64url') } : { Metrics: page };
}
