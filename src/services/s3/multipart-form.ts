/**
 * A streaming multipart/form-data reader for browser POST uploads: form fields are small and
 * read whole; the file part is handed on as a stream that ends at the next boundary, so an
 * upload of any size passes through without being held in memory.
 */
import { AwsError } from '../framework/define.ts';

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 8 * 1024;

function malformedPost(): AwsError {
  return new AwsError('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', 400);
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType.trim())) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
}

export class FormReader {
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly delimiter: Buffer;
  private started = false;

  constructor(source: AsyncIterable<Uint8Array>, boundary: string) {
    this.iterator = source[Symbol.asyncIterator]();
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
    // The first boundary has no line break before it; a virtual one makes every boundary alike.
    this.buf = Buffer.from('\r\n');
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const step = await this.iterator.next();
    if (step.done) {
      this.done = true;
      return false;
    }
    const chunk = Buffer.isBuffer(step.value) ? step.value : Buffer.from(step.value);
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    return true;
  }

  /** The next part's headers, or undefined after the closing boundary. */
  async next(): Promise<FormPart | undefined> {
    if (!this.started) {
      this.started = true;
      await this.skipTo();
    }
    while (this.buf.length < 2) if (!(await this.fill())) throw malformedPost();
    if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
      // The epilogue after the closing boundary is read and dropped.
      this.buf = Buffer.alloc(0);
      while (!this.done && !(await this.iterator.next()).done);
      this.done = true;
      return undefined;
    }
    let end: number;
    while ((end = this.buf.indexOf(HEADER_END)) < 0) {
      if (this.buf.length > MAX_HEADER_BYTES || !(await this.fill())) throw malformedPost();
    }
    if (!this.buf.subarray(0, 2).equals(CRLF)) throw malformedPost();
    const head = this.buf.subarray(2, end).toString('utf8');
    this.buf = this.buf.subarray(end + HEADER_END.length);
    const part: Partial<FormPart> = {};
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-disposition') {
        part.name = /\bname="([^"]*)"/i.exec(value)?.[1];
        const filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
        if (filename !== undefined) part.filename = filename;
      } else if (name === 'content-type') {
        part.contentType = value;
      }
    }
    if (part.name === undefined) throw malformedPost();
    return part as FormPart;
  }

  /** The current part's bytes, streamed up to the next boundary. */
  async *body(): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buf.indexOf(this.delimiter);
      if (at >= 0) {
        if (at > 0) yield this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + this.delimiter.length);
        return;
      }
      // Keep a tail that could be the start of the delimiter.
      const keep = this.delimiter.length - 1;
      if (this.buf.length > keep) {
        yield this.buf.subarray(0, this.buf.length - keep);
        this.buf = this.buf.subarray(this.buf.length - keep);
      }
      if (!(await this.fill())) throw malformedPost();
    }
  }

  /** A field's value, refusing more than `limit` bytes. */
  async text(limit: number): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of this.body()) {
      size += c.length;
      if (size > limit) {
        throw new AwsError('MaxPostPreDataLengthExceeded', 'Your POST request fields preceeding the upload file was too large.', 400);
      }
      chunks.push(c);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Skips the preamble before the first boundary. */
  private async skipTo(): Promise<void> {
    const it = this.body();
    while (!(await it.next()).done);
  }
}
