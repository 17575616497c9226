/**
 * x-www-form-urlencoded input of the query and ec2 protocols, decoded through the model.
 * The flat `A.member.1.B=v` keys are first folded into a tree (one pass over the body),
 * then the input shape walks that tree, so the cost is linear in the request size.
 */
import { AwsError } from './aws-error.ts';
import type { OperationModel, ServiceModel, Shape, ShapeRef } from './model-types.ts';
import type { RawRequest } from './types.ts';
import { parseTimestamp, shapeOf } from './values.ts';

export type FormFlavor = 'query' | 'ec2';

/** One dotted path segment of the form: its own value and/or nested segments. */
export interface FormNode {
  value?: string;
  children?: Record<string, FormNode>;
}

/** Adds the `k=v&...` pairs of a form (body or query string) to `root`; later pairs win on duplicate keys. */
function addFormPairs(root: FormNode, form: Buffer | string): void {
  const text = typeof form === 'string' ? form : form.toString('utf8');
  const len = text.length;
  let start = 0;
  while (start < len) {
    let end = text.indexOf('&', start);
    if (end === -1) end = len;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      const key = decodeComponent(text.slice(start, hasValue ? eq : end));
      const value = hasValue ? decodeComponent(text.slice(eq + 1, end)) : '';
      if (key !== '') insert(root, key, value);
    }
    start = end + 1;
  }
}

function parseForm(form: Buffer | string): FormNode {
  const root: FormNode = {};
  addFormPairs(root, form);
  return root;
}

function insert(root: FormNode, key: string, value: string): void {
  let node = root;
  let from = 0;
  for (;;) {
    const dot = key.indexOf('.', from);
    const segment = dot === -1 ? key.slice(from) : key.slice(from, dot);
    const children = (node.children ??= Object.create(null) as Record<string, FormNode>);
    node = children[segment] ??= {};
    if (dot === -1) break;
    from = dot + 1;
  }
  node.value = value;
}

const PLUS = /\+/g;

/** `+` is a space; `%XX` escapes must be complete and spell UTF-8 (decodeURIComponent checks both). */
function decodeComponent(s: string): string {
  const spaced = s.indexOf('+') === -1 ? s : s.replace(PLUS, ' ');
  if (spaced.indexOf('%') === -1) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw malformed();
  }
}

function malformed(): AwsError {
  return new AwsError('MalformedQueryString', 'The query string contains a syntax error: invalid percent-encoding or UTF-8.', 400);
}

/** Top-level scalar of the form (`Action`, `Version`). */
function formValue(root: FormNode, name: string): string | undefined {
  return root.children?.[name]?.value;
}

interface MemberPlan {
  name: string;
  wire: string;
  /**
   * Smithy clients' spelling where it differs from botocore's: a flattened list named by its
   * structure member rather than its list member; a member not named after its target shape.
   */
  alt: string | undefined;
  ref: ShapeRef;
  shape: Shape;
}

const plans: Record<FormFlavor, WeakMap<Shape, MemberPlan[]>> = { query: new WeakMap(), ec2: new WeakMap() };

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

function isFlattened(ref: ShapeRef, shape: Shape): boolean {
  return ref.flattened === true || shape.flattened === true;
}

/**
 * The form key of a structure member. query: the member's locationName, except that a
 * flattened list whose member is renamed repeats that name (SQS `AttributeName.1`).
 * ec2: queryName, else the capitalised locationName or member name.
 */
function wireName(name: string, ref: ShapeRef, shape: Shape, flavor: FormFlavor): string {
  if (flavor === 'ec2') {
    if (ref.queryName) return ref.queryName;
    return capitalize(ref.locationName ?? shape.locationName ?? name);
  }
  if (shape.type === 'list' && isFlattened(ref, shape) && shape.member?.locationName) return shape.member.locationName;
  return ref.locationName ?? shape.locationName ?? name;
}

function structPlan(model: ServiceModel, shape: Shape, flavor: FormFlavor): MemberPlan[] {
  const cache = plans[flavor];
  let plan = cache.get(shape);
  if (!plan) {
    plan = Object.entries(shape.members ?? {}).map(([name, ref]) => {
      const target = shapeOf(model, ref);
      const wire = wireName(name, ref, target, flavor);
      const plain = ref.locationName ?? name;
      return { name, wire, alt: flavor === 'query' && plain !== wire ? plain : undefined, ref, shape: target };
    });
    cache.set(shape, plan);
  }
  return plan;
}

/** Recursive shapes would otherwise let a crafted key nest until the stack overflows. */
const MAX_DEPTH = 64;

function decodeStructure(model: ServiceModel, node: FormNode, shape: Shape, flavor: FormFlavor, path: string, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const children = node.children;
  if (!children) return out;
  if (depth > MAX_DEPTH) throw invalidParameter(path, path, `Nesting deeper than ${MAX_DEPTH} levels.`);
  for (const m of structPlan(model, shape, flavor)) {
    let wire = m.wire;
    let child = children[wire];
    if (child === undefined && m.alt !== undefined) child = children[(wire = m.alt)];
    if (child === undefined) continue;
    const value = decodeValue(model, child, m.ref, m.shape, flavor, path === '' ? wire : `${path}.${wire}`, depth + 1);
    if (value !== undefined) out[m.name] = value;
  }
  return out;
}

function decodeValue(model: ServiceModel, node: FormNode, ref: ShapeRef, shape: Shape, flavor: FormFlavor, path: string, depth: number): unknown {
  switch (shape.type) {
    case 'structure':
      return decodeStructure(model, node, shape, flavor, path, depth);
    case 'list':
      return decodeList(model, node, ref, shape, flavor, path, depth);
    case 'map':
      return decodeMap(model, node, ref, shape, flavor, path, depth);
    default:
      return node.value === undefined ? undefined : decodeScalar(node.value, shape, path);
  }
}

/** Numeric children ("1", "2", ...) in index order; other keys are not list items. */
function indexed(children: Record<string, FormNode> | undefined): FormNode[] {
  if (!children) return [];
  const keys: number[] = [];
  for (const k of Object.keys(children)) {
    if (/^[1-9]\d{0,8}$/.test(k)) keys.push(Number(k));
  }
  keys.sort((a, b) => a - b);
  return keys.map((k) => children[String(k)]!);
}

/**
 * Lists: `Name.member.N` (member renamed by its locationName) or, flattened and always in
 * ec2, `Name.N`. Either spelling is accepted; `Name=` alone is the empty list.
 */
function decodeList(model: ServiceModel, node: FormNode, ref: ShapeRef, shape: Shape, flavor: FormFlavor, path: string, depth: number): unknown[] {
  const memberRef = shape.member!;
  const memberShape = shapeOf(model, memberRef);
  let items = node.children;
  let itemPath = path;
  if (flavor === 'query' && !isFlattened(ref, shape)) {
    const memberName = memberRef.locationName ?? memberShape.locationName ?? 'member';
    const wrapped = items?.[memberName];
    if (wrapped) {
      items = wrapped.children;
      itemPath = `${path}.${memberName}`;
    }
  }
  const nodes = indexed(items);
  const out = new Array<unknown>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    out[i] = decodeValue(model, nodes[i]!, memberRef, memberShape, flavor, `${itemPath}.${i + 1}`, depth + 1);
  }
  return out;
}

/** Maps: `Name.entry.N.key/value` or, flattened, `Name.N.key/value`; key/value renamed by locationName. */
function decodeMap(model: ServiceModel, node: FormNode, ref: ShapeRef, shape: Shape, flavor: FormFlavor, path: string, depth: number): Record<string, unknown> {
  const keyRef = shape.key!;
  const valueRef = shape.value!;
  const keyShape = shapeOf(model, keyRef);
  const valueShape = shapeOf(model, valueRef);
  const keyName = keyRef.locationName ?? 'key';
  const valueName = valueRef.locationName ?? 'value';
  let entries = node.children;
  let entryPath = path;
  if (!isFlattened(ref, shape)) {
    const wrapped = entries?.entry;
    if (wrapped) {
      entries = wrapped.children;
      entryPath = `${path}.entry`;
    }
  }
  const out: Record<string, unknown> = {};
  const nodes = indexed(entries);
  for (let i = 0; i < nodes.length; i++) {
    const entry = nodes[i]!.children;
    const keyNode = entry?.[keyName];
    if (keyNode?.value === undefined) continue;
    const key = String(decodeScalar(keyNode.value, keyShape, `${entryPath}.${i + 1}.${keyName}`));
    const valueNode = entry![valueName];
    const value = valueNode === undefined ? undefined : decodeValue(model, valueNode, valueRef, valueShape, flavor, `${entryPath}.${i + 1}.${valueName}`, depth + 1);
    setEntry(out, key, value);
  }
  return out;
}

/** Map keys come from the client: `__proto__` must stay an ordinary key. */
export function setEntry(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Builds the error for a value that does not fit its shape; each protocol words it its own way. */
export type ScalarError = (raw: string, path: string, reason: string) => AwsError;

const invalidParameter: ScalarError = (raw, path, reason) =>
  new AwsError('InvalidParameterValue', `Value (${raw}) for parameter ${path} is invalid. ${reason}`, 400);

/** A wire string as the scalar the shape declares; bad values are the client's error. */
export function decodeScalar(raw: string, shape: Shape, path: string, invalid: ScalarError = invalidParameter): unknown {
  switch (shape.type) {
    case 'string':
      return raw;
    case 'boolean': {
      const lower = raw.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw invalid(raw, path, 'Expected: true or false.');
    }
    case 'integer':
    case 'long': {
      const trimmed = raw.trim();
      if (!INTEGER.test(trimmed)) throw invalid(raw, path, 'Expected: an integer.');
      const n = Number(trimmed);
      if (shape.type === 'integer' && (n > 2147483647 || n < -2147483648)) throw invalid(raw, path, 'Expected: a 32-bit integer.');
      return n;
    }
    case 'biginteger':
      if (!INTEGER.test(raw.trim())) throw invalid(raw, path, 'Expected: an integer.');
      return Number(raw);
    case 'float':
    case 'double':
    case 'bigdecimal': {
      const trimmed = raw.trim();
      if (trimmed === 'NaN') return Number.NaN;
      if (trimmed === 'Infinity') return Number.POSITIVE_INFINITY;
      if (trimmed === '-Infinity') return Number.NEGATIVE_INFINITY;
      if (!FLOAT.test(trimmed)) throw invalid(raw, path, 'Expected: a number.');
      return Number(trimmed);
    }
    case 'timestamp':
      try {
        return parseTimestamp(raw, path);
      } catch {
        throw invalid(raw, path, 'Expected: a timestamp (ISO 8601 or epoch seconds).');
      }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

const forms = new WeakMap<RawRequest, FormNode>();

/** The request's parameters: query string, then a form body (whose values win). Parsed once per request. */
function requestForm(req: RawRequest): FormNode {
  let form = forms.get(req);
  if (!form) {
    form = parseForm(req.query);
    if (Buffer.isBuffer(req.body) && req.body.length > 0) addFormPairs(form, req.body);
    forms.set(req, form);
  }
  return form;
}

/** `Action` of a query/ec2 request; an action the model lacks is the client's error. */
export function formOperationName(req: RawRequest, model: ServiceModel): string | undefined {
  const action = formValue(requestForm(req), 'Action');
  if (action === undefined || action === '') return undefined;
  if (!Object.hasOwn(model.operations, action)) {
    throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
  }
  return action;
}

/** The operation's input from a query/ec2 request. */
export function parseFormRequest(req: RawRequest, model: ServiceModel, op: OperationModel, flavor: FormFlavor): Record<string, unknown> {
  const form = requestForm(req);
  if (!op.input) return {};
  return decodeStructure(model, form, shapeOf(model, op.input), flavor, '');
}
