import { AwsError, type RequestContext } from '../framework/define.ts';
import { missingParameter, queueDoesNotExist } from './errors.ts';
import type { QueueRuntime } from './queue.ts';
import { storeFor, type SqsStore } from './store.ts';
import { parseQueueUrl, queueUrl } from './urls.ts';

/** The queue a request's QueueUrl names, in any account (kumo does not enforce queue policies). */
export function queueOf(ctx: RequestContext, url: unknown): { store: SqsStore; q: QueueRuntime } {
  if (url === undefined || url === null || url === '') throw missingParameter('QueueUrl');
  if (typeof url !== 'string') throw new AwsError('InvalidAddress', `The address ${String(url)} is not valid for this endpoint.`);
  const ref = parseQueueUrl(url, ctx.account, ctx.region);
  if (!ref) throw new AwsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  const store = storeFor(ctx);
  const q = store.find(ref);
  if (!q) throw queueDoesNotExist(ctx.protocol);
  return { store, q };
}

export function urlOf(ctx: RequestContext, q: QueueRuntime): string {
  return queueUrl(ctx.endpoint, q.rec.account, q.rec.name);
}
