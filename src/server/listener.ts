import { createServer as createHttp1, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNet, type AddressInfo, type Socket } from 'node:net';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;
export type RequestListener = (req: AnyRequest, res: AnyResponse) => void;

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface Listener {
  address(): AddressInfo;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes every connection. */
  close(graceMs: number): Promise<void>;
}

/**
 * HTTP/1.1 and cleartext HTTP/2 (prior knowledge) on one port: the first bytes of a
 * connection decide which server gets it.
 */
export async function listen(host: string, port: number, onRequest: RequestListener): Promise<Listener> {
  const h1 = createHttp1({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, onRequest);
  const h2 = createHttp2({}, onRequest);
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const track = (res: AnyResponse) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  };
  h1.on('request', (_req, res) => track(res));
  h2.on('request', (_req, res) => track(res));
  h1.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && !socket.writableEnded) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
  });
  h2.on('sessionError', () => undefined);

  const net = createNet({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const isH2 = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2 && n < H2_PREFACE.length) return;
      socket.off('data', onData);
      socket.pause();
      socket.unshift(head);
      (isH2 ? h2 : h1).emit('connection', socket);
      socket.resume();
    };
    socket.on('data', onData);
  });

  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen({ host, port }, () => {
      net.off('error', reject);
      resolve();
    });
  });

  return {
    address: () => net.address() as AddressInfo,
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => net.close(() => resolve()));
      h1.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
