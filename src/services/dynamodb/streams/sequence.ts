/**
 * Stream sequence numbers: decimal strings of 21 digits (AWS's shortest form, zero-padded as
 * AWS pads them), so that text order and numeric order agree. Internally a safe integer counter.
 */

const WIDTH = 21;

export function formatSequence(n: number): string {
  return String(n).padStart(WIDTH, '0');
}

/** The counter a client-supplied sequence number names; undefined when it is not one kumo could have issued. */
export function parseSequence(s: string): number | undefined {
  if (!/^[0-9]{1,40}$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * A new stream's first counter: its creation time in microseconds, so that a stream enabled
 * later on the same table starts above every number its predecessors issued.
 */
export function firstCounter(createdMs: number): number {
  return createdMs * 1000 + 1;
}
