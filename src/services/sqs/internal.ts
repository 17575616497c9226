import type { SendMessageRequest } from '../../generated/sqs.ts';
import type { Clock } from '../../state/types.ts';
import { queueDoesNotExist } from './errors.ts';
import { enqueue, prepare } from './messages.ts';
import { storeFor } from './store.ts';
import { parseQueueArn } from './urls.ts';

/**
 * What other services call in-process (SNS subscriptions, EventBridge targets, S3
 * notifications). The first argument is the caller's context or runtime: it identifies the
 * kumo whose queues are meant.
 */

export type InternalMessage = Omit<SendMessageRequest, 'QueueUrl'>;

function queueAt(caller: { clock: Clock }, queueArn: string) {
  const ref = parseQueueArn(queueArn);
  const q = ref && storeFor(caller).find(ref);
  if (!q) throw queueDoesNotExist('json');
  return q;
}

/** Sends a message to the queue with this ARN, checked like SendMessage; throws AwsError. */
export function sendMessage(caller: { clock: Clock }, queueArn: string, message: InternalMessage, sender: string) {
  const q = queueAt(caller, queueArn);
  const m = prepare(q, message, false);
  const sent = enqueue(q, m, sender);
  return { ...sent, MD5OfMessageBody: m.md5, MD5OfMessageAttributes: m.md5Attrs };
}

export function queueExists(caller: { clock: Clock }, queueArn: string): boolean {
  const ref = parseQueueArn(queueArn);
  return Boolean(ref && storeFor(caller).find(ref));
}

/** Queue attributes by ARN (e.g. FifoQueue for a subscription check); undefined when absent. */
export function queueAttributesOf(caller: { clock: Clock }, queueArn: string): Readonly<Record<string, string>> | undefined {
  const ref = parseQueueArn(queueArn);
  return ref ? storeFor(caller).find(ref)?.rec.attrs : undefined;
}
