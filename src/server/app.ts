import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { KumoConfig } from '../config.ts';
import { AwsError, notImplemented } from '../protocol/aws-error.ts';
import { codecFor, loadedCodec } from '../protocol/codecs.ts';
import type { OperationModel, ServiceModel } from '../protocol/model-types.ts';
import { loadModel, serviceIndex } from '../protocol/models.ts';
import type { ProtocolCodec, RawRequest, RawResponse } from '../protocol/types.ts';
import { matchRestOperation } from '../protocol/rest-bindings.ts';
import { decodeAwsChunked, isAwsChunked } from '../protocol/aws-chunked.ts';
import { validateInput } from '../protocol/validate.ts';
import type { CorsRequest, ServiceSettings } from '../services/framework/define.ts';
import { ServiceHost } from '../services/framework/host.ts';
import type { StateEngine } from '../state/index.ts';
import { handleControl, isControlPath } from '../control/handler.ts';
import { resetConnection, truncateResponse } from '../faults/connection.ts';
import { FaultInjector } from '../faults/injector.ts';
import { functionUrlTarget } from '../services/lambda/url-routing.ts';
import { accountFor, credentialScope, type CredentialScope } from './credentials.ts';
import { checkHeaders, hostHeader, hostnameOf, plainHeaders, readBody, writeResponse } from './http-io.ts';
import type { AnyRequest, AnyResponse } from './listener.ts';
import type { Logger } from './logger.ts';
import { Router, type Route } from './router.ts';
import { BrowserGuard, EXPOSED_HEADERS, preflightHeaders } from './security.ts';

/** Bodies of non-streaming operations are read whole; past this they are refused with 413. */
const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

interface Resolved {
  route: Route;
  model: ServiceModel;
  codec: ProtocolCodec;
  op?: OperationModel;
  /** URI labels of a REST match. */
  labels?: Record<string, string>;
  /** Other RPC candidates (unsigned form posts reach every query service): the body's operation name picks one. */
  others?: Resolved[];
}

export interface AccessEntry {
  method: string;
  path: string;
  service?: string;
  operation?: string;
  status: number;
  ms: number;
  requestId: string;
}

/** Turns HTTP requests into operation calls: route, parse, run, make durable, serialize. */
export class App {
  readonly router: Router;
  readonly guard: BrowserGuard;
  readonly host: ServiceHost;
  readonly faults: FaultInjector;
  /** `http://host:port` once listening ('' before). */
  get endpoint(): string {
    return this.host.endpoint;
  }
  private readonly settings: ServiceSettings;

  constructor(
    readonly config: KumoConfig,
    readonly engine: StateEngine,
    readonly logger: Logger,
    readonly version: string,
  ) {
    this.host = new ServiceHost(engine, config);
    this.faults = new FaultInjector(engine.clock, config.seed, logger);
    this.router = new Router(serviceIndex(), (id) => this.host.enabled(id));
    this.guard = new BrowserGuard(config.host, config.corsOrigins, config.allowedHosts);
    this.settings = { s3VerifySignatures: config.s3VerifySignatures ?? false, s3Credentials: config.s3Credentials ?? {} };
  }

  handle = (req: AnyRequest, res: AnyResponse): void => {
    const started = process.hrtime.bigint();
    const requestId = this.engine.ids.requestId();
    const entry: AccessEntry = { method: req.method ?? 'GET', path: req.url ?? '/', status: 0, ms: 0, requestId };
    req.on('error', ignore);
    res.on('error', ignore);
    const finish = () => {
      entry.ms = Number(process.hrtime.bigint() - started) / 1e6;
      entry.status = res.statusCode;
      this.logAccess(entry);
    };
    this.serve(req, res, entry).then(finish, (err: unknown) => {
      try {
        this.fail(req, res, entry, err);
      } finally {
        finish();
      }
    });
  };

  private async serve(req: AnyRequest, res: AnyResponse, entry: AccessEntry): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    const query = q >= 0 ? url.slice(q + 1) : '';
    const headers = plainHeaders(req);
    const host = hostHeader(req, headers);
    const hostname = hostnameOf(host);
    const origin = headers['origin'];

    if (!this.guard.hostAllowed(hostname)) {
      return this.plain(req, res, 403, `Host ${JSON.stringify(hostname)} is not a local name; kumo refuses it (DNS rebinding protection). Set KUMO_ALLOWED_HOSTS to accept it.`, entry.requestId);
    }
    // Function URLs are plain HTTP for a function, signed or not: before any AWS routing.
    const urlTarget = functionUrlTarget(hostname, path);
    if (urlTarget) {
      const def = await this.host.definition('lambda');
      if (def) {
        entry.service = 'lambda-url';
        const { serveFunctionUrl } = await import('../services/lambda/function-urls.ts');
        return serveFunctionUrl(this.host.runtime(def), urlTarget, query, req, res, entry.requestId);
      }
    }
    const searchParams = query ? new URLSearchParams(query) : undefined;
    const scope = credentialScope(headers, searchParams);

    if (!scope && isControlPath(path)) {
      if (origin !== undefined && !this.guard.originAllowed(origin)) return this.forbiddenOrigin(req, res, origin, entry.requestId);
      entry.service = 'kumo';
      const out = await handleControl(this, { method: req.method ?? 'GET', path, query, headers, body: req });
      return this.send(req, res, out, entry.requestId, origin);
    }

    const preflightMethod = req.method === 'OPTIONS' ? headers['access-control-request-method'] : undefined;
    if (preflightMethod) {
      if (origin === undefined) return this.forbiddenOrigin(req, res, '', entry.requestId);
      const allowed = this.guard.originAllowed(origin)
        ? preflightHeaders(origin, headers['access-control-request-headers'], preflightMethod)
        : await this.serviceCors({ origin, method: preflightMethod, path, headers, preflight: true }, hostname, scope);
      if (!allowed) return this.forbiddenOrigin(req, res, origin, entry.requestId);
      res.writeHead(200, allowed);
      res.end();
      return;
    }

    const resolved = await this.resolve(req.method ?? 'GET', path, query, headers, hostname, scope);
    entry.service = resolved.route.service;
    const ctxBase = { requestId: entry.requestId };
    // Set when the service's own CORS rules (not kumo's origin list) let this origin in.
    let cors: Record<string, string> | undefined;
    try {
      let def = this.host.loadedDefinition(resolved.route.service) ?? await this.host.definition(resolved.route.service);
      if (origin !== undefined && !this.guard.originAllowed(origin)) {
        cors = def?.cors?.({ origin, method: req.method ?? 'GET', path: resolved.route.path, headers, preflight: false }, this.host.runtime(def));
        if (!cors) throw new AwsError('AccessDenied', `Origin ${origin} is not allowed to call kumo; set KUMO_CORS_ORIGINS to allow it`, 403);
      }
      const raw: RawRequest = { method: req.method ?? 'GET', path: resolved.route.path, query, headers, hostname, body: EMPTY, labels: resolved.labels };
      const op = await this.readOperation(req, raw, resolved, entry.requestId);
      entry.operation = op.name;
      if (entry.service !== resolved.route.service) {
        entry.service = resolved.route.service;
        def = await this.host.definition(resolved.route.service);
      }
      const codec = resolved.codec;
      const input = codec.parseBuffered && Buffer.isBuffer(raw.body)
        ? codec.parseBuffered(raw as RawRequest & { body: Buffer }, resolved.model, op)
        : await codec.parseRequest(raw, resolved.model, op);
      if (op.input && def?.validation !== 'none') {
        validateInput(resolved.model, op.input, input, resolved.codec.name === 'query' || resolved.codec.name === 'ec2' ? 'query' : 'coral');
      }
      const handler = def?.operations[op.name];
      if (!def || !handler) throw notImplemented(resolved.route.service, op.name);
      const caller = scope ? this.host.identity(scope.accessKeyId) : undefined;
      const ctx = this.host.context(def, {
        operation: op.name,
        account: caller?.account ?? accountFor(scope, this.config.accountId),
        region: scope?.region ?? this.config.region,
        requestId: entry.requestId,
        endpoint: `http://${host}`,
        protocol: resolved.codec.name,
        accessKeyId: scope?.accessKeyId,
        caller,
      });
      ctx.trailers = raw.trailers;
      ctx.settings = this.settings;
      ctx.rawRequest = { method: raw.method, path, query, headers };
      const fault = await this.faults.apply({ service: resolved.route.service, operation: op.name, protocol: resolved.codec.name, account: ctx.account, region: ctx.region, input, method: raw.method, path, requestId: entry.requestId });
      if (fault?.kind === 'reset') return resetConnection(req, res);
      const output = (await handler(input, ctx)) ?? {};
      const durable = this.engine.pendingSync();
      if (durable) await durable;
      const out = resolved.codec.serializeResponse(output as Record<string, unknown>, resolved.model, op, ctxBase);
      // HTTP/1.1 heads are checked by node as it writes them, before sending anything: only a
      // refused head pays for kumo's own check, which names the header in the client's 400.
      const nodeChecks = req.httpVersionMajor === 1 && fault?.kind !== 'truncate';
      if (!nodeChecks) checkHeaders(out.headers);
      let sent: Promise<void> | undefined;
      try {
        sent = this.send(req, res, fault?.kind === 'truncate' ? truncateResponse(req, res, out, fault.fraction) : out, entry.requestId, origin, cors);
      } catch (err) {
        if (nodeChecks && !res.headersSent) checkHeaders(out.headers);
        throw err;
      }
      // Awaited here so that a streamed body's failure is handled like the handler's own.
      if (sent) await sent;
      return;
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      const out = resolved.codec.serializeError(err, resolved.model, resolved.op, ctxBase);
      return this.send(req, res, out, entry.requestId, origin, cors);
    }
  }

  /** A preflight from an origin kumo does not allow: the first routed service with CORS rules decides. */
  private async serviceCors(req: CorsRequest, hostname: string, scope: CredentialScope | undefined): Promise<Record<string, string> | undefined> {
    for (const route of this.router.route({ method: req.method, path: req.path, headers: req.headers, hostname, scope })) {
      const def = await this.host.definition(route.service);
      if (def?.cors) return def.cors({ ...req, path: route.path }, this.host.runtime(def));
    }
    return undefined;
  }

  /** Picks the first candidate route whose service model knows the operation. */
  private async resolve(method: string, path: string, query: string, headers: Record<string, string>, hostname: string, scope: CredentialScope | undefined): Promise<Resolved> {
    const routes = this.router.route({ method, path, headers, hostname, scope });
    let fallback: Resolved | undefined;
    for (const route of routes) {
      const model = loadModel(route.service);
      const codec = loadedCodec(route.protocol) ?? await codecFor(route.protocol);
      if (route.operation !== undefined) return { route, model, codec, op: model.operations[route.operation] };
      if (codec.name === 'rest-json' || codec.name === 'rest-xml') {
        const match = matchRestOperation(model, method, route.path, query, headers);
        if (match) return { route, model, codec, op: match.op, labels: match.labels };
      }
      if (!fallback) fallback = { route, model, codec, others: [] };
      else fallback.others!.push({ route, model, codec });
    }
    if (fallback) return fallback;
    throw new UnroutableError(scope
      ? `kumo does not know the service ${JSON.stringify(scope.service)} named in this request's signature`
      : 'kumo could not tell which AWS service this request is for: sign it with SigV4 (any credentials) or send X-Amz-Target');
  }

  /** Finds the operation and reads the body the way that operation needs it. */
  private async readOperation(req: AnyRequest, raw: RawRequest, r: Resolved, requestId: string): Promise<OperationModel> {
    const chunked = isAwsChunked(raw.headers);
    let source: Readable = req as unknown as Readable;
    if (chunked) {
      const decoded = decodeAwsChunked(source, raw.headers);
      source = decoded.body;
      raw.trailers = decoded.trailers;
    }
    if (r.op?.requestcompression && /\bgzip\b/i.test(raw.headers['content-encoding'] ?? '')) source = gunzipped(source);
    if (r.op && streamingInput(r.model, r.op)) {
      raw.body = source;
      return r.op;
    }
    raw.body = await readBody(source, DEFAULT_BODY_LIMIT);
    if (this.logger.enabled('debug')) this.logger.log('debug', 'request body', { requestId, body: excerpt(raw.body) });
    if (r.op) return r.op;
    if (r.others?.length && !knowsOperation(r, raw)) {
      const other = r.others.find((o) => o.codec === r.codec && knowsOperation(o, raw));
      if (other) Object.assign(r, { route: other.route, model: other.model });
    }
    const name = r.codec.operationName?.(raw, r.model);
    const op = name !== undefined ? r.model.operations[name] : undefined;
    if (!op) throw unknownOperation(r, name);
    r.op = op;
    return op;
  }

  /** A promise only while a streamed body is being piped. */
  private send(req: AnyRequest, res: AnyResponse, out: RawResponse, requestId: string, origin: string | undefined, cors?: Record<string, string>): Promise<void> | undefined {
    const h = out.headers;
    h['x-amzn-requestid'] ??= requestId;
    h['x-amz-request-id'] ??= requestId;
    if (this.logger.enabled('debug') && (typeof out.body === 'string' || Buffer.isBuffer(out.body))) {
      this.logger.log('debug', 'response body', { requestId, status: out.status, body: excerpt(out.body) });
    }
    // A body left unread (refused with 413, or an error answered before a stream was consumed)
    // means the connection cannot carry another request: say so rather than let a client reuse it.
    if (req.httpVersionMajor === 1 && (out.status === 413 || !(req as { complete?: boolean }).complete)) h['connection'] = 'close';
    if (cors) Object.assign(h, cors);
    else if (origin !== undefined) {
      h['access-control-allow-origin'] = origin;
      h['access-control-expose-headers'] = EXPOSED_HEADERS;
      h['vary'] = 'Origin';
    }
    return writeResponse(req, res, out);
  }

  private plain(req: AnyRequest, res: AnyResponse, status: number, message: string, requestId: string): Promise<void> | undefined {
    return writeResponse(req, res, {
      status,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-amzn-requestid': requestId },
      body: message + '\n',
    });
  }

  private forbiddenOrigin(req: AnyRequest, res: AnyResponse, origin: string, requestId: string): Promise<void> | undefined {
    return this.plain(req, res, 403, `Origin ${JSON.stringify(origin)} is not allowed to call kumo; set KUMO_CORS_ORIGINS to allow it.`, requestId);
  }

  private fail(req: AnyRequest, res: AnyResponse, entry: AccessEntry, err: unknown): void {
    if (err instanceof UnroutableError) {
      if (!res.headersSent) this.plainJson(req, res, 400, 'UnrecognizedClientException', err.message, entry.requestId);
      return;
    }
    if (err instanceof AwsError) {
      if (!res.headersSent) this.plainJson(req, res, err.status, err.code, err.message, entry.requestId);
      return;
    }
    if (clientGone(req, err)) {
      this.logger.log('debug', 'client went away', { requestId: entry.requestId });
      res.destroy();
      return;
    }
    this.logger.log('error', 'request failed', { requestId: entry.requestId, error: err instanceof Error ? err.stack : String(err) });
    if (!res.headersSent) this.plainJson(req, res, 500, 'InternalFailure', 'kumo hit an internal error; see its log for the request id', entry.requestId);
    else res.destroy();
  }

  private plainJson(req: AnyRequest, res: AnyResponse, status: number, code: string, message: string, requestId: string): void {
    try {
      writeResponse(req, res, {
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: code, message }),
      });
    } catch {
      // The connection is gone or the response already started: nothing more to say.
    }
  }

  private logAccess(e: AccessEntry): void {
    if (!this.logger.enabled('info')) return;
    this.logger.log('info', 'request', {
      method: e.method,
      path: e.path.length > 200 ? e.path.slice(0, 200) + '…' : e.path,
      service: e.service,
      operation: e.operation,
      status: e.status,
      ms: Math.round(e.ms * 100) / 100,
      requestId: e.requestId,
    });
  }
}

class UnroutableError extends Error {}

const ignore = (): void => undefined;
const EMPTY = Buffer.alloc(0);

function knowsOperation(r: Resolved, raw: RawRequest): boolean {
  try {
    const name = r.codec.operationName?.(raw, r.model);
    return name !== undefined && Object.hasOwn(r.model.operations, name);
  } catch {
    return false;
  }
}

/** A gzip body as the operation's bytes; a corrupt one is the client's fault (400), not a crash. */
function gunzipped(source: Readable): Readable {
  const out = createGunzip();
  out.on('error', () => undefined);
  source.pipe(out);
  const checked = new PassThrough();
  out.on('error', () => checked.destroy(new AwsError('SerializationException', 'The request body is not valid gzip', 400)));
  out.pipe(checked);
  return checked;
}

const EXCERPT_BYTES = 2048;

/** A body for the debug log: the first 2 KiB, binary shown as base64. */
function excerpt(body: Buffer | string): string {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const head = buf.subarray(0, EXCERPT_BYTES);
  const text = head.toString('utf8');
  const shown = /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text) ? `base64:${head.toString('base64')}` : text;
  return buf.length > EXCERPT_BYTES ? `${shown}… (${buf.length} bytes)` : shown;
}

function clientGone(req: AnyRequest, err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return req.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error | undefined)?.message === 'aborted';
}

function unknownOperation(r: Resolved, name: string | undefined): AwsError {
  if (r.codec.name === 'query' || r.codec.name === 'ec2') {
    return new AwsError('InvalidAction', `The action ${name ?? '(none)'} is not valid for this web service.`, 400);
  }
  if (r.codec.name === 'rest-xml' || r.codec.name === 'rest-json') {
    return new AwsError('UnknownOperationException', `No ${r.route.service} operation matches this method and path`, 404);
  }
  return new AwsError('UnknownOperationException', `Unknown operation ${name ?? '(none)'}`, 400);
}

const streamingCache = new WeakMap<OperationModel, boolean>();

function streamingInput(model: ServiceModel, op: OperationModel): boolean {
  let result = streamingCache.get(op);
  if (result === undefined) {
    result = false;
    const input = op.input && model.shapes[op.input.shape];
    const payload = input?.payload && input.members?.[input.payload];
    if (payload) result = Boolean(payload.streaming || model.shapes[payload.shape]?.streaming);
    streamingCache.set(op, result);
  }
  return result;
}
