import { allPages, awsJson, awsQuery, elements, kumoGet, scope, text } from './api.ts';
import { dataTable, formatTime, h, pre, section } from './dom.ts';
import { liveRegion } from './live.ts';
import type { ViewContext } from './router.ts';

interface Delivery {
  id: string;
  source: string;
  target: { kind: string; arn?: string; url?: string; body?: string; message?: string; payload?: string };
  status?: string;
  attempts?: number;
  at?: number;
  error?: string;
}

interface Recorded {
  id: string;
  at: string;
  protocol: string;
  endpoint: string;
  topicArn?: string;
  subject?: string;
  message: string;
}

interface DeliveredEvent {
  at: string;
  eventId: string;
  eventBusName: string;
  ruleArn: string;
  targetArn: string;
  input: string;
  status: string;
  error?: string;
}

/** This account and region's ARNs only (the inspection endpoints answer for every scope). */
const inScope = (arn: string | undefined) => !arn || arn.includes(`:${scope.region}:${scope.account}:`);
const nameOf = (arn: string) => arn.slice(Math.max(arn.lastIndexOf(':'), arn.lastIndexOf('/')) + 1);
const preview = (s: string | undefined) => h('details', {}, h('summary', {}, (s ?? '').length > 60 ? s!.slice(0, 60) + '…' : s || '(empty)'), pre(s ?? ''));

export async function eventsView(ctx: ViewContext): Promise<void> {
  const topics = h('div');
  const snsOut = h('div');
  const recorded = h('div');
  const rules = h('div');
  const delivered = h('div');
  ctx.el.append(
    h('h1', {}, 'SNS and EventBridge'),
    section('SNS topics', topics),
    section('SNS deliveries (recent)', snsOut),
    section('SNS messages to recorded endpoints (HTTP, email, SMS…)', recorded),
    section('EventBridge rules', rules),
    section('EventBridge deliveries (recent)', delivered),
  );
  await Promise.all([
    liveRegion(ctx, topics, () => allPages(async (NextToken) => {
      const doc = await awsQuery('sns', 'ListTopics', '2010-03-31', NextToken ? { NextToken } : {});
      const next = text(doc, 'NextToken');
      return { items: elements(doc, 'TopicArn').map((e) => e.textContent ?? ''), next: next || undefined };
    }), (arns) => dataTable('Topics', [
      { title: 'Name', cell: (a: string) => nameOf(a) },
      { title: 'ARN', cell: (a: string) => h('code', {}, a) },
    ], arns, `No topics in ${scope.account} / ${scope.region}.`)),
    liveRegion(ctx, snsOut, async () => {
      const d = await kumoGet<{ pending: Delivery[]; outcomes: Delivery[] }>('/kumo/sns/deliveries');
      return [...d.pending.map((p) => ({ ...p, status: 'pending' })), ...[...d.outcomes].reverse()].filter((x) => inScope(x.source));
    }, (rows) => deliveriesTable('SNS deliveries', rows)),
    liveRegion(ctx, recorded, async () => (await kumoGet<{ messages: Recorded[] }>('/kumo/sns/messages', { account: scope.account, region: scope.region })).messages.reverse(),
      (rows) => dataTable<Recorded>('Recorded SNS messages', [
        { title: 'Time', cell: (m) => formatTime(m.at) },
        { title: 'Topic', cell: (m) => (m.topicArn ? nameOf(m.topicArn) : '') },
        { title: 'Endpoint', cell: (m) => `${m.protocol}: ${m.endpoint}` },
        { title: 'Message', class: 'body', cell: (m) => preview(m.message) },
      ], rows, 'No messages to recorded endpoints yet.')),
    liveRegion(ctx, rules, async () => {
      const buses = await allPages(async (NextToken) => {
        const r = await awsJson('events', 'ListEventBuses', { Limit: 100, NextToken });
        return { items: (r.EventBuses ?? []) as { Name: string }[], next: r.NextToken };
      });
      const lists = await Promise.all(buses.map((b) => allPages(async (NextToken) => {
        const r = await awsJson('events', 'ListRules', { EventBusName: b.Name, Limit: 100, NextToken });
        return { items: (r.Rules ?? []) as { Name: string; EventBusName: string; State: string; EventPattern?: string; ScheduleExpression?: string }[], next: r.NextToken };
      })));
      return lists.flat();
    }, (rows) => dataTable('Rules', [
      { title: 'Bus', cell: (r) => r.EventBusName },
      { title: 'Rule', cell: (r) => r.Name },
      { title: 'State', cell: (r) => r.State },
      { title: 'Pattern or schedule', class: 'body', cell: (r) => r.ScheduleExpression ?? preview(r.EventPattern) },
    ], rows, `No rules in ${scope.account} / ${scope.region}.`)),
    liveRegion(ctx, delivered, async () => (await kumoGet<{ events: DeliveredEvent[] }>('/kumo/events/delivered-events')).events.filter((e) => inScope(e.ruleArn)).reverse(),
      (rows) => dataTable<DeliveredEvent>('EventBridge deliveries', [
        { title: 'Time', cell: (e) => formatTime(e.at) },
        { title: 'Rule', cell: (e) => `${e.eventBusName} / ${nameOf(e.ruleArn)}` },
        { title: 'Target', cell: (e) => h('code', {}, e.targetArn) },
        { title: 'Status', cell: (e) => h('span', { class: `state state-${e.status}` }, e.status), },
        { title: 'Input', class: 'body', cell: (e) => preview(e.input) },
      ], rows, 'No events delivered yet.')),
  ]);
}

function deliveriesTable(label: string, rows: Delivery[]): HTMLElement {
  return dataTable<Delivery>(label, [
    { title: 'Time', cell: (d) => (d.at ? formatTime(d.at) : '') },
    { title: 'From', cell: (d) => nameOf(d.source) },
    { title: 'To', cell: (d) => `${d.target.kind}: ${d.target.arn ?? d.target.url ?? ''}` },
    { title: 'Status', cell: (d) => h('span', { class: `state state-${d.status}` }, d.status ?? '', d.error ? ` — ${d.error}` : '') },
    { title: 'Attempts', class: 'num', cell: (d) => d.attempts ?? '' },
    { title: 'Payload', class: 'body', cell: (d) => preview(d.target.body ?? d.target.message ?? d.target.payload) },
  ], rows, 'No deliveries yet.');
}
