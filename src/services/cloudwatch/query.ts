import type {
  Datapoint, GetMetricDataInput, GetMetricDataOutput, GetMetricStatisticsInput, GetMetricStatisticsOutput, Metric, MetricDataQuery,
  MetricDataResult,
} from '../../generated/cloudwatch.ts';
import type { RequestContext } from '../framework/define.ts';
import { badParameter, invalidCombination, invalidNextToken, invalidValue, missingParameter } from './errors.ts';
import { MathError, parseExpression, type Series, type Value } from './math.ts';
import { metricKey } from './records.ts';
import { buckets, checkStatistic, statistic } from './statistics.ts';
import { scopeOf, type Scope } from './store.ts';

const MAX_POINTS = 1440;

export function checkPeriod(period: number, parameter: string): void {
  if (!Number.isInteger(period) || period < 1 || (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 30].includes(period))) {
    throw invalidValue(`The parameter ${parameter} must be a multiple of 60 or equal to 1, 5, 10, 30.`);
  }
}

const time = (d: unknown) => new Date(d as string | number | Date).getTime();

export function GetMetricStatistics(input: GetMetricStatisticsInput, ctx: RequestContext): GetMetricStatisticsOutput {
  const scope = scopeOf(ctx);
  checkPeriod(input.Period, 'Period');
  const stats = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (stats.length === 0 && extended.length === 0) throw missingParameter('Must specify either Statistics or ExtendedStatistics.');
  if (stats.length && extended.length) throw invalidCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
  stats.forEach((s, i) => checkStatistic(s, `Statistics.member.${i + 1}`));
  extended.forEach((s, i) => {
    if (!s.startsWith('p')) throw badParameter(s, `ExtendedStatistics.member.${i + 1}`);
    checkStatistic(s, `ExtendedStatistics.member.${i + 1}`);
  });
  const start = time(input.StartTime), end = time(input.EndTime);
  if (!(start < end)) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  const requested = Math.ceil((end - start) / (input.Period * 1000));
  if (requested > MAX_POINTS) {
    throw invalidCombination(`You have requested up to ${requested} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
  }
  const bs = buckets(scope, metricKey(input.Namespace, input.MetricName, input.Dimensions), start, end, input.Period, input.Unit);
  const Datapoints: Datapoint[] = bs.map((b) => {
    const dp: Datapoint = { Timestamp: new Date(b.start), Unit: b.unit as Datapoint['Unit'] };
    for (const s of stats) (dp as Record<string, unknown>)[s] = statistic(b, s);
    if (extended.length) {
      dp.ExtendedStatistics = {};
      for (const s of extended) {
        const v = statistic(b, s);
        if (v !== undefined) dp.ExtendedStatistics[s] = v;
      }
    }
    return dp;
  });
  return { Label: input.MetricName, Datapoints };
}

/** One metric's statistic per period over [start, end): the series alarms and GetMetricData read. */
export function metricSeries(scope: Scope, metric: Metric, periodSec: number, stat: string, unit: string | undefined, start: number, end: number): Series {
  const bs = buckets(scope, metricKey(metric.Namespace ?? '', metric.MetricName ?? '', metric.Dimensions), start, end, periodSec, unit);
  const points = new Map<number, number>();
  for (const b of bs) {
    const v = statistic(b, stat);
    if (v !== undefined) points.set(b.start, v);
  }
  return { label: metric.MetricName ?? '', period: periodSec, points };
}

export interface EvaluatedQuery {
  q: MetricDataQuery;
  series: Series;
}

/** Evaluates metric-stat queries and math expressions (in dependency order); throws AwsError on bad queries. */
export function evaluateQueries(scope: Scope, queries: MetricDataQuery[], start: number, end: number, at = 'MetricDataQueries'): EvaluatedQuery[] {
  const ids = new Set<string>();
  const results = new Map<string, Series>();
  const parsed = new Map<string, ReturnType<typeof parseExpression>>();
  queries.forEach((q, i) => {
    const p = `${at}.member.${i + 1}`;
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) throw invalidValue(`The value ${q.Id} for parameter ${p}.Id is invalid. It must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(q.Id)) throw invalidValue(`The value ${q.Id} for parameter ${p}.Id is not unique.`);
    ids.add(q.Id);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw invalidCombination(`Exactly one of ${p}.MetricStat and ${p}.Expression must be specified.`);
    }
    if (q.MetricStat) {
      checkPeriod(q.MetricStat.Period, `${p}.MetricStat.Period`);
      checkStatistic(q.MetricStat.Stat, `${p}.MetricStat.Stat`);
    } else {
      try {
        parsed.set(q.Id, parseExpression(q.Expression!));
      } catch (e) {
        if (e instanceof MathError) throw invalidValue(`Error in expression ${q.Id}: ${e.message}`);
        throw e;
      }
    }
  });
  for (const q of queries) {
    if (!q.MetricStat) continue;
    const s = metricSeries(scope, q.MetricStat.Metric, q.MetricStat.Period, q.MetricStat.Stat, q.MetricStat.Unit, start, end);
    results.set(q.Id, { ...s, label: q.Label ?? s.label });
  }
  const stats = [...results.values()];
  const visiting = new Set<string>();
  const evalExpr = (id: string): Series => {
    const done = results.get(id);
    if (done) return done;
    const q = queries.find((x) => x.Id === id);
    const p = parsed.get(id);
    if (!q || !p) throw invalidValue(`Error in expression: Unrecognized metric id ${id}`);
    if (visiting.has(id)) throw invalidValue(`Error in expression ${id}: Circular dependency`);
    visiting.add(id);
    let v: Value;
    try {
      v = p.node({
        series: (ref) => (ids.has(ref) ? evalExpr(ref) : undefined),
        all: () => stats,
        grid: (period) => {
          const step = period * 1000;
          const out: number[] = [];
          for (let t = Math.ceil(start / step) * step; t < end && out.length < 100_800; t += step) out.push(t);
          return out;
        },
      });
    } catch (e) {
      if (e instanceof MathError) throw invalidValue(`Error in expression ${id}: ${e.message}`);
      throw e;
    }
    if (typeof v === 'number' || Array.isArray(v)) {
      if (Array.isArray(v) && v.length === 1) v = v[0]!;
      else throw invalidValue(`Error in expression ${id}: the expression must return a single time series`);
    }
    const series: Series = { ...v as Series, label: q.Label ?? id };
    results.set(id, series);
    return series;
  };
  return queries.map((q) => ({ q, series: q.MetricStat ? results.get(q.Id)! : evalExpr(q.Id) }));
}

export function GetMetricData(input: GetMetricDataInput, ctx: RequestContext): GetMetricDataOutput {
  const scope = scopeOf(ctx);
  const start = time(input.StartTime), end = time(input.EndTime);
  if (!(start < end)) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  if (input.MetricDataQueries.length > 500) throw invalidValue('The collection MetricDataQueries must not have a size greater than 500.');
  const ascending = input.ScanBy === 'TimestampAscending';
  if (input.ScanBy !== undefined && !ascending && input.ScanBy !== 'TimestampDescending') throw badParameter(input.ScanBy, 'ScanBy');
  const evaluated = evaluateQueries(scope, input.MetricDataQueries, start, end).filter((e) => e.q.ReturnData !== false);
  let offsets: number[] = evaluated.map(() => 0);
  if (input.NextToken !== undefined) {
    try {
      offsets = JSON.parse(Buffer.from(input.NextToken, 'base64url').toString()) as number[];
    } catch {
      throw invalidNextToken();
    }
    if (!Array.isArray(offsets) || offsets.length !== evaluated.length || !offsets.every((o) => Number.isInteger(o) && o >= 0)) throw invalidNextToken();
  }
  let budget = input.MaxDatapoints ?? 100_800;
  if (!Number.isInteger(budget) || budget < 1) throw badParameter(input.MaxDatapoints, 'MaxDatapoints');
  let more = false;
  const next = [...offsets];
  const MetricDataResults: MetricDataResult[] = evaluated.map((e, i) => {
    const pts = [...e.series.points].filter(([ts]) => ts >= start && ts < end).sort((a, b) => (ascending ? a[0] - b[0] : b[0] - a[0]));
    const from = offsets[i]!;
    const take = pts.slice(from, from + budget);
    budget -= take.length;
    next[i] = from + take.length;
    const partial = next[i]! < pts.length;
    if (partial) more = true;
    return {
      Id: e.q.Id, Label: e.series.label, StatusCode: partial ? 'PartialData' : 'Complete',
      Timestamps: take.map(([ts]) => new Date(ts)), Values: take.map(([, v]) => v), Messages: [],
    };
  });
  const out: GetMetricDataOutput = { MetricDataResults, Messages: [] };
  if (more) out.NextToken = Buffer.from(JSON.stringify(next)).toString('base64url');
  return out;
}
