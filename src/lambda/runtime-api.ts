/**
 * The Lambda Runtime API (2018-06-01) on a loopback port of its own, one server per kumo.
 * Every process kumo starts gets `AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>/<token>`: runtime
 * clients build `http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/...`, so the token in the
 * path tells which process is calling without one port per process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A response payload past this fails the invocation (AWS's synchronous response limit). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

export interface RuntimeApiHandlers {
  /** The process asks for its next event; answer `res` now or when one arrives. */
  next(token: string, res: ServerResponse): void;
  /** false when the token or request id is not the process's current invocation. */
  response(token: string, requestId: string, body: Buffer): boolean;
  error(token: string, requestId: string, body: Buffer, errorType: string | undefined): boolean;
  initError(token: string, body: Buffer, errorType: string | undefined): boolean;
}

const PREFIX = '/2018-06-01/runtime/';

export class RuntimeApiServer {
  private constructor(private readonly server: Server, readonly address: string) {}

  static async start(handlers: RuntimeApiHandlers): Promise<RuntimeApiServer> {
    const server = createServer({ keepAliveTimeout: 0, requestTimeout: 0 }, (req, res) => route(handlers, req, res));
    // Long-polled /next requests wait as long as a process stays idle.
    server.headersTimeout = 0;
    server.timeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    const { port } = server.address() as AddressInfo;
    return new RuntimeApiServer(server, `127.0.0.1:${port}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function route(h: RuntimeApiHandlers, req: IncomingMessage, res: ServerResponse): void {
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  const url = req.url ?? '/';
  const slash = url.indexOf('/', 1);
  const token = slash > 0 ? url.slice(1, slash) : '';
  const path = slash > 0 ? url.slice(slash) : url;
  if (!path.startsWith(PREFIX)) return reply(res, 404, { errorMessage: 'Not found', errorType: 'InvalidRequest' });
  const rest = path.slice(PREFIX.length);
  if (req.method === 'GET' && rest === 'invocation/next') return h.next(token, res);
  if (req.method !== 'POST') return reply(res, 405, { errorMessage: 'Method not allowed', errorType: 'InvalidRequest' });
  const errorType = header(req, 'lambda-runtime-function-error-type');
  void readBody(req).then((body) => {
    if (body === 'too-large') {
      const m = /^invocation\/([^/]+)\/response$/.exec(rest);
      const ok = m ? h.error(token, decodeURIComponent(m[1]!), Buffer.from(JSON.stringify({
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        errorType: 'Function.ResponseSizeTooLarge',
      })), 'Function.ResponseSizeTooLarge') : false;
      return reply(res, ok ? 413 : 400, { errorMessage: 'Payload too large', errorType: 'RequestEntityTooLarge' });
    }
    if (rest === 'init/error') return accepted(res, h.initError(token, body, errorType));
    const m = /^invocation\/([^/]+)\/(response|error)$/.exec(rest);
    if (!m) return reply(res, 404, { errorMessage: 'Not found', errorType: 'InvalidRequest' });
    const id = decodeURIComponent(m[1]!);
    accepted(res, m[2] === 'response' ? h.response(token, id, body) : h.error(token, id, body, errorType));
  }, () => res.destroy());
}

function accepted(res: ServerResponse, ok: boolean): void {
  if (ok) reply(res, 202, { status: 'OK' });
  else reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped: the process still gets an answer.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_RESPONSE_BYTES ? 'too-large' : Buffer.concat(chunks);
}
