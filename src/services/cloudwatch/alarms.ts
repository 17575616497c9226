import type {
  AlarmHistoryItem, CompositeAlarm, DeleteAlarmsInput, DescribeAlarmHistoryInput, DescribeAlarmHistoryOutput, DescribeAlarmsForMetricInput,
  DescribeAlarmsInput, DescribeAlarmsOutput, DisableAlarmActionsInput, EnableAlarmActionsInput, MetricAlarm, PutCompositeAlarmInput,
  PutMetricAlarmInput, SetAlarmStateInput, Tag,
} from '../../generated/cloudwatch.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { parseRule, RuleError } from './composite.ts';
import { badParameter, invalidCombination, invalidNextToken, invalidValue, limitExceeded, missingParameter, notFound } from './errors.ts';
import { alarmArn, COMPARISON_OPERATORS, evaluateComposite, recordHistory, schedule, transition } from './evaluate.ts';
import { checkPeriod, evaluateQueries } from './query.ts';
import { sortDims, type AlarmRecord } from './records.ts';
import { checkStatistic } from './statistics.ts';
import { scopeOf, storeFor, type Scope } from './store.ts';

const TREATMENTS = ['missing', 'notBreaching', 'breaching', 'ignore'];
const MAX_ACTIONS = 5;

export function tagsToMap(tags: Tag[] | undefined, existing: Record<string, string> = {}): Record<string, string> {
  const out = { ...existing };
  for (const t of tags ?? []) out[t.Key] = t.Value;
  if (Object.keys(out).length > 50) throw limitExceeded('A resource can have no more than 50 tags.');
  return out;
}

function checkActions(input: { AlarmActions?: string[]; OKActions?: string[]; InsufficientDataActions?: string[] }): void {
  for (const key of ['AlarmActions', 'OKActions', 'InsufficientDataActions'] as const) {
    const list = input[key] ?? [];
    if (list.length > MAX_ACTIONS) throw invalidValue(`The collection ${key} must not have a size greater than ${MAX_ACTIONS}.`);
    list.forEach((a, i) => { if (!/^arn:[^:]+:[^:]+:/.test(a)) throw badParameter(a, `${key}.member.${i + 1}`); });
  }
}

function save(ctx: RequestContext, scope: Scope, name: string, type: AlarmRecord['type'], config: Record<string, unknown>, tags: Tag[] | undefined): AlarmRecord {
  const now = ctx.clock.now();
  const existing = scope.alarms.get(name);
  if (existing && existing.type !== type) throw invalidValue(`The alarm ${name} already exists as a ${existing.type}.`);
  const rec: AlarmRecord = existing
    ? { ...existing, config, configUpdated: now, actionsEnabled: config.ActionsEnabled !== false, tags: tagsToMap(tags, existing.tags) }
    : {
      name, type, config, state: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', stateUpdated: now, stateTransitioned: now,
      configUpdated: now, actionsEnabled: config.ActionsEnabled !== false, tags: tagsToMap(tags),
    };
  scope.alarms.put(name, rec);
  recordHistory(storeFor(ctx), scope, {
    alarm: name, type, itemType: 'ConfigurationUpdate', at: now,
    summary: `Alarm "${name}" ${existing ? 'updated' : 'created'}`,
    data: JSON.stringify({ version: '1.0', type: existing ? 'Update' : 'Create', [existing ? 'updatedAlarm' : 'createdAlarm']: config }),
  });
  return rec;
}

export function PutMetricAlarm(input: PutMetricAlarmInput, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const single = input.MetricName !== undefined || input.Namespace !== undefined;
  if (single && input.Metrics) throw invalidCombination('The parameters MetricName and Metrics are mutually exclusive and you have specified both.');
  if (!single && !input.Metrics) throw missingParameter('Either MetricName and Namespace, or Metrics, must be specified.');
  if (input.EvaluationPeriods === undefined) throw missingParameter('The parameter EvaluationPeriods is required.');
  if (input.ComparisonOperator === undefined) throw missingParameter('The parameter ComparisonOperator is required.');
  if (!COMPARISON_OPERATORS.includes(input.ComparisonOperator)) {
    throw invalidValue(`The value ${input.ComparisonOperator} for parameter ComparisonOperator is not supported by kumo (anomaly detection bands are not implemented).`);
  }
  if (input.Threshold === undefined) throw missingParameter('The parameter Threshold is required.');
  if (input.EvaluationPeriods < 1) throw badParameter(input.EvaluationPeriods, 'EvaluationPeriods');
  if (input.DatapointsToAlarm !== undefined && (input.DatapointsToAlarm < 1 || input.DatapointsToAlarm > input.EvaluationPeriods)) {
    throw invalidValue('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  }
  if (input.TreatMissingData !== undefined && !TREATMENTS.includes(input.TreatMissingData)) {
    throw invalidValue(`The value ${input.TreatMissingData} is not supported for TreatMissingData. Supported values are: ${TREATMENTS.join(', ')}.`);
  }
  checkActions(input);
  if (single) {
    if (input.MetricName === undefined) throw missingParameter('The parameter MetricName is required.');
    if (input.Namespace === undefined) throw missingParameter('The parameter Namespace is required.');
    if (input.Period === undefined) throw missingParameter('The parameter Period is required.');
    checkPeriod(input.Period, 'Period');
    if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
      throw invalidCombination('Exactly one of the parameters Statistic and ExtendedStatistic must be specified.');
    }
    checkStatistic(input.Statistic ?? input.ExtendedStatistic!, input.Statistic ? 'Statistic' : 'ExtendedStatistic');
    if (input.Period * input.EvaluationPeriods > 7 * 86_400) throw invalidValue('The evaluation period of the alarm (Period * EvaluationPeriods) must not exceed one week.');
  } else {
    const returning = input.Metrics!.filter((q) => q.ReturnData !== false);
    if (returning.length !== 1) throw invalidValue('Exactly one element of the Metrics array must have ReturnData set to true.');
    evaluateQueries(scope, input.Metrics!, 0, 1, 'Metrics');
  }
  const { Tags, ...config } = input;
  const rec = save(ctx, scope, input.AlarmName, 'MetricAlarm', { ...config, Dimensions: single ? sortDims(input.Dimensions) : undefined } as Record<string, unknown>, Tags);
  schedule(storeFor(ctx), scope, rec.name);
  return {};
}

export function PutCompositeAlarm(input: PutCompositeAlarmInput, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  let rule;
  try {
    rule = parseRule(input.AlarmRule);
  } catch (e) {
    if (e instanceof RuleError) throw invalidValue(`Error in alarm rule: ${e.message}`);
    throw e;
  }
  for (const ref of rule.refs) {
    if (ref === input.AlarmName) throw invalidValue('A composite alarm cannot refer to itself in its AlarmRule.');
    if (!scope.alarms.has(ref)) throw invalidValue(`Error in alarm rule: the alarm ${ref} does not exist.`);
  }
  checkActions(input);
  const { Tags, ...config } = input;
  const rec = save(ctx, scope, input.AlarmName, 'CompositeAlarm', config as Record<string, unknown>, Tags);
  evaluateComposite(storeFor(ctx), scope, rec);
  return {};
}

function describeMetricAlarm(scope: Scope, a: AlarmRecord): MetricAlarm {
  const c = a.config;
  const out: MetricAlarm = {
    ...(c as MetricAlarm),
    AlarmArn: alarmArn(scope, a.name),
    AlarmConfigurationUpdatedTimestamp: new Date(a.configUpdated),
    ActionsEnabled: a.actionsEnabled,
    AlarmActions: (c.AlarmActions as string[]) ?? [],
    OKActions: (c.OKActions as string[]) ?? [],
    InsufficientDataActions: (c.InsufficientDataActions as string[]) ?? [],
    StateValue: a.state as MetricAlarm['StateValue'],
    StateReason: a.reason,
    StateUpdatedTimestamp: new Date(a.stateUpdated),
    StateTransitionedTimestamp: new Date(a.stateTransitioned),
  };
  if (!c.Metrics) out.Dimensions = (c.Dimensions as MetricAlarm['Dimensions']) ?? [];
  if (a.reasonData !== undefined) out.StateReasonData = a.reasonData;
  return out;
}

function describeComposite(scope: Scope, a: AlarmRecord): CompositeAlarm {
  const c = a.config;
  const out: CompositeAlarm = {
    ...(c as CompositeAlarm),
    AlarmArn: alarmArn(scope, a.name),
    AlarmConfigurationUpdatedTimestamp: new Date(a.configUpdated),
    ActionsEnabled: a.actionsEnabled,
    AlarmActions: (c.AlarmActions as string[]) ?? [],
    OKActions: (c.OKActions as string[]) ?? [],
    InsufficientDataActions: (c.InsufficientDataActions as string[]) ?? [],
    StateValue: a.state as CompositeAlarm['StateValue'],
    StateReason: a.reason,
    StateUpdatedTimestamp: new Date(a.stateUpdated),
    StateTransitionedTimestamp: new Date(a.stateTransitioned),
  };
  if (a.reasonData !== undefined) out.StateReasonData = a.reasonData;
  return out;
}

function pageOf<T>(items: T[], max: number | undefined, token: string | undefined): { items: T[]; next?: string } {
  const n = max ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > 100) throw badParameter(max, 'MaxRecords');
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64url').toString());
    if (!Number.isInteger(start) || start < 0) throw invalidNextToken();
  }
  const items2 = items.slice(start, start + n);
  return start + n < items.length ? { items: items2, next: Buffer.from(String(start + n)).toString('base64url') } : { items: items2 };
}

export function DescribeAlarms(input: DescribeAlarmsInput, ctx: RequestContext): DescribeAlarmsOutput {
  const scope = scopeOf(ctx);
  if (input.AlarmNames && input.AlarmNamePrefix !== undefined) throw invalidCombination('AlarmNames and AlarmNamePrefix are mutually exclusive.');
  if (input.ChildrenOfAlarmName !== undefined && input.ParentsOfAlarmName !== undefined) {
    throw invalidCombination('ChildrenOfAlarmName and ParentsOfAlarmName are mutually exclusive.');
  }
  const types = input.AlarmTypes ?? (input.ChildrenOfAlarmName || input.ParentsOfAlarmName ? ['MetricAlarm', 'CompositeAlarm'] : ['MetricAlarm']);
  let children: string[] | undefined;
  if (input.ChildrenOfAlarmName !== undefined) {
    const parent = scope.alarms.get(input.ChildrenOfAlarmName);
    children = parent?.type === 'CompositeAlarm' ? parseRule(String(parent.config.AlarmRule)).refs : [];
  }
  const all = [...scope.alarms.entries({ prefix: input.AlarmNamePrefix ?? '' })].map(([, a]) => a).filter((a) => {
    if (!types.includes(a.type)) return false;
    if (input.AlarmNames && !input.AlarmNames.includes(a.name)) return false;
    if (input.StateValue !== undefined && a.state !== input.StateValue) return false;
    if (input.ActionPrefix !== undefined && !((a.config.AlarmActions ?? []) as string[]).some((x) => x.startsWith(input.ActionPrefix!))) return false;
    if (children && !children.includes(a.name)) return false;
    if (input.ParentsOfAlarmName !== undefined) {
      if (a.type !== 'CompositeAlarm' || !parseRule(String(a.config.AlarmRule)).refs.includes(input.ParentsOfAlarmName)) return false;
    }
    return true;
  });
  const p = pageOf(all, input.MaxRecords, input.NextToken);
  const out: DescribeAlarmsOutput = {
    MetricAlarms: p.items.filter((a) => a.type === 'MetricAlarm').map((a) => describeMetricAlarm(scope, a)),
    CompositeAlarms: p.items.filter((a) => a.type === 'CompositeAlarm').map((a) => describeComposite(scope, a)),
  };
  if (p.next) out.NextToken = p.next;
  return out;
}

export function DescribeAlarmsForMetric(input: DescribeAlarmsForMetricInput, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const dims = JSON.stringify(sortDims(input.Dimensions));
  const MetricAlarms = [...scope.alarms.entries()].map(([, a]) => a).filter((a) => {
    const c = a.config;
    if (a.type !== 'MetricAlarm' || c.Namespace !== input.Namespace || c.MetricName !== input.MetricName) return false;
    if (input.Dimensions !== undefined && JSON.stringify(c.Dimensions ?? []) !== dims) return false;
    if (input.Statistic !== undefined && c.Statistic !== input.Statistic) return false;
    if (input.ExtendedStatistic !== undefined && c.ExtendedStatistic !== input.ExtendedStatistic) return false;
    if (input.Period !== undefined && c.Period !== input.Period) return false;
    if (input.Unit !== undefined && c.Unit !== input.Unit) return false;
    return true;
  }).map((a) => describeMetricAlarm(scope, a));
  return { MetricAlarms };
}

export function DeleteAlarms(input: DeleteAlarmsInput, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const store = storeFor(ctx);
  const missing = input.AlarmNames.filter((n) => !scope.alarms.has(n));
  if (missing.length) throw notFound(`${missing.length} alarm${missing.length === 1 ? '' : 's'} not found: [${missing.join(', ')}]`);
  for (const name of input.AlarmNames) {
    for (const [, other] of scope.alarms.entries()) {
      if (other.type === 'CompositeAlarm' && !input.AlarmNames.includes(other.name) && parseRule(String(other.config.AlarmRule)).refs.includes(name)) {
        throw invalidValue(`The alarm ${name} is referenced by the composite alarm ${other.name} and cannot be deleted.`);
      }
    }
  }
  for (const name of input.AlarmNames) {
    const a = scope.alarms.get(name)!;
    scope.alarms.delete(name);
    store.cancel(`${scope.account}/${scope.region}/${name}`);
    recordHistory(store, scope, {
      alarm: name, type: a.type, itemType: 'ConfigurationUpdate', at: ctx.clock.now(), summary: `Alarm "${name}" deleted`,
      data: JSON.stringify({ version: '1.0', type: 'Delete', deletedAlarm: a.config }),
    });
  }
  return {};
}

export function SetAlarmState(input: SetAlarmStateInput, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const a = scope.alarms.get(input.AlarmName);
  if (!a) throw notFound(`Alarm ${input.AlarmName} not found`);
  if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(input.StateValue)) throw badParameter(input.StateValue, 'StateValue');
  if (input.StateReasonData !== undefined) {
    try {
      JSON.parse(input.StateReasonData);
    } catch {
      throw new AwsError('InvalidFormatFault', 'The StateReasonData is not a valid JSON document.');
    }
  }
  const store = storeFor(ctx);
  if (a.state === input.StateValue) {
    scope.alarms.put(a.name, { ...a, reason: input.StateReason, stateUpdated: ctx.clock.now(), ...(input.StateReasonData ? { reasonData: input.StateReasonData } : {}) });
    return {};
  }
  transition(store, scope, a, input.StateValue, input.StateReason, input.StateReasonData);
  return {};
}

function setActions(names: string[], enabled: boolean, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  for (const n of names) {
    const a = scope.alarms.get(n);
    if (a) scope.alarms.put(n, { ...a, actionsEnabled: enabled, config: { ...a.config, ActionsEnabled: enabled } });
  }
  return {};
}

export function EnableAlarmActions(input: EnableAlarmActionsInput, ctx: RequestContext) {
  return setActions(input.AlarmNames, true, ctx);
}

export function DisableAlarmActions(input: DisableAlarmActionsInput, ctx: RequestContext) {
  return setActions(input.AlarmNames, false, ctx);
}

export function DescribeAlarmHistory(input: DescribeAlarmHistoryInput, ctx: RequestContext): DescribeAlarmHistoryOutput {
  const scope = scopeOf(ctx);
  const from = input.StartDate !== undefined ? new Date(input.StartDate).getTime() : -Infinity;
  const to = input.EndDate !== undefined ? new Date(input.EndDate).getTime() : Infinity;
  const types = input.AlarmTypes ?? ['MetricAlarm', 'CompositeAlarm'];
  const ascending = input.ScanBy === 'TimestampAscending';
  const items: AlarmHistoryItem[] = [...scope.history.entries({ reverse: !ascending })].map(([, h]) => h)
    .filter((h) => (input.AlarmName === undefined || h.alarm === input.AlarmName) && types.includes(h.type)
      && (input.HistoryItemType === undefined || h.itemType === input.HistoryItemType) && h.at >= from && h.at <= to)
    .map((h) => ({ AlarmName: h.alarm, AlarmType: h.type, Timestamp: new Date(h.at), HistoryItemType: h.itemType, HistorySummary: h.summary, HistoryData: h.data }));
  const p = pageOf(items, input.MaxRecords, input.NextToken);
  return p.next ? { AlarmHistoryItems: p.items, NextToken: p.next } : { AlarmHistoryItems: p.items };
}
