/**
 * Alarm actions that name a Lambda function: the event AWS sends (source `aws.cloudwatch`, the
 * alarm's new and previous state and its configuration), invoked asynchronously through the
 * lambda service's internal API so that Lambda's own retries and destinations apply.
 */
import type { MetricDataQuery } from '../../generated/cloudwatch.ts';
import type { AlarmRecord } from './records.ts';
import type { CloudWatchStore, Scope } from './store.ts';

type InvokeAsync = (caller: unknown, functionArn: string, payload: string) => Promise<void>;

function awsTime(ts: number): string {
  return new Date(ts).toISOString().replace('Z', '+0000');
}

function state(a: AlarmRecord, timestamp: number): Record<string, unknown> {
  return { value: a.state, reason: a.reason, ...(a.reasonData !== undefined ? { reasonData: a.reasonData } : {}), timestamp: awsTime(timestamp) };
}

function dimensions(list: unknown): Record<string, string> {
  return Object.fromEntries(((list ?? []) as Array<{ Name: string; Value: string }>).map((d) => [d.Name, d.Value]));
}

function metricStat(metric: { Namespace?: string; MetricName?: string; Dimensions?: unknown }, period: unknown, stat: unknown, unit: unknown) {
  return {
    metric: { namespace: metric.Namespace, name: metric.MetricName, dimensions: dimensions(metric.Dimensions) },
    period, stat, ...(unit !== undefined ? { unit } : {}),
  };
}

function configuration(store: CloudWatchStore, a: AlarmRecord): Record<string, unknown> {
  const c = a.config;
  const description = c.AlarmDescription !== undefined ? { description: c.AlarmDescription } : {};
  if (a.type === 'CompositeAlarm') {
    return {
      alarmRule: c.AlarmRule,
      ...(c.ActionsSuppressor !== undefined ? {
        actionsSuppressor: c.ActionsSuppressor,
        actionsSuppressorWaitPeriod: c.ActionsSuppressorWaitPeriod,
        actionsSuppressorExtensionPeriod: c.ActionsSuppressorExtensionPeriod,
      } : {}),
      ...description,
    };
  }
  if (c.Metrics) {
    const metrics = (c.Metrics as MetricDataQuery[]).map((q) => {
      const out: Record<string, unknown> = { id: q.Id };
      if (q.MetricStat) out.metricStat = metricStat(q.MetricStat.Metric ?? {}, q.MetricStat.Period, q.MetricStat.Stat, q.MetricStat.Unit);
      if (q.Expression !== undefined) out.expression = q.Expression;
      if (q.Label !== undefined) out.label = q.Label;
      out.returnData = q.ReturnData !== false;
      return out;
    });
    return { ...description, metrics };
  }
  const stat = c.Statistic ?? c.ExtendedStatistic;
  return { ...description, metrics: [{ id: store.ids.uuid(), metricStat: metricStat(c as never, c.Period, stat, c.Unit), returnData: true }] };
}

/** The event a Lambda alarm action receives after `previous` became `alarm`. */
export function lambdaActionEvent(store: CloudWatchStore, scope: Scope, alarmArn: string, alarm: AlarmRecord, previous: AlarmRecord): string {
  return JSON.stringify({
    source: 'aws.cloudwatch',
    alarmArn,
    accountId: scope.account,
    time: awsTime(alarm.stateUpdated),
    region: scope.region,
    alarmData: {
      alarmName: alarm.name,
      state: state(alarm, alarm.stateUpdated),
      previousState: state(previous, previous.stateUpdated),
      configuration: configuration(store, alarm),
    },
  });
}

/** Queues the invocation; resolves to the error message when Lambda refused it (no such function, Lambda not enabled). */
export async function invokeAlarmFunction(store: CloudWatchStore, functionArn: string, event: string): Promise<string | undefined> {
  const invoke = store.services.lambda?.invokeAsync as InvokeAsync | undefined;
  if (!invoke) return 'Lambda is not enabled in this kumo';
  try {
    await invoke(undefined, functionArn, event);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
