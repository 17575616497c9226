import type { RequestContext } from '../framework/define.ts';
import type {
  BatchResultErrorEntry, ChangeMessageVisibilityBatchRequest, ChangeMessageVisibilityBatchRequestEntry, ChangeMessageVisibilityBatchResult,
  ChangeMessageVisibilityRequest, DeleteMessageBatchRequest, DeleteMessageBatchRequestEntry, DeleteMessageBatchResult, DeleteMessageRequest,
} from '../../generated/sqs.ts';
import { invalidValue, missingParameter, receiptHandleExpired } from './errors.ts';
import { decodeReceipt } from './handles.ts';
import { failure } from './messages.ts';
import { queueOf } from './context.ts';
import type { QueueRuntime } from './queue.ts';
import { checkBatch, checkVisibilityTimeout } from './validation.ts';

const MAX_TOTAL_VISIBILITY_MS = 43_200_000;

/**
 * Deletes the message a receipt handle names. Standard queues accept stale handles silently (the
 * message stays unless the handle is its latest); FIFO queues refuse a handle whose visibility
 * timeout has passed or that a later receive superseded.
 */
function deleteOne(q: QueueRuntime, handle: unknown): void {
  if (handle === undefined || handle === null || handle === '') throw missingParameter('ReceiptHandle');
  const { seq, rc } = decodeReceipt(q, handle);
  q.tick();
  const r = q.get(seq);
  if (!r) return;
  if (r.rc !== rc || (q.fifo && r.vis <= q.processed)) {
    if (q.fifo) throw receiptHandleExpired(handle as string);
    return;
  }
  q.remove(seq, r);
}

function changeOne(q: QueueRuntime, handle: unknown, timeout: unknown): void {
  if (handle === undefined || handle === null || handle === '') throw missingParameter('ReceiptHandle');
  if (timeout === undefined || timeout === null) throw missingParameter('VisibilityTimeout');
  const vt = checkVisibilityTimeout(timeout)!;
  const { seq, rc } = decodeReceipt(q, handle);
  const now = q.tick();
  const r = q.get(seq);
  if (!r || r.rc !== rc) {
    throw invalidValue(handle, 'ReceiptHandle', 'Message does not exist or is not available for visibility timeout change.');
  }
  if (q.fifo && r.vis <= q.processed) throw receiptHandleExpired(handle as string);
  if (now + vt * 1000 - (r.first ?? now) > MAX_TOTAL_VISIBILITY_MS) {
    throw invalidValue(vt, 'VisibilityTimeout', 'Total VisibilityTimeout for the message is beyond the limit [43200 seconds]');
  }
  q.setVisibility(seq, r, now + vt * 1000);
}

export function DeleteMessage(input: DeleteMessageRequest, ctx: RequestContext): Record<string, never> {
  const { q } = queueOf(ctx, input.QueueUrl);
  deleteOne(q, input.ReceiptHandle);
  return {};
}

export function DeleteMessageBatch(input: DeleteMessageBatchRequest, ctx: RequestContext): DeleteMessageBatchResult {
  const { q } = queueOf(ctx, input.QueueUrl);
  const entries = checkBatch<DeleteMessageBatchRequestEntry>(input.Entries, 'DeleteMessageBatchRequestEntry');
  const Successful: { Id: string }[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  for (const e of entries) {
    try {
      deleteOne(q, e.ReceiptHandle);
      Successful.push({ Id: e.Id });
    } catch (err) {
      Failed.push(failure(e.Id, err));
    }
  }
  return { Successful, Failed };
}

/** Deletes by receipt handle for another service; returns the handles that could not be deleted. */
export function deleteFrom(q: QueueRuntime, handles: readonly string[]): string[] {
  const failed: string[] = [];
  for (const h of handles) {
    try {
      deleteOne(q, h);
    } catch {
      failed.push(h);
    }
  }
  return failed;
}

export function ChangeMessageVisibility(input: ChangeMessageVisibilityRequest, ctx: RequestContext): Record<string, never> {
  const { q } = queueOf(ctx, input.QueueUrl);
  changeOne(q, input.ReceiptHandle, input.VisibilityTimeout);
  return {};
}

export function ChangeMessageVisibilityBatch(input: ChangeMessageVisibilityBatchRequest, ctx: RequestContext): ChangeMessageVisibilityBatchResult {
  const { q } = queueOf(ctx, input.QueueUrl);
  const entries = checkBatch<ChangeMessageVisibilityBatchRequestEntry>(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
  const Successful: { Id: string }[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  for (const e of entries) {
    try {
      changeOne(q, e.ReceiptHandle, e.VisibilityTimeout ?? 0);
      Successful.push({ Id: e.Id });
    } catch (err) {
      Failed.push(failure(e.Id, err));
    }
  }
  return { Successful, Failed };
}
