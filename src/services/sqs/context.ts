import { AwsError, type RequestContext } from '../framework/define.ts';
import { missingParameter, queueDoesNotExist } from './errors.ts';
import type { QueueRuntime } from './queue.ts';
import { storeFor, type SqsStore } from './store.ts';
import { parseQueueUrl, queueUrl } from './urls.ts';

/**
 * Clients repeat the same few queue URLs: each is parsed once, and remembered with the store key
 * it resolves to for the caller's account and region (which only bare names and region-less
 * URLs depend on).
 */
interface Parsed {
  account: string;
  region: string;
  key: string | undefined;
}

const parsed = new Map<string, Parsed>();
const PARSED_MAX = 4096;

function queueKey(url: string, account: string, region: string): string | undefined {
  const hit = parsed.get(url);
  if (hit && hit.account === account && hit.region === region) return hit.key;
  const ref = parseQueueUrl(url, account, region);
  const key = ref && `${ref.account}/${ref.region}/${ref.name}`;
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(url, { account, region, key });
  return key;
}

/** The queue a request's QueueUrl names, in any account (kumo does not enforce queue policies). */
export function queueOf(ctx: RequestContext, given: unknown): { store: SqsStore; q: QueueRuntime } {
  // Query clients may post to the queue URL itself instead of naming it in QueueUrl.
  const path = ctx.rawRequest?.path;
  const url = given === undefined || given === null || given === '' ? (path && path !== '/' ? path : undefined) : given;
  if (url === undefined) throw missingParameter('QueueUrl');
  if (typeof url !== 'string') throw new AwsError('InvalidAddress', `The address ${String(url)} is not valid for this endpoint.`);
  const key = queueKey(url, ctx.account, ctx.region);
  if (!key) throw new AwsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  const store = storeFor(ctx);
  const q = store.queues.get(key);
  if (!q) throw queueDoesNotExist(ctx.protocol);
  return { store, q };
}

export function urlOf(ctx: RequestContext, q: QueueRuntime): string {
  return queueUrl(ctx.endpoint, q.rec.account, q.rec.name);
}
