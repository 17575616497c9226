/**
 * Decoding of `aws-chunked` request bodies (SigV4 streaming uploads):
 *
 *   hex-size[;chunk-signature=...]\r\n  data  \r\n   ...   0[;chunk-signature=...]\r\n
 *   [trailer-name:value\r\n ...]  \r\n
 *
 * Chunk signatures are accepted without verification (kumo does not check signatures).
 * The decoder is a streaming state machine: it holds at most one framing line, passes data
 * through without copying, and does not care where the network splits the stream.
 */
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { AwsError } from './aws-error.ts';

export interface AwsChunkedBody {
  body: Readable;
  /** The trailing headers (lower-case names), complete once `body` has ended. */
  trailers(): Record<string, string>;
}

/** Whether a request body is aws-chunked framed: the SDKs say so in either header. */
export function isAwsChunked(headers: Record<string, string>): boolean {
  const encoding = headers['content-encoding'];
  if (encoding && encoding.toLowerCase().split(',').some((e) => e.trim() === 'aws-chunked')) return true;
  return (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
}

/** The payload length once decoded, from `x-amz-decoded-content-length`. */
export function decodedLength(headers: Record<string, string>): number | undefined {
  const raw = headers['x-amz-decoded-content-length'];
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return undefined;
  return Number(raw);
}

export function decodeAwsChunked(source: Readable, headers: Record<string, string>): AwsChunkedBody {
  const decoder = new AwsChunkedDecoder(decodedLength(headers));
  // pipeline forwards a source failure to the decoder and a consumer's early destroy to the source.
  pipeline(source, decoder, () => {});
  return { body: decoder, trailers: () => ({ ...decoder.trailers }) };
}

const enum State { Size, Data, DataEnd, Trailer, Done }

/** Longest framing line accepted: a size with a signature extension is ~90 bytes; trailers are short. */
const MAX_LINE = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;
const CR = 0x0d;
const LF = 0x0a;

function incompleteBody(): AwsError {
  return new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);
}

class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  private state = State.Size;
  private line: Buffer[] = [];
  private lineLength = 0;
  private trailerBytes = 0;
  private remaining = 0;
  private dataEndSeen = 0;
  private total = 0;

  constructor(private readonly expected: number | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    const complete = this.state === State.Done || (this.state === State.Trailer && this.lineLength === 0);
    if (!complete) return callback(incompleteBody());
    if (this.expected !== undefined && this.total !== this.expected) return callback(this.lengthMismatch());
    callback();
  }

  private consume(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case State.Size:
        case State.Trailer: {
          const nl = chunk.indexOf(LF, i);
          const end = nl < 0 ? chunk.length : nl;
          this.appendLine(chunk.subarray(i, end));
          if (nl < 0) return;
          i = nl + 1;
          const line = this.takeLine();
          if (this.state === State.Size) this.onSizeLine(line);
          else this.onTrailerLine(line);
          break;
        }
        case State.Data: {
          const n = Math.min(this.remaining, chunk.length - i);
          this.total += n;
          if (this.expected !== undefined && this.total > this.expected) throw this.lengthMismatch();
          this.push(chunk.subarray(i, i + n));
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) {
            this.state = State.DataEnd;
            this.dataEndSeen = 0;
          }
          break;
        }
        case State.DataEnd: {
          if (chunk[i] !== (this.dataEndSeen === 0 ? CR : LF)) throw incompleteBody();
          i++;
          if (++this.dataEndSeen === 2) this.state = State.Size;
          break;
        }
        case State.Done: {
          // Only stray line ends may follow the final empty line.
          if (chunk[i] !== CR && chunk[i] !== LF) throw incompleteBody();
          i++;
          break;
        }
      }
    }
  }

  private appendLine(part: Buffer): void {
    if (part.length === 0) return;
    this.lineLength += part.length;
    if (this.lineLength > MAX_LINE) throw incompleteBody();
    this.line.push(part);
  }

  /** The accumulated line as text, without its CR (a bare LF is tolerated). */
  private takeLine(): string {
    let text = this.line.length === 1 ? this.line[0]!.toString('latin1') : Buffer.concat(this.line).toString('latin1');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.line = [];
    this.lineLength = 0;
    return text;
  }

  private onSizeLine(line: string): void {
    const semi = line.indexOf(';');
    const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,13}$/.test(hex)) throw incompleteBody();
    const size = parseInt(hex, 16);
    if (size === 0) this.state = State.Trailer;
    else {
      this.remaining = size;
      this.state = State.Data;
    }
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.state = State.Done;
      return;
    }
    this.trailerBytes += line.length;
    const colon = line.indexOf(':');
    if (colon <= 0 || this.trailerBytes > MAX_TRAILER_BYTES) throw incompleteBody();
    this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }

  private lengthMismatch(): AwsError {
    return new AwsError(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
      400,
      { NumberBytesExpected: this.expected, NumberBytesProvided: this.total },
    );
  }
}
