/** What CloudWatch Logs keeps in its tables. Keys are scoped by `account/region/`. */

export const GROUPS = 'groups';
export const STREAMS = 'streams';
export const EVENTS = 'events';
export const METRIC_FILTERS = 'metricFilters';
export const SUBSCRIPTIONS = 'subscriptions';
export const POLICIES = 'policies';
export const DESTINATIONS = 'destinations';
export const EXPORTS = 'exports';
export const QUERIES = 'queries';

/** Keyed by log group name. */
export interface GroupRecord {
  name: string;
  created: number;
  cls: string;
  retention?: number;
  kmsKeyId?: string;
  deletionProtection?: boolean;
  tags: Record<string, string>;
  storedBytes: number;
}

/** Keyed by `group:stream` (neither name may contain a colon). */
export interface StreamRecord {
  name: string;
  created: number;
  first?: number;
  last?: number;
  lastIngestion?: number;
  /** Sequence number of the stream's next event: orders events with equal timestamps. */
  seq: number;
}

/** Keyed by `group:stream:<timestamp>:<seq>` (both fixed-width), so a stream's events scan in order. */
export interface EventRecord {
  m: string;
  i: number;
}

export interface MetricTransformationRecord {
  metricName: string;
  metricNamespace: string;
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

/** Keyed by `group:filterName`. */
export interface MetricFilterRecord {
  group: string;
  name: string;
  pattern: string;
  transformations: MetricTransformationRecord[];
  created: number;
}

/** Keyed by `group:filterName`. */
export interface SubscriptionRecord {
  group: string;
  name: string;
  pattern: string;
  destinationArn: string;
  roleArn?: string;
  distribution: string;
  created: number;
}

export interface PolicyRecord {
  name: string;
  document: string;
  updated: number;
}

export interface DestinationRecord {
  name: string;
  targetArn: string;
  roleArn: string;
  accessPolicy?: string;
  created: number;
  tags: Record<string, string>;
}

export interface ExportRecord {
  id: string;
  name?: string;
  group: string;
  streamPrefix?: string;
  from: number;
  to: number;
  destination: string;
  destinationPrefix: string;
  status: string;
  message?: string;
  created: number;
  completed?: number;
}

export interface QueryRecord {
  id: string;
  queryString: string;
  groups: string[];
  status: string;
  created: number;
  results: Array<Array<{ field: string; value: string }>>;
  statistics: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
}

const TS_WIDTH = 16;
const SEQ_WIDTH = 10;

export function eventKey(group: string, stream: string, ts: number, seq: number): string {
  return `${group}:${stream}:${String(ts).padStart(TS_WIDTH, '0')}:${String(seq).padStart(SEQ_WIDTH, '0')}`;
}

/** The `<timestamp>:<seq>` tail of an event key, as numbers. */
export function eventPosition(key: string): { ts: number; seq: number } {
  const seqAt = key.length - SEQ_WIDTH;
  return { ts: Number(key.slice(seqAt - 1 - TS_WIDTH, seqAt - 1)), seq: Number(key.slice(seqAt)) };
}

export function streamKey(group: string, stream: string): string {
  return `${group}:${stream}`;
}

export const DAY_MS = 86_400_000;
