import type { RequestContext } from '../framework/define.ts';
import { compiled } from './filters.ts';
import type { Scope } from './store.ts';

/** Ingested events reach metric filters here: matches become CloudWatch datapoints when CloudWatch is loaded. */

export interface Ingested {
  timestamp: number;
  message: string;
  seq: number;
}

/** One datapoint as CloudWatch's internal `putMetricData` takes it. */
export interface MetricPoint {
  MetricName: string;
  Dimensions?: Array<{ Name: string; Value: string }>;
  Timestamp: number;
  Value: number;
  Unit?: string;
}

type PutMetricData = (caller: Pick<RequestContext, 'clock'>, account: string, region: string, namespace: string, points: MetricPoint[]) => void;

export function feedMetricFilters(caller: Pick<RequestContext, 'clock' | 'services'>, scope: Scope, group: string, events: Ingested[]): void {
  const put = caller.services.cloudwatch?.putMetricData as PutMetricData | undefined;
  if (!put || events.length === 0) return;
  for (const [, f] of scope.metricFilters.entries({ prefix: `${group}:` })) {
    const pattern = compiled(f.pattern);
    for (const t of f.transformations) {
      const points: MetricPoint[] = [];
      for (const e of events) {
        const m = pattern.match(e.message);
        if (!m) continue;
        const value = /^\$/.test(t.metricValue) ? Number(m.value(t.metricValue)) : Number(t.metricValue);
        if (!Number.isFinite(value)) continue;
        const point: MetricPoint = { MetricName: t.metricName, Timestamp: e.timestamp, Value: value };
        if (t.unit) point.Unit = t.unit;
        if (t.dimensions) {
          const dims = Object.entries(t.dimensions).map(([Name, ref]) => ({ Name, Value: String(m.value(ref) ?? '') }));
          // AWS drops a datapoint whose dimension field is missing from the event.
          if (dims.some((d) => d.Value === '')) continue;
          point.Dimensions = dims;
        }
        points.push(point);
      }
      if (points.length === 0 && t.defaultValue !== undefined) {
        points.push({ MetricName: t.metricName, Timestamp: events[events.length - 1]!.timestamp, Value: t.defaultValue, ...(t.unit ? { Unit: t.unit } : {}) });
      }
      if (points.length) put(caller, scope.account, scope.region, t.metricNamespace, points);
    }
  }
}
