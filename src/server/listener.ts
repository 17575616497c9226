import { createServer as createHttp1, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Http2Server, Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { createServer as createNet, type AddressInfo, type Socket } from 'node:net';
import { Duplex } from 'node:stream';

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
  // Few clients speak h2c (the JS SDK's Kinesis client does): load node:http2 on first use.
  let h2: Promise<Http2Server> | undefined;
  const http2Server = () =>
    (h2 ??= import('node:http2').then(({ createServer }) => {
      const server = createServer({}, onRequest);
      server.on('request', (_req, res) => track(res));
      server.on('sessionError', () => undefined);
      return server;
    }));
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
  h1.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && !socket.writableEnded) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
  });

  const net = createNet({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const isH2 = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2 && n < H2_PREFACE.length) return;
      socket.off('data', onData);
      socket.pause();
      if (isH2) {
        void http2Server().then((server) => server.emit('connection', new ReplaySocket(socket, head)));
        return;
      }
      socket.unshift(head);
      h1.emit('connection', socket);
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

/**
 * node's HTTP/2 server reads from a socket's native handle, so bytes already read for sniffing
 * cannot be unshifted back; a JS stream that replays them first is read instead.
 */
class ReplaySocket extends Duplex {
  constructor(private readonly socket: Socket, head: Buffer) {
    super();
    this.push(head);
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.once('end', () => this.push(null));
    socket.once('close', () => this.destroy());
  }

  get remoteAddress() {
    return this.socket.remoteAddress;
  }

  get remotePort() {
    return this.socket.remotePort;
  }

  setNoDelay(noDelay?: boolean) {
    this.socket.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, delay?: number) {
    this.socket.setKeepAlive(enable, delay);
    return this;
  }

  setTimeout(ms: number, cb?: () => void) {
    this.socket.setTimeout(ms, cb);
    return this;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.socket.write(chunk, encoding, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
}
