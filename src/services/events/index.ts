import { defineService, type ServiceRuntime } from '../framework/define.ts';
import {
  CancelReplay, CreateArchive, DeleteArchive, DescribeArchive, DescribeReplay, ListArchives, ListReplays, StartReplay, UpdateArchive,
} from './archives.ts';
import {
  CreateEventBus, DeleteEventBus, DescribeEventBus, ListEventBuses, PutPermission, RemovePermission, UpdateEventBus,
} from './buses.ts';
import {
  CreateApiDestination, CreateConnection, DeleteApiDestination, DeleteConnection, DescribeApiDestination, DescribeConnection,
  ListApiDestinations, ListConnections, UpdateApiDestination, UpdateConnection,
} from './connections.ts';
import { PutEvents, putEvent } from './dispatch.ts';
import {
  armRule, DeleteRule, DescribeRule, DisableRule, EnableRule, ListRuleNamesByTarget, ListRules, ListTargetsByRule, PutRule, PutTargets,
  RemoveTargets, TestEventPattern,
} from './rules.ts';
import { installStore, storeFor } from './store.ts';
import { ListTagsForResource, TagResource, UntagResource } from './tags.ts';

function deliveredEvents(query: URLSearchParams, rt: ServiceRuntime) {
  const store = storeFor(rt);
  const outcomes = new Map(store.deliveries.outcomes.map((o) => [o.id, o]));
  const pending = new Set(store.deliveries.pending.map((p) => p.id));
  const rule = query.get('rule');
  const bus = query.get('eventBusName');
  const events = store.delivered
    .filter((d) => (!rule || d.ruleArn === rule || d.ruleArn.endsWith(`/${rule}`)) && (!bus || d.eventBusName === bus))
    .map((d) => {
      const o = outcomes.get(d.deliveryId);
      return { ...d, at: new Date(d.at).toISOString(), status: o?.status ?? (pending.has(d.deliveryId) ? 'pending' : 'unknown'), ...(o?.error ? { error: o.error } : {}) };
    });
  return { events };
}

export default defineService({
  name: 'events',
  operations: {
    CancelReplay, CreateApiDestination, CreateArchive, CreateConnection, CreateEventBus, DeleteApiDestination, DeleteArchive, DeleteConnection,
    DeleteEventBus, DeleteRule, DescribeApiDestination, DescribeArchive, DescribeConnection, DescribeEventBus, DescribeReplay, DescribeRule,
    DisableRule, EnableRule, ListApiDestinations, ListArchives, ListConnections, ListEventBuses, ListReplays, ListRuleNamesByTarget, ListRules,
    ListTagsForResource, ListTargetsByRule, PutEvents, PutPermission, PutRule, PutTargets, RemovePermission, RemoveTargets, StartReplay,
    TagResource, TestEventPattern, UntagResource, UpdateApiDestination, UpdateArchive, UpdateConnection, UpdateEventBus,
  },
  internal: { putEvent },
  init(rt) {
    const store = installStore(rt);
    for (const [, r] of store.rules.entries()) armRule(store, r);
  },
  close(rt) {
    storeFor(rt).dispose();
  },
  inspect: { 'delivered-events': deliveredEvents },
});
