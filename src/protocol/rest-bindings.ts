/**
 * HTTP bindings shared by the REST protocols (rest-json, rest-xml): everything but the body.
 * Members located in the uri, querystring, headers, prefixed headers and status code are read
 * from requests and written to responses here; each protocol reads and writes its own body.
 */
import { AwsError } from './aws-error.ts';
import type { OperationModel, ServiceModel, Shape, ShapeRef, TimestampFormat } from './model-types.ts';
import type { RawRequest } from './types.ts';
import { formatTimestamp, parseTimestamp, timestampFormat } from './values.ts';

export interface BoundMember {
  /** Member name in the input/output object. */
  name: string;
  /** Uri label, query key, header name or header prefix; header names are lower-case. */
  wire: string;
  ref: ShapeRef;
  shape: Shape;
}

/** How a structure's members split between the HTTP message parts, computed once per shape. */
export interface RestShapePlan {
  shape: Shape;
  uri: BoundMember[];
  query: BoundMember[];
  /** A map member collecting every query parameter no other member binds. */
  queryMap: BoundMember | undefined;
  headers: BoundMember[];
  prefixHeaders: BoundMember[];
  statusCode: BoundMember | undefined;
  /** The member that is the whole body (the structure's `payload`). */
  payload: BoundMember | undefined;
  /** Members serialized inside the body document when there is no payload member. */
  body: BoundMember[];
}

export interface RestMatch {
  op: OperationModel;
  labels: Record<string, string>;
}

const SERIALIZATION = 'SerializationException';
const plans = new WeakMap<Shape, RestShapePlan>();

export function restShapePlan(model: ServiceModel, ref: ShapeRef | undefined): RestShapePlan | undefined {
  if (!ref) return undefined;
  const shape = model.shapes[ref.shape];
  if (!shape || shape.type !== 'structure') return undefined;
  let plan = plans.get(shape);
  if (!plan) {
    plan = buildPlan(model, shape);
    plans.set(shape, plan);
  }
  return plan;
}

function buildPlan(model: ServiceModel, shape: Shape): RestShapePlan {
  const plan: RestShapePlan = {
    shape, uri: [], query: [], queryMap: undefined, headers: [], prefixHeaders: [],
    statusCode: undefined, payload: undefined, body: [],
  };
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const target = model.shapes[ref.shape];
    if (!target) throw new Error(`model ${model.id}: unknown shape ${ref.shape}`);
    const member: BoundMember = { name, wire: ref.locationName ?? name, ref, shape: target };
    switch (ref.location) {
      case 'uri': plan.uri.push(member); break;
      case 'querystring':
        if (target.type === 'map') plan.queryMap = member;
        else plan.query.push(member);
        break;
      case 'header': member.wire = member.wire.toLowerCase(); plan.headers.push(member); break;
      case 'headers': member.wire = (ref.locationName ?? '').toLowerCase(); plan.prefixHeaders.push(member); break;
      case 'statusCode': plan.statusCode = member; break;
      default:
        if (name === shape.payload) plan.payload = member;
        else plan.body.push(member);
    }
  }
  if (plan.payload) plan.body = [];
  return plan;
}

// ---- request side ----

/**
 * Reads the members bound to the uri, query string and headers of a request. `labels` are the
 * decoded uri labels when the caller already matched the route; otherwise the operation's own
 * requestUri pattern is matched against the path.
 */
export function readRequestBindings(
  req: RawRequest,
  model: ServiceModel,
  op: OperationModel,
  labels?: Record<string, string>,
  invalidCode: string = SERIALIZATION,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const plan = restShapePlan(model, op.input);
  if (!plan) return input;
  const parseScalar = (raw: string, m: Typed, wire = m.name): unknown => parseValue(raw, m, wire, invalidCode);
  if (plan.uri.length) {
    const found = labels ?? matchOperationPath(model, op, req.path) ?? {};
    for (const m of plan.uri) {
      const raw = found[m.wire];
      if (raw !== undefined) input[m.name] = parseScalar(raw, m);
    }
  }
  if (plan.query.length || plan.queryMap) {
    const params = parseQuery(req.query);
    for (const m of plan.query) {
      const values = params.get(m.wire);
      if (!values) continue;
      if (m.shape.type === 'list') {
        const item = memberOf(model, m.shape);
        input[m.name] = values.map((v) => parseScalar(v, item, m.wire));
      } else {
        input[m.name] = parseScalar(values[0]!, m, m.wire);
      }
    }
    if (plan.queryMap) {
      const map = readQueryMap(model, op, plan, params);
      if (map) input[plan.queryMap.name] = map;
    }
  }
  const headers = plan.headers.length || plan.prefixHeaders.length ? requestHeaders(req) : req.headers;
  for (const m of plan.headers) {
    const raw = headers[m.wire];
    if (raw === undefined) continue;
    if (m.shape.type === 'list') {
      const item = memberOf(model, m.shape);
      const format = item.shape.type === 'timestamp' ? timestampFormat(item.ref, item.shape, 'rfc822') : undefined;
      input[m.name] = splitHeaderList(raw, format === 'rfc822').map((v) => parseScalar(v, item, m.wire));
    } else {
      input[m.name] = parseScalar(raw, m, m.wire);
    }
  }
  for (const m of plan.prefixHeaders) {
    const map = readPrefixHeaders(headers, m, plan);
    if (map) input[m.name] = map;
  }
  return input;
}

/** The query parameters no other member binds, or undefined when there are none. */
function readQueryMap(model: ServiceModel, op: OperationModel, plan: RestShapePlan, params: Map<string, string[]>): Record<string, unknown> | undefined {
  const bound = new Set(plan.query.map((m) => m.wire));
  for (const [key] of routerFor(model).byOperation.get(op)?.literals ?? []) bound.add(key);
  const listValues = model.shapes[plan.queryMap!.shape.value!.shape]?.type === 'list';
  let out: Record<string, unknown> | undefined;
  for (const [key, values] of params) {
    if (bound.has(key) || NOT_INPUT_QUERY.has(key)) continue;
    (out ??= {})[key] = listValues ? values : values[0];
  }
  return out;
}

/** Presigned-URL authentication parameters and the SDKs' `x-id` hint are never operation input. */
const NOT_INPUT_QUERY = new Set([
  'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires',
  'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token', 'x-id',
]);
const AUTH_PARAMS = new Set([...NOT_INPUT_QUERY, 'X-Amz-Content-Sha256'].map((k) => k.toLowerCase()));

/**
 * A SigV4 presigned URL carries the request's `x-amz-*` headers as query parameters (the SDKs
 * "hoist" them, e.g. `x-amz-meta-*`, `x-amz-checksum-crc32`); they count as those headers.
 */
function requestHeaders(req: RawRequest): Record<string, string> {
  if (!req.query.includes('X-Amz-Credential=')) return req.headers;
  let merged: Record<string, string> | undefined;
  for (const [key, values] of parseQuery(req.query)) {
    const name = key.toLowerCase();
    if (!name.startsWith('x-amz-') || AUTH_PARAMS.has(name) || req.headers[name] !== undefined) continue;
    (merged ??= { ...req.headers })[name] = values[0]!;
  }
  return merged ?? req.headers;
}

function readPrefixHeaders(headers: Record<string, string>, m: BoundMember, plan: RestShapePlan): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  const prefix = m.wire;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(prefix)) continue;
    // An empty prefix binds every header that no other member claims.
    if (prefix === '' && plan.headers.some((h) => h.wire === name)) continue;
    (out ??= {})[name.slice(prefix.length)] = value;
  }
  return out;
}

interface Typed {
  name: string;
  ref: ShapeRef;
  shape: Shape;
}

function memberOf(model: ServiceModel, list: Shape): Typed {
  const ref = list.member!;
  const shape = model.shapes[ref.shape];
  if (!shape) throw new Error(`model ${model.id}: unknown shape ${ref.shape}`);
  return { name: 'member', ref, shape };
}

/**
 * One scalar from a label, query parameter or header. `wire` names it in errors; `code` is the
 * service's error for a value of the wrong type (S3 answers InvalidArgument naming the argument).
 */
function parseValue(raw: string, m: Typed, wire: string, code: string): unknown {
  const invalid = () => invalidValue(code, wire, raw, m.shape.type === 'integer' || m.shape.type === 'long');
  switch (m.shape.type) {
    case 'string':
      if (m.ref.jsonvalue) return parseJsonValue(raw, m.name);
      return raw;
    case 'integer':
    case 'long':
      if (!/^[-+]?\d+$/.test(raw.trim())) throw invalid();
      return Number(raw);
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger': {
      const n = parseNumber(raw);
      if (n === undefined) throw invalid();
      return n;
    }
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw invalid();
    case 'timestamp':
      // Lenient whatever the declared format, as AWS front ends are.
      try {
        return parseTimestamp(raw, wire);
      } catch {
        throw invalid();
      }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      throw invalid();
  }
}

function parseNumber(raw: string): number | undefined {
  const s = raw.trim();
  if (s === 'NaN') return NaN;
  if (s === 'Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

function parseJsonValue(raw: string, name: string): unknown {
  try {
    return JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw new AwsError(SERIALIZATION, `Header ${name} is not base64-encoded JSON`, 400);
  }
}

function invalidValue(code: string, name: string, raw: string, integer: boolean): AwsError {
  if (code !== 'InvalidArgument') return new AwsError(code, `Invalid value for ${name}: ${raw}`, 400);
  // S3's wording, with the argument named in the error body.
  const message = integer ? `Provided ${name} not an integer or within integer range` : `Invalid value for ${name}: ${raw}`;
  return new AwsError(code, message, 400, { ArgumentName: name, ArgumentValue: raw });
}

/**
 * Splits a list-valued header. Items containing commas or quotes arrive as quoted strings;
 * HTTP dates contain a comma of their own, so date lists are split after every second comma.
 */
export function splitHeaderList(raw: string, httpDates = false): string[] {
  if (httpDates) {
    const parts = raw.split(',');
    const out: string[] = [];
    for (let i = 0; i < parts.length; i += 2) out.push(`${parts[i]},${parts[i + 1] ?? ''}`.trim());
    return out;
  }
  const out: string[] = [];
  let i = 0;
  while (i <= raw.length) {
    while (raw[i] === ' ' || raw[i] === '\t') i++;
    if (raw[i] === '"') {
      let value = '';
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < raw.length) i++;
        value += raw[i++];
      }
      out.push(value);
      const comma = raw.indexOf(',', i);
      if (comma < 0) break;
      i = comma + 1;
    } else {
      const comma = raw.indexOf(',', i);
      const end = comma < 0 ? raw.length : comma;
      out.push(raw.slice(i, end).trim());
      if (comma < 0) break;
      i = comma + 1;
    }
  }
  return out;
}

/** Parses a raw query string; `+` is a space, as form encoders write it. Keys keep every value. */
export function parseQuery(query: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  if (!query) return params;
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeQueryPart(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(part.slice(eq + 1));
    const values = params.get(key);
    if (values) values.push(value);
    else params.set(key, [value]);
  }
  return params;
}

function decodeQueryPart(s: string): string {
  return percentDecode(s.includes('+') ? s.replace(/\+/g, ' ') : s);
}

/** decodeURIComponent that never throws: a malformed escape stays literal, bad UTF-8 becomes U+FFFD. */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    const bytes: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(s[i]!, 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
}

// ---- response side ----

/**
 * Writes the header and status-code members of an output (or error) structure into `headers`
 * (lower-case names). Returns the status an output member carries, if any.
 */
export function writeResponseBindings(
  model: ServiceModel,
  value: Record<string, unknown>,
  plan: RestShapePlan | undefined,
  headers: Record<string, string>,
): number | undefined {
  if (!plan) return undefined;
  for (const m of plan.headers) {
    const v = value[m.name];
    if (v === undefined || v === null) continue;
    const text = headerValue(v, m, model);
    if (text !== undefined) headers[m.wire] = text;
  }
  for (const m of plan.prefixHeaders) {
    const map = value[m.name];
    if (!map || typeof map !== 'object') continue;
    for (const [key, v] of Object.entries(map as Record<string, unknown>)) {
      if (v !== undefined && v !== null) headers[(m.wire + key).toLowerCase()] = String(v);
    }
  }
  if (plan.statusCode) {
    const status = value[plan.statusCode.name];
    if (typeof status === 'number' && Number.isInteger(status)) return status;
  }
  return undefined;
}

function headerValue(v: unknown, m: BoundMember, model: ServiceModel): string | undefined {
  if (m.shape.type !== 'list') return formatScalar(v, m.ref, m.shape, 'rfc822');
  if (!Array.isArray(v)) return undefined;
  const item = memberOf(model, m.shape);
  // HTTP dates keep their own comma unquoted; readers split date lists pairwise.
  if (item.shape.type === 'timestamp') return v.map((x) => formatScalar(x, item.ref, item.shape, 'rfc822')).join(', ');
  return v.map((x) => quoteListItem(formatScalar(x, item.ref, item.shape, 'rfc822'))).join(', ');
}

function quoteListItem(s: string): string {
  return /[",]/.test(s) ? `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : s;
}

function formatScalar(v: unknown, ref: ShapeRef, shape: Shape, defaultFormat: TimestampFormat): string {
  switch (shape.type) {
    case 'timestamp':
      return String(formatTimestamp(v, timestampFormat(ref, shape, defaultFormat)));
    case 'blob':
      return Buffer.isBuffer(v) ? v.toString('base64') : Buffer.from(String(v)).toString('base64');
    case 'string':
      if (ref.jsonvalue) return Buffer.from(JSON.stringify(v)).toString('base64');
      return String(v);
    default:
      return String(v);
  }
}

// ---- routing ----

interface Route {
  op: OperationModel;
  regex: RegExp;
  labels: string[];
  /** Per path segment: 2 literal, 1 label, 0 greedy label. More specific routes compare greater. */
  rank: number[];
  literals: Array<[string, string | undefined]>;
  requiredQuery: string[];
  requiredHeaders: string[];
}

interface MethodRoutes {
  byFirstSegment: Map<string, Route[]>;
  anyFirstSegment: Route[];
}

interface Router {
  methods: Map<string, MethodRoutes>;
  byOperation: Map<OperationModel, Route>;
}

const routers = new WeakMap<ServiceModel, Router>();

function routerFor(model: ServiceModel): Router {
  let router = routers.get(model);
  if (!router) {
    router = compileRouter(model);
    routers.set(model, router);
  }
  return router;
}

function compileRouter(model: ServiceModel): Router {
  const router: Router = { methods: new Map(), byOperation: new Map() };
  for (const op of Object.values(model.operations)) {
    const route = compileRoute(model, op);
    router.byOperation.set(op, route);
    const method = op.http.method.toUpperCase();
    let routes = router.methods.get(method);
    if (!routes) {
      routes = { byFirstSegment: new Map(), anyFirstSegment: [] };
      router.methods.set(method, routes);
    }
    const first = firstSegment(op.http.requestUri.split('?')[0]!);
    if (first.includes('{')) routes.anyFirstSegment.push(route);
    else {
      const list = routes.byFirstSegment.get(first) ?? [];
      list.push(route);
      routes.byFirstSegment.set(first, list);
    }
  }
  return router;
}

function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end < 0 ? path.slice(1) : path.slice(1, end);
}

function compileRoute(model: ServiceModel, op: OperationModel): Route {
  const [rawPath = '/', rawQuery = ''] = op.http.requestUri.split('?');
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  const labels: string[] = [];
  const rank: number[] = [];
  const segments = path.split('/').slice(1);
  const pattern = segments.map((seg) => {
    const label = /^\{([^}]+?)(\+?)\}$/.exec(seg);
    if (!label) {
      rank.push(2);
      return escapeRegex(seg);
    }
    labels.push(label[1]!);
    rank.push(label[2] ? 0 : 1);
    return label[2] ? '(.+)' : '([^/]+)';
  });
  const regex = new RegExp(`^/${pattern.join('/')}${path === '/' ? '' : '/?'}$`);
  const literals: Array<[string, string | undefined]> = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    literals.push(eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  const plan = restShapePlan(model, op.input);
  const required = new Set(plan?.shape.required ?? []);
  return {
    op, regex, labels, rank, literals,
    requiredQuery: plan?.query.filter((m) => required.has(m.name)).map((m) => m.wire) ?? [],
    requiredHeaders: plan?.headers.filter((m) => required.has(m.name)).map((m) => m.wire) ?? [],
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds the operation a REST request addresses. Among the operations whose path pattern and
 * literal query parts match, the most specific path wins, then the most literal query parts,
 * then an `x-id` query parameter naming the operation (sent by the v3 SDKs), then operations that
 * are not deprecated, then the operation whose required query and header members are all present,
 * the most of them first (so that `PUT /{Bucket}/{Key+}` with `uploadId` and `partNumber` is
 * UploadPart, not PutObject).
 */
export function matchRestOperation(
  model: ServiceModel,
  method: string,
  path: string,
  query: string,
  headers: Record<string, string> = {},
): RestMatch | undefined {
  const routes = routerFor(model).methods.get(method.toUpperCase());
  if (!routes) return undefined;
  const keyed = routes.byFirstSegment.get(firstSegment(path));
  const params = parseQuery(query);
  const xId = params.get('x-id')?.[0];
  let best: Route | undefined;
  let bestMatch: RegExpExecArray | undefined;
  let bestScore: number[] = [];
  for (const list of keyed ? [keyed, routes.anyFirstSegment] : [routes.anyFirstSegment]) {
    for (const route of list) {
      // Query literals first: most routes sharing a path pattern (S3's ?acl, ?tagging...) fail there, before the regex.
      if (!literalsPresent(route, params)) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const byPath = best ? compareRanks(route.rank, best.rank) : 1;
      if (byPath < 0) continue;
      // A deprecated operation sharing its route with its replacement (S3's GetBucketLifecycle) loses the tie.
      const current = (route.op as OperationModel & { deprecated?: boolean }).deprecated ? 0 : 1;
      const score = [route.literals.length, route.op.name === xId ? 1 : 0, current, requiredScore(route, params, headers)];
      if (byPath > 0 || compareScores(score, bestScore) > 0) {
        best = route;
        bestMatch = m;
        bestScore = score;
      }
    }
  }
  if (!best || !bestMatch) return undefined;
  return { op: best.op, labels: labelsOf(best, bestMatch) };
}

/** Path ranks compare segment by segment; when one is a prefix of the other, the longer path wins. */
function compareRanks(a: number[], b: number[]): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function literalsPresent(route: Route, params: Map<string, string[]>): boolean {
  for (const [key, value] of route.literals) {
    const got = params.get(key);
    if (!got) return false;
    if (value !== undefined && got[0] !== value) return false;
  }
  return true;
}

function requiredScore(route: Route, params: Map<string, string[]>, headers: Record<string, string>): number {
  for (const key of route.requiredQuery) if (!params.has(key)) return -1;
  for (const key of route.requiredHeaders) if (headers[key] === undefined) return -1;
  return route.requiredQuery.length + route.requiredHeaders.length;
}

function labelsOf(route: Route, m: RegExpExecArray): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let i = 0; i < route.labels.length; i++) labels[route.labels[i]!] = percentDecode(m[i + 1]!);
  return labels;
}

/** Decoded uri labels of a path under one operation's pattern, or undefined when it does not match. */
export function matchOperationPath(model: ServiceModel, op: OperationModel, path: string): Record<string, string> | undefined {
  const route = routerFor(model).byOperation.get(op);
  const m = route?.regex.exec(path);
  return route && m ? labelsOf(route, m) : undefined;
}
