import { constants as h2, type Http2ServerResponse } from 'node:http2';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { RawResponse } from '../protocol/types.ts';
import type { AnyRequest, AnyResponse } from '../server/listener.ts';

function isH2(res: AnyResponse): res is Http2ServerResponse {
  return 'stream' in res;
}

/**
 * Drops the connection the way a network failure would: a TCP reset on HTTP/1.1; on HTTP/2 an
 * RST_STREAM with REFUSED_STREAM, which says what is true here (nothing was processed) and which
 * SDKs retry like a reset.
 */
export function resetConnection(req: AnyRequest, res: AnyResponse): void {
  if (isH2(res)) res.stream.close(h2.NGHTTP2_REFUSED_STREAM);
  else (req as IncomingMessage).socket.resetAndDestroy();
}

/**
 * The response with its full Content-Length but only the first `fraction` of its body: once
 * those bytes are handed to the connection it is closed, so the client sees a short body.
 */
export function truncateResponse(req: AnyRequest, res: AnyResponse, out: RawResponse, fraction: number): RawResponse {
  const body = out.body ?? Buffer.alloc(0);
  const whole = typeof body === 'string' ? Buffer.from(body) : body;
  // A stream of unknown length goes out chunked: cutting it before its last chunk is the truncation.
  const length = Buffer.isBuffer(whole) ? whole.length : Number(out.headers['content-length'] ?? 0);
  const keep = Math.floor(length * fraction);
  const source = Buffer.isBuffer(whole) ? Readable.from([whole]) : whole;
  const headers = Buffer.isBuffer(whole) ? { ...out.headers, 'content-length': String(length) } : out.headers;
  return { ...out, headers, body: Readable.from(cut(source, keep, () => close(req, res))) };
}

async function* cut(source: Readable, keep: number, close: () => void): AsyncGenerator<Buffer> {
  let sent = 0;
  for await (const chunk of source) {
    const part = (chunk as Buffer).subarray(0, keep - sent);
    sent += part.length;
    if (part.length > 0) yield part;
    if (sent >= keep) break;
  }
  source.destroy();
  close();
}

/** Closes after what was written is flushed, so the client receives the partial body first. */
function close(req: AnyRequest, res: AnyResponse): void {
  if (isH2(res)) res.stream.close(h2.NGHTTP2_INTERNAL_ERROR);
  else {
    // With nothing of the body kept, the status line and headers must still go out.
    res.flushHeaders();
    (req as IncomingMessage).socket.end();
  }
}
