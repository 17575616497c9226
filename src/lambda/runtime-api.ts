/**
 * The Lambda Runtime API (2018-06-01) on a loopback port of its own, one server per kumo.
 * Every process kumo starts gets `AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>/<token>`: runtime
 * clients build `http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/...`, so the token in the
 * path tells which process is calling without one port per process. The same API is also
 * served on a Unix socket (not on Windows), which kumo's own node runtime client uses: a
 * message over a Unix socket costs the kernel less than one over loopback TCP, and warm
 * invocations are three such exchanges.
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
  private constructor(private readonly servers: Server[], readonly address: string, readonly socketPath: string | undefined) {}

  /** Listens on a loopback port, and on `socketPath` when given. */
  static async start(handlers: RuntimeApiHandlers, socketPath?: string): Promise<RuntimeApiServer> {
    const tcp = await listen(handlers, (server, done) => server.listen(0, '127.0.0.1', done));
    const { port } = tcp.address() as AddressInfo;
    const servers = [tcp];
    // Socket paths are short on every system (about 100 bytes): a long temp dir keeps TCP only.
    if (socketPath !== undefined && process.platform !== 'win32' && Buffer.byteLength(socketPath) < 100) {
      const uds = await listen(handlers, (server, done) => server.listen(socketPath, done)).catch(() => undefined);
      if (uds) servers.push(uds);
    }
    return new RuntimeApiServer(servers, `127.0.0.1:${port}`, servers.length > 1 ? socketPath : undefined);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((server) => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    }));
  }
}

async function listen(handlers: RuntimeApiHandlers, bind: (server: Server, done: () => void) => void): Promise<Server> {
  const server = createServer({ keepAliveTimeout: 0, requestTimeout: 0 }, (req, res) => route(handlers, req, res));
  // Long-polled /next requests wait as long as a process stays idle.
  server.headersTimeout = 0;
  server.timeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    bind(server, resolve);
  });
  server.unref();
  return server;
}

function route(h: RuntimeApiHandlers, req: IncomingMessage, res: ServerResponse): void {
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  const url = req.url ?? '/';
  const slash = url.indexOf('/', 1);
  const token = slash > 0 ? url.slice(1, slash) : '';
  if (!url.startsWith(PREFIX, Math.max(slash, 0))) return reply(res, 404, NOT_FOUND);
  const rest = url.slice(slash + PREFIX.length);
  if (req.method === 'GET' && rest === 'invocation/next') return h.next(token, res);
  if (req.method !== 'POST') return reply(res, 405, NOT_ALLOWED);
  const errorType = header(req, 'lambda-runtime-function-error-type');
  readBody(req, (body) => {
    const invocation = rest.startsWith('invocation/') ? rest.slice('invocation/'.length) : undefined;
    const cut = invocation?.lastIndexOf('/') ?? -1;
    const raw = invocation && cut > 0 ? invocation.slice(0, cut) : undefined;
    const id = raw !== undefined && !raw.includes('/') ? decodeURIComponent(raw) : undefined;
    const kind = invocation && cut > 0 ? invocation.slice(cut + 1) : undefined;
    if (body === 'too-large') {
      const ok = id !== undefined && kind === 'response' ? h.error(token, id, Buffer.from(JSON.stringify({
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        errorType: 'Function.ResponseSizeTooLarge',
      })), 'Function.ResponseSizeTooLarge') : false;
      return reply(res, ok ? 413 : 400, TOO_LARGE);
    }
    if (rest === 'init/error') return accepted(res, h.initError(token, body, errorType));
    if (id === undefined || (kind !== 'response' && kind !== 'error')) return reply(res, 404, NOT_FOUND);
    accepted(res, kind === 'response' ? h.response(token, id, body) : h.error(token, id, body, errorType));
  });
}

const json = (body: unknown) => Buffer.from(JSON.stringify(body));
const NOT_FOUND = json({ errorMessage: 'Not found', errorType: 'InvalidRequest' });
const NOT_ALLOWED = json({ errorMessage: 'Method not allowed', errorType: 'InvalidRequest' });
const TOO_LARGE = json({ errorMessage: 'Payload too large', errorType: 'RequestEntityTooLarge' });
const OK = json({ status: 'OK' });
const INVALID_ID = json({ errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });

function accepted(res: ServerResponse, ok: boolean): void {
  if (ok) reply(res, 202, OK);
  else reply(res, 400, INVALID_ID);
}

/** Always with Content-Length: kumo's node runtime client reads no chunked bodies. */
export function reply(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length), ...headers });
  res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage, done: (body: Buffer | 'too-large') => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped: the process still gets an answer.
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
  });
  req.on('end', () => done(size > MAX_RESPONSE_BYTES ? 'too-large' : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
}
