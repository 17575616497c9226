import type { InternalServices } from '../framework/define.ts';
import type { Clock } from '../../state/types.ts';
import { ingest } from './events.ts';
import { newGroup } from './groups.ts';
import { streamKey } from './records.ts';
import { storeFor } from './store.ts';

/**
 * What other services call in-process. The first argument is the caller's context or runtime:
 * it identifies the kumo whose logs are meant (and carries the internal services metric
 * filters feed).
 */

export interface InternalLogEvent {
  timestamp: number;
  message: string;
}

/**
 * Appends events to a stream, creating the group and stream when missing (Lambda's
 * `/aws/lambda/<name>`). Events are sorted by time; empty messages are dropped.
 */
export function putLogEvents(
  caller: { clock: Clock; services: InternalServices },
  account: string, region: string, group: string, stream: string, events: InternalLogEvent[],
): void {
  const scope = storeFor(caller).scope(account, region);
  const now = caller.clock.now();
  let g = scope.groups.get(group);
  if (!g) {
    g = newGroup(group, now);
    scope.groups.put(group, g);
  }
  const key = streamKey(group, stream);
  let s = scope.streams.get(key);
  if (!s) {
    s = { name: stream, created: now, seq: 1 };
    scope.streams.put(key, s);
  }
  const sorted = events.filter((e) => e.message !== '').sort((a, b) => a.timestamp - b.timestamp);
  if (sorted.length) ingest(caller, scope, g, s, sorted);
}
