import { receiptHandleIsInvalid } from './errors.ts';
import type { QueueRuntime } from './queue.ts';

/**
 * Receipt handles name the queue instance (its uid, so a handle outlives neither the queue nor
 * a same-named successor), the message's sequence number and which receive of it this was.
 */
export interface Receipt {
  seq: number;
  rc: number;
}

const FORMAT = /^([0-9a-f]+):(\d{1,15}):(\d{1,15})$/;

export function encodeReceipt(q: QueueRuntime, seq: number, rc: number): string {
  return Buffer.from(`${q.rec.uid}:${seq}:${rc}`, 'latin1').toString('base64');
}

export function decodeReceipt(q: QueueRuntime, handle: unknown): Receipt {
  if (typeof handle !== 'string' || handle === '') throw receiptHandleIsInvalid(String(handle ?? ''));
  const m = FORMAT.exec(Buffer.from(handle, 'base64').toString('latin1'));
  if (!m || m[1] !== q.rec.uid) throw receiptHandleIsInvalid(handle);
  return { seq: Number(m[2]), rc: Number(m[3]) };
}
