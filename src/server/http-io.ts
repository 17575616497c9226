import { validateHeaderName, validateHeaderValue } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsError } from '../protocol/aws-error.ts';
import type { RawResponse } from '../protocol/types.ts';
import type { AnyRequest, AnyResponse } from './listener.ts';

/** Flattens node's header object (h1 arrays, h2 pseudo-headers) into lower-case name -> value. */
export function plainHeaders(req: AnyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.charCodeAt(0) === 58 /* ':' */ || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function hostHeader(req: AnyRequest): string {
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
export async function readBody(source: AsyncIterable<Buffer | Uint8Array>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) {
      throw new AwsError('RequestEntityTooLarge', `Request body is larger than the ${limit} bytes this operation accepts`, 413);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** Throws a 400 instead of letting node throw mid-response on a header value clients cannot receive. */
export function checkHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      throw new AwsError('InvalidArgument', `Header ${JSON.stringify(name)} has a value that cannot be sent in HTTP`, 400);
    }
  }
}

export async function writeResponse(req: AnyRequest, res: AnyResponse, out: RawResponse): Promise<void> {
  const headers = out.headers;
  const body = out.body;
  const head = req.method === 'HEAD';
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    const buf = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    if (buf && headers['content-length'] === undefined) headers['content-length'] = String(buf.length);
    if (!buf && headers['content-length'] === undefined && !head) headers['content-length'] = '0';
    (res as AnyResponse & { writeHead(s: number, h: Record<string, string>): void }).writeHead(out.status, headers);
    if (head || !buf) res.end();
    else res.end(buf);
    return;
  }
  (res as AnyResponse & { writeHead(s: number, h: Record<string, string>): void }).writeHead(out.status, headers);
  if (head) {
    (body as Readable).destroy();
    res.end();
    return;
  }
  await pipeline(body as Readable, res as NodeJS.WritableStream);
}
