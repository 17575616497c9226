/**
 * Shard iterators, shaped like AWS's (`<stream ARN>|1|<opaque>`): the opaque part records the
 * shard, the position (the last sequence counter consumed, or the trim horizon) and when the
 * iterator was issued, so an iterator keeps working across restarts and expires on kumo's clock.
 */
import { AwsError } from '../framework/define.ts';

export interface IteratorState {
  arn: string;
  shardId: string;
  /** Records with a counter above this are next; 'horizon' starts at the oldest readable record. */
  after: number | 'horizon';
  issued: number;
}

const SEPARATOR = '|1|';

export function encodeIterator(s: IteratorState): string {
  const body = `${s.shardId}|${s.after === 'horizon' ? 'h' : s.after}|${s.issued}`;
  return s.arn + SEPARATOR + Buffer.from(body, 'utf8').toString('base64');
}

export function decodeIterator(text: string): IteratorState {
  const bad = () => new AwsError('ValidationException', 'Invalid ShardIterator', 400);
  const cut = text.lastIndexOf(SEPARATOR);
  if (cut <= 0) throw bad();
  const body = Buffer.from(text.slice(cut + SEPARATOR.length), 'base64').toString('utf8');
  const m = /^(shardId-[0-9]{20}-[0-9a-f]{8})\|(h|[0-9]{1,16})\|([0-9]{1,16})$/.exec(body);
  if (!m) throw bad();
  return { arn: text.slice(0, cut), shardId: m[1]!, after: m[2] === 'h' ? 'horizon' : Number(m[2]), issued: Number(m[3]) };
}
