/** What CloudWatch keeps in its tables. Keys are scoped by `account/region/`. */

export const METRICS = 'metrics';
export const POINTS = 'points';
export const ALARMS = 'alarms';
export const HISTORY = 'history';
export const DASHBOARDS = 'dashboards';

export interface Dim {
  Name: string;
  Value: string;
}

/** Keyed by metricKey(): one per namespace, name and dimension set. */
export interface MetricRecord {
  ns: string;
  name: string;
  dims: Dim[];
  /** When data was last put (ListMetrics RecentlyActive). */
  last: number;
}

/** One PutMetricData datum, keyed by `<metricKey>\u0001<timestamp>\u0001<id>`. */
export interface PointRecord {
  n: number;
  sum: number;
  min: number;
  max: number;
  /** Individual values (with counts) when known: percentiles need them. */
  values?: number[];
  counts?: number[];
  unit: string;
}

export interface AlarmRecord {
  name: string;
  type: 'MetricAlarm' | 'CompositeAlarm';
  /** The PutMetricAlarm / PutCompositeAlarm input, timestamps dropped. */
  config: Record<string, unknown>;
  state: string;
  reason: string;
  reasonData?: string;
  stateUpdated: number;
  stateTransitioned: number;
  configUpdated: number;
  actionsEnabled: boolean;
  tags: Record<string, string>;
}

/** Keyed by `<timestamp>\u0001<id>`. */
export interface HistoryRecord {
  alarm: string;
  type: 'MetricAlarm' | 'CompositeAlarm';
  itemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  data: string;
  at: number;
}

export interface DashboardRecord {
  name: string;
  body: string;
  modified: number;
  tags: Record<string, string>;
}

const SEP = '\u0001';

export function sortDims(dims: Dim[] | undefined): Dim[] {
  return [...(dims ?? [])].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

export function metricKey(ns: string, name: string, dims: Dim[] | undefined): string {
  return [ns, name, ...sortDims(dims).map((d) => `${d.Name}=${d.Value}`)].join(SEP) + SEP + SEP;
}

export function pointKey(metric: string, ts: number, id: string): string {
  return `${metric}${String(ts).padStart(16, '0')}${SEP}${id}`;
}

export function pointTime(key: string, metric: string): number {
  return Number(key.slice(metric.length, metric.length + 16));
}
