import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsError } from '../protocol/aws-error.ts';
import type { RawResponse } from '../protocol/types.ts';
import type { AnyRequest, AnyResponse } from './listener.ts';

/**
 * Lower-case name -> value (repeats joined or dropped by node's rules, set-cookie joined with
 * ', ', h2 pseudo-headers left out). node builds `req.headers` for every HTTP/1.1 request anyway,
 * so that object is used as it is unless it holds set-cookie's array: a copy per request costs.
 */
export function plainHeaders(req: AnyRequest): Record<string, string> {
  const headers = req.headers;
  if (req.httpVersionMajor === 1 && headers['set-cookie'] === undefined) return headers as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.charCodeAt(0) === 58 /* ':' */ || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The Host (h1) or :authority (h2) a request names; `headers` are its plainHeaders. */
export function hostHeader(req: AnyRequest, headers: Record<string, string>): string {
  if (req.httpVersionMajor === 1) return headers['host'] ?? '';
  const h = req.headers[':authority'] ?? req.headers.host;
  return (Array.isArray(h) ? h[0] : h) ?? '';
}

/** `host:port` -> host, `[::1]:4566` -> `[::1]`. */
export function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

/** Reads a whole body, refusing (413) past `limit` bytes without buffering the excess. */
export function readBody(source: AsyncIterable<Buffer | Uint8Array>, limit: number): Promise<Buffer> {
  return source instanceof Readable ? readStream(source, limit) : readIterable(source, limit);
}

function tooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLarge', `Request body is larger than the ${limit} bytes this operation accepts`, 413);
}

/**
 * readBody for node streams (every request body): plain listeners, because an async iterator
 * costs a generator, end-of-stream tracking and a promise per chunk on every request. A stream
 * error rejects with it, a close before the end rejects as a premature close. Past the limit
 * the rest of the body flows on unbuffered, so the 413 still reaches the client (destroying a
 * request would reset its connection); the response closes the connection.
 */
function readStream(source: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        // Nobody reads on: a later failure of the stream must not be an unhandled 'error'.
        source.on('error', () => undefined);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onClose = () => {
      done();
      reject(prematureClose());
    };
    if (source.readableEnded) {
      resolve(Buffer.alloc(0));
      return;
    }
    const failed = source.errored;
    if (failed || source.destroyed) {
      reject(failed ?? prematureClose());
      return;
    }
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', onError);
    source.once('close', onClose);
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

async function readIterable(source: AsyncIterable<Buffer | Uint8Array>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** What node's validateHeaderName / validateHeaderValue refuse, as two tests per header. */
const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/** Throws a 400 instead of letting node throw mid-response on a header value clients cannot receive. */
export function checkHeaders(headers: Record<string, string>): void {
  for (const name in headers) {
    const value = headers[name];
    if (!TOKEN.test(name) || value === undefined || INVALID_VALUE_CHAR.test(value)) {
      throw new AwsError('InvalidArgument', `Header ${JSON.stringify(name)} has a value that cannot be sent in HTTP`, 400);
    }
  }
}

type HeadWriter = AnyResponse & { writeHead(s: number, h: Record<string, string>): void };

/** Sends a response; returns a promise only when a streamed body is being piped. */
export function writeResponse(req: AnyRequest, res: AnyResponse, out: RawResponse): Promise<void> | undefined {
  const headers = out.headers;
  const body = out.body;
  const head = req.method === 'HEAD';
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    if (headers['content-length'] === undefined) {
      if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
      else if (!head) headers['content-length'] = '0';
    }
    (res as HeadWriter).writeHead(out.status, headers);
    // A string body goes to node as a string: it sends head and body in one write.
    if (head || body === undefined) res.end();
    else res.end(body);
    return;
  }
  (res as HeadWriter).writeHead(out.status, headers);
  if (head) {
    (body as Readable).destroy();
    res.end();
    return;
  }
  return pipeline(body as Readable, res as NodeJS.WritableStream);
}
