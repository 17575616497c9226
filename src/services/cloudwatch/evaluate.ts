import type { MetricDataQuery } from '../../generated/cloudwatch.ts';
import { AwsError } from '../framework/define.ts';
import { parseRule } from './composite.ts';
import { invokeAlarmFunction, lambdaActionEvent } from './lambda-action.ts';
import { evaluateQueries, metricSeries } from './query.ts';
import type { AlarmRecord, HistoryRecord } from './records.ts';
import type { CloudWatchStore, Scope } from './store.ts';

/**
 * Metric alarms are evaluated at each period boundary of kumo's clock over their last
 * EvaluationPeriods periods; state changes are recorded in history, run actions and
 * re-evaluate composite alarms.
 */

const OPERATORS: Record<string, [(v: number, t: number) => boolean, string]> = {
  GreaterThanOrEqualToThreshold: [(v, t) => v >= t, 'greater than or equal to'],
  GreaterThanThreshold: [(v, t) => v > t, 'greater than'],
  LessThanThreshold: [(v, t) => v < t, 'less than'],
  LessThanOrEqualToThreshold: [(v, t) => v <= t, 'less than or equal to'],
};

export const COMPARISON_OPERATORS = Object.keys(OPERATORS);

function fmt(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

function fmtDate(ts: number): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function periodOf(config: Record<string, unknown>): number {
  if (typeof config.Period === 'number') return config.Period;
  const metrics = (config.Metrics ?? []) as MetricDataQuery[];
  const ret = metrics.find((m) => m.ReturnData !== false) ?? metrics[0];
  return ret?.MetricStat?.Period ?? ret?.Period ?? 60;
}

/** Time, then a sequence number: items written in the same millisecond keep their order. */
function historyKey(store: CloudWatchStore, at: number): string {
  return `${String(at).padStart(16, '0')}\u0001${String(store.nextHistorySeq()).padStart(12, '0')}`;
}

export function recordHistory(store: CloudWatchStore, scope: Scope, item: HistoryRecord): void {
  scope.history.put(historyKey(store, item.at), item);
}

export function alarmArn(scope: Scope, name: string): string {
  return `arn:aws:cloudwatch:${scope.region}:${scope.account}:alarm:${name}`;
}

/** Moves an alarm to `state` (no-op when already there unless forced), with history, actions and composite parents. */
export function transition(store: CloudWatchStore, scope: Scope, alarm: AlarmRecord, state: string, reason: string, reasonData: string | undefined): void {
  const now = store.clock.now();
  const old = alarm.state;
  const updated: AlarmRecord = { ...alarm, state, reason, stateUpdated: now, ...(state !== old ? { stateTransitioned: now } : {}) };
  if (reasonData !== undefined) updated.reasonData = reasonData;
  else delete updated.reasonData;
  scope.alarms.put(alarm.name, updated);
  if (state === old) return;
  recordHistory(store, scope, {
    alarm: alarm.name, type: alarm.type, itemType: 'StateUpdate', at: now,
    summary: `Alarm updated from ${old} to ${state}`,
    data: JSON.stringify({
      version: '1.0',
      oldState: { stateValue: old, stateReason: alarm.reason },
      newState: { stateValue: state, stateReason: reason, ...(reasonData ? { stateReasonData: JSON.parse(reasonData) } : {}) },
    }),
  });
  if (updated.actionsEnabled) runActions(store, scope, updated, alarm);
  for (const [, other] of [...scope.alarms.entries()]) {
    if (other.type === 'CompositeAlarm' && parseRule(String(other.config.AlarmRule)).refs.includes(alarm.name)) evaluateComposite(store, scope, other);
  }
}

type Publish = (caller: { clock: CloudWatchStore['clock']; account?: string }, arn: string, req: { Message: string; Subject?: string }) => unknown;

function awsTime(ts: number): string {
  return new Date(ts).toISOString().replace('Z', '+0000');
}

/** The JSON AWS publishes to SNS when an alarm changes state. */
function notification(scope: Scope, alarm: AlarmRecord, old: string): string {
  const c = alarm.config;
  const body: Record<string, unknown> = {
    AlarmName: alarm.name,
    AlarmDescription: c.AlarmDescription ?? null,
    AWSAccountId: scope.account,
    AlarmConfigurationUpdatedTimestamp: awsTime(alarm.configUpdated),
    NewStateValue: alarm.state,
    NewStateReason: alarm.reason,
    StateChangeTime: awsTime(alarm.stateUpdated),
    Region: scope.region,
    AlarmArn: alarmArn(scope, alarm.name),
    OldStateValue: old,
    OKActions: c.OKActions ?? [],
    AlarmActions: c.AlarmActions ?? [],
    InsufficientDataActions: c.InsufficientDataActions ?? [],
  };
  if (alarm.type === 'CompositeAlarm') body.AlarmRule = c.AlarmRule;
  else if (c.Metrics) body.Trigger = { Metrics: c.Metrics, Period: periodOf(c), EvaluationPeriods: c.EvaluationPeriods, ComparisonOperator: c.ComparisonOperator, Threshold: c.Threshold, TreatMissingData: c.TreatMissingData ?? 'missing' };
  else {
    body.Trigger = {
      MetricName: c.MetricName, Namespace: c.Namespace, StatisticType: c.Statistic ? 'Statistic' : 'ExtendedStatistic',
      Statistic: c.Statistic ? String(c.Statistic).toUpperCase() : c.ExtendedStatistic, Unit: c.Unit ?? null,
      Dimensions: ((c.Dimensions ?? []) as Array<{ Name: string; Value: string }>).map((d) => ({ value: d.Value, name: d.Name })),
      Period: c.Period, EvaluationPeriods: c.EvaluationPeriods, ComparisonOperator: c.ComparisonOperator, Threshold: c.Threshold,
      TreatMissingData: c.TreatMissingData ?? 'missing', EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile ?? '',
    };
  }
  return JSON.stringify(body);
}

/**
 * SNS actions publish through the sns internal API and Lambda actions invoke asynchronously
 * (lambda-action.ts); other targets (Auto Scaling, EC2, SSM) have none, so the attempt is
 * recorded as failed.
 */
function runActions(store: CloudWatchStore, scope: Scope, alarm: AlarmRecord, previous: AlarmRecord): void {
  const key = alarm.state === 'ALARM' ? 'AlarmActions' : alarm.state === 'OK' ? 'OKActions' : 'InsufficientDataActions';
  const actions = (alarm.config[key] ?? []) as string[];
  for (const arn of actions) {
    const service = /^arn:[^:]+:([^:]+):/.exec(arn)?.[1] ?? 'unknown';
    if (service === 'lambda') {
      const event = lambdaActionEvent(store, scope, alarmArn(scope, alarm.name), alarm, previous);
      void invokeAlarmFunction(store, arn, event).then((error) => recordAction(store, scope, alarm, arn, error));
      continue;
    }
    const publish = service === 'sns' ? store.services.sns?.publish as Publish | undefined : undefined;
    let error: string | undefined;
    if (!publish) error = service === 'sns' ? 'SNS is not enabled in this kumo' : `kumo does not deliver alarm actions to ${service}`;
    else {
      try {
        const subject = `${alarm.state}: "${alarm.name}" in ${scope.region}`;
        publish({ clock: store.clock, account: scope.account }, arn, {
          Message: notification(scope, alarm, previous.state), Subject: subject.length > 100 ? `${subject.slice(0, 97)}...` : subject,
        });
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    recordAction(store, scope, alarm, arn, error);
  }
}

function recordAction(store: CloudWatchStore, scope: Scope, alarm: AlarmRecord, arn: string, error: string | undefined): void {
  recordHistory(store, scope, {
    alarm: alarm.name, type: alarm.type, itemType: 'Action', at: store.clock.now(),
    summary: error === undefined ? `Successfully executed action ${arn}` : `Failed to execute action ${arn}. Received error: "${error}"`,
    data: JSON.stringify({
      actionState: error === undefined ? 'Succeeded' : 'Failed', stateUpdateTimestamp: alarm.stateUpdated, notificationResource: arn,
      ...(error !== undefined ? { error } : {}),
    }),
  });
}

export function evaluateComposite(store: CloudWatchStore, scope: Scope, alarm: AlarmRecord): void {
  const rule = parseRule(String(alarm.config.AlarmRule));
  const hit = rule.evaluate((name) => scope.alarms.get(name)?.state);
  const state = hit ? 'ALARM' : 'OK';
  if (state === alarm.state) return;
  const triggering = rule.refs.filter((r) => scope.alarms.get(r)?.state === 'ALARM').map((r) => alarmArn(scope, r));
  const reason = hit
    ? `${triggering.length ? triggering.join(', ') : 'Rule'} ${triggering.length ? 'transitioned to ALARM' : 'evaluated to TRUE'} at ${new Date(store.clock.now()).toISOString()}`
    : `Alarm rule evaluated to FALSE at ${new Date(store.clock.now()).toISOString()}`;
  transition(store, scope, alarm, state, reason, undefined);
}

/** One evaluation of a metric alarm at `now`. */
export function evaluateMetricAlarm(store: CloudWatchStore, scope: Scope, alarm: AlarmRecord): void {
  const c = alarm.config;
  const period = periodOf(c) * 1000;
  const n = Number(c.EvaluationPeriods);
  const m = Number(c.DatapointsToAlarm ?? n);
  const end = Math.floor(store.clock.now() / period) * period;
  const start = end - n * period;
  let points: Map<number, number>;
  try {
    if (c.Metrics) {
      const queries = c.Metrics as MetricDataQuery[];
      const evaluated = evaluateQueries(scope, queries, start, end, 'Metrics');
      points = (evaluated.find((e) => e.q.ReturnData !== false) ?? evaluated[0]!).series.points;
    } else {
      const stat = String(c.Statistic ?? c.ExtendedStatistic);
      points = metricSeries(scope, { Namespace: c.Namespace as string, MetricName: c.MetricName as string, Dimensions: c.Dimensions as never },
        periodOf(c), stat, c.Unit as string | undefined, start, end).points;
    }
  } catch (e) {
    if (e instanceof AwsError) return;
    throw e;
  }
  const [compare, words] = OPERATORS[String(c.ComparisonOperator)]!;
  const threshold = Number(c.Threshold);
  const treat = String(c.TreatMissingData ?? 'missing');
  const slots: Array<{ ts: number; v: number | undefined }> = [];
  for (let ts = start; ts < end; ts += period) slots.push({ ts, v: points.get(ts) });
  const present = slots.filter((s) => s.v !== undefined);
  let breaching = present.filter((s) => compare(s.v!, threshold)).length;
  const missing = slots.length - present.length;
  if (treat === 'breaching') breaching += missing;
  const recent = [...present].reverse().map((s) => `${fmt(s.v!)} (${fmtDate(s.ts)})`);
  const reasonData = JSON.stringify({
    version: '1.0', queryDate: new Date(store.clock.now()).toISOString(), startDate: new Date(start).toISOString(),
    statistic: c.Statistic ?? c.ExtendedStatistic, period: period / 1000, recentDatapoints: [...present].map((s) => s.v), threshold,
    evaluatedDatapoints: [...slots].reverse().map((s) => ({ timestamp: new Date(s.ts).toISOString(), ...(s.v !== undefined ? { value: s.v } : {}) })),
  });
  let state: string;
  let reason: string;
  if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
    if (treat === 'ignore') return;
    state = 'INSUFFICIENT_DATA';
    reason = `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`;
  } else if (breaching >= m) {
    state = 'ALARM';
    reason = n === 1
      ? `Threshold Crossed: 1 datapoint [${recent.join(', ')}] was ${words} the threshold (${fmt(threshold)}).`
      : `Threshold Crossed: ${breaching} out of the last ${n} datapoints [${recent.join(', ')}] ${breaching === 1 ? 'was' : 'were'} ${words} the threshold (${fmt(threshold)}) (minimum ${m} datapoint${m === 1 ? '' : 's'} for OK -> ALARM transition).`;
  } else {
    state = 'OK';
    reason = n === 1
      ? `Threshold Crossed: 1 datapoint [${recent.join(', ') || 'none'}] was not ${words} the threshold (${fmt(threshold)}).`
      : `Threshold Crossed: no more than ${m - 1} of the last ${n} datapoints were ${words} the threshold (${fmt(threshold)}) (minimum ${m} datapoint${m === 1 ? '' : 's'} for ALARM -> OK transition).`;
  }
  if (state !== alarm.state) transition(store, scope, alarm, state, reason, reasonData);
}

/** Schedules the alarm's next evaluation at its next period boundary. */
export function schedule(store: CloudWatchStore, scope: Scope, name: string): void {
  const id = `${scope.account}/${scope.region}/${name}`;
  store.cancel(id);
  const alarm = scope.alarms.get(name);
  if (!alarm || alarm.type !== 'MetricAlarm') return;
  const period = periodOf(alarm.config) * 1000;
  const now = store.clock.now();
  const next = (Math.floor(now / period) + 1) * period;
  store.timers.set(id, store.scheduler.at(next, () => {
    store.timers.delete(id);
    const current = scope.alarms.get(name);
    if (!current) return;
    evaluateMetricAlarm(store, scope, current);
    schedule(store, scope, name);
  }));
}

export function scheduleAll(store: CloudWatchStore): void {
  for (const [account, region] of store.alarmScopes()) {
    const scope = store.scope(account, region);
    for (const [name, a] of scope.alarms.entries()) if (a.type === 'MetricAlarm') schedule(store, scope, name);
  }
}
