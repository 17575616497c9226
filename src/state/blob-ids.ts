import { randomUUID } from 'node:crypto';

/**
 * Blob files are named by these ids and nothing else, so no user string ever reaches a path.
 * They are always random (never from the seeded generator): they are invisible to clients, and
 * ids from two instances with the same seed must not collide when one loads the other's snapshot.
 */
export function newBlobId(): string {
  return randomUUID();
}

const BLOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isBlobId(id: unknown): id is string {
  return typeof id === 'string' && BLOB_ID.test(id);
}

export function assertBlobId(id: unknown): string {
  if (!isBlobId(id)) throw new TypeError(`not a blob id: ${JSON.stringify(id)}`);
  return id;
}
