import type { Message, SendMessageRequest } from '../../generated/sqs.ts';
import type { Clock } from '../../state/types.ts';
import { queueDoesNotExist } from './errors.ts';
import { enqueue, prepare } from './messages.ts';
import { receiveFrom } from './receive.ts';
import { storeFor } from './store.ts';
import { parseQueueArn } from './urls.ts';
import { deleteFrom } from './visibility.ts';

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

/**
 * Receives up to `max` messages from the queue with this ARN as ReceiveMessage would (all
 * attributes, receive counts, redrive to the queue's dead-letter queue), without waiting; the
 * queue's visibility timeout applies unless `opts.visibilityTimeout` (seconds). Throws AwsError.
 */
export function receiveMessages(caller: { clock: Clock }, queueArn: string, max: number, opts: { visibilityTimeout?: number } = {}): Message[] {
  return receiveFrom(queueAt(caller, queueArn), max, opts.visibilityTimeout);
}

/** Deletes messages by receipt handle; returns the handles that could not be deleted. Throws AwsError for a missing queue. */
export function deleteMessages(caller: { clock: Clock }, queueArn: string, receiptHandles: readonly string[]): string[] {
  return deleteFrom(queueAt(caller, queueArn), receiptHandles);
}
