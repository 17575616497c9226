/**
 * Model-driven XML serialization shared by the query, ec2 and rest-xml protocols, following
 * botocore's rules: member names from locationName, flattened lists and maps, list `member`
 * names, map `entry`/`key`/`value` names, xmlAttribute and xmlNamespace traits.
 */
import type { AwsError } from './aws-error.ts';
import type { ServiceModel, Shape, ShapeRef, TimestampFormat } from './model-types.ts';
import { formatTimestamp, shapeOf, timestampFormat } from './values.ts';

/** Anything but characters that stand for themselves in text: one scan settles the common case. */
const TEXT_PLAIN = /[^\t\n\u0020-\u0025\u0027-\u003B\u003D\u003F-\uD7FF\uE000-\uFFFD]/;
const TEXT_SPECIAL_ALL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;
const ATTR_SPECIAL_ALL = /[&<>"\t\n\r]/g;
/** Code points XML 1.0 cannot carry, plus surrogates (which need a pairing check). */
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;', '\n': '&#xA;', '\t': '&#x9;' };
const entity = (c: string): string => ENTITIES[c]!;

/**
 * Escapes character data. `\r` is written as `&#xD;` so that it survives XML end-of-line
 * normalization. Code points XML 1.0 cannot carry at all (most C0 controls, lone
 * surrogates, U+FFFE/U+FFFF) become U+FFFD: a reference to them would not be well-formed.
 */
export function escapeText(s: string): string {
  if (!TEXT_PLAIN.test(s)) return s;
  return UNSAFE.test(s) ? escapeSlow(s, false) : s.replace(TEXT_SPECIAL_ALL, entity);
}

/** Escapes an attribute value; tabs and newlines are referenced so attribute normalization keeps them. */
export function escapeAttr(s: string): string {
  if (UNSAFE.test(s)) return escapeSlow(s, true);
  return ATTR_SPECIAL.test(s) ? s.replace(ATTR_SPECIAL_ALL, entity) : s;
}

function escapeSlow(s: string, attr: boolean): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === 38) rep = '&amp;';
    else if (c === 60) rep = '&lt;';
    else if (c === 62) rep = '&gt;';
    else if (c === 13) rep = '&#xD;';
    else if (c === 10 || c === 9) rep = attr ? (c === 10 ? '&#xA;' : '&#x9;') : undefined;
    else if (c === 34) rep = attr ? '&quot;' : undefined;
    else if (c < 0x20 || c === 0xfffe || c === 0xffff) rep = '\uFFFD';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = '\uFFFD';
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = '\uFFFD';
    if (rep !== undefined) {
      out += s.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return out + s.slice(last);
}

/** Names taken from data rather than the model (error fields) must still be XML names. */
function isXmlName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name);
}

/** `<name>escaped text</name>` */
export function textElement(name: string, text: string): string {
  return `<${name}>${escapeText(text)}</${name}>`;
}

/** ` xmlns="uri"` or ` xmlns:prefix="uri"` for the member's (else the shape's) namespace trait. */
function namespaceAttr(ref: ShapeRef | undefined, shape: Shape): string {
  const ns = ref?.xmlNamespace ?? shape.xmlNamespace;
  if (!ns) return '';
  return ns.prefix ? ` xmlns:${ns.prefix}="${escapeAttr(ns.uri)}"` : ` xmlns="${escapeAttr(ns.uri)}"`;
}

function isFlattened(ref: ShapeRef, shape: Shape): boolean {
  return ref.flattened === true || shape.flattened === true;
}

/**
 * The element name of a structure member. A flattened list whose member is renamed repeats
 * the member's name (botocore's rule, which SQS-style models rely on).
 */
export function memberElementName(name: string, ref: ShapeRef, shape: Shape): string {
  if (shape.type === 'list' && isFlattened(ref, shape) && shape.member?.locationName) return shape.member.locationName;
  return ref.locationName ?? shape.locationName ?? name;
}

interface MemberPlan {
  name: string;
  ref: ShapeRef;
  shape: Shape;
  element: string;
}

interface StructPlan {
  attributes: MemberPlan[];
  elements: MemberPlan[];
  /** A member written as the element's own text (an `xmlText` override, e.g. S3's `<LocationConstraint>`). */
  text?: MemberPlan;
}

const plans = new WeakMap<Shape, StructPlan>();

/** Members bound to HTTP (headers, uri, ...) are not part of an XML body. */
function structPlan(model: ServiceModel, shape: Shape): StructPlan {
  let plan = plans.get(shape);
  if (!plan) {
    plan = { attributes: [], elements: [] };
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location) continue;
      const target = shapeOf(model, ref);
      const member = { name, ref, shape: target, element: memberElementName(name, ref, target) };
      if ((ref as ShapeRef & { xmlText?: boolean }).xmlText) plan.text = member;
      else (ref.xmlAttribute ? plan.attributes : plan.elements).push(member);
    }
    // Some models pin the element order their schema demands (CloudWatch `xmlOrder`).
    const order = (shape as Shape & { xmlOrder?: string[] }).xmlOrder;
    if (order) {
      const rank = (m: MemberPlan) => {
        const i = order.indexOf(m.name);
        return i === -1 ? order.length : i;
      };
      plan.elements.sort((a, b) => rank(a) - rank(b));
    }
    plans.set(shape, plan);
  }
  return plan;
}

/** The text form of a scalar value; timestamps default to ISO 8601 as in every XML protocol. */
function scalarText(value: unknown, ref: ShapeRef, shape: Shape, defaultTimestamp: TimestampFormat = 'iso8601'): string {
  switch (shape.type) {
    case 'timestamp':
      return String(formatTimestamp(value, timestampFormat(ref, shape, defaultTimestamp)));
    case 'blob':
      return typeof value === 'string' ? Buffer.from(value, 'utf8').toString('base64') : Buffer.from(value as Uint8Array).toString('base64');
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
    default:
      return String(value);
  }
}

/** The child elements of a structure value (no enclosing element). */
export function writeMembers(model: ServiceModel, value: Record<string, unknown>, shape: Shape): string {
  const plan = structPlan(model, shape);
  if (plan.text) {
    const v = value[plan.text.name];
    return v === undefined || v === null ? '' : escapeText(scalarText(v, plan.text.ref, plan.text.shape));
  }
  let out = '';
  for (const m of plan.elements) {
    const v = value[m.name];
    if (v !== undefined && v !== null) out += writeElement(model, v, m.ref, m.shape, m.element);
  }
  return out;
}

function attributes(model: ServiceModel, value: Record<string, unknown>, shape: Shape): string {
  let out = '';
  for (const m of structPlan(model, shape).attributes) {
    const v = value[m.name];
    if (v !== undefined && v !== null) out += ` ${m.element}="${escapeAttr(scalarText(v, m.ref, m.shape))}"`;
  }
  return out;
}

/** One value as the element `name` (or as repeated elements for flattened lists and maps). */
export function writeElement(model: ServiceModel, value: unknown, ref: ShapeRef, shape: Shape, name: string): string {
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object') return '';
      const obj = value as Record<string, unknown>;
      return `<${name}${namespaceAttr(ref, shape)}${attributes(model, obj, shape)}>${writeMembers(model, obj, shape)}</${name}>`;
    }
    case 'list':
      return writeList(model, value, ref, shape, name);
    case 'map':
      return writeMap(model, value, ref, shape, name);
    default:
      return `<${name}${namespaceAttr(ref, shape)}>${escapeText(scalarText(value, ref, shape))}</${name}>`;
  }
}

function writeList(model: ServiceModel, value: unknown, ref: ShapeRef, shape: Shape, name: string): string {
  if (!Array.isArray(value)) return '';
  const memberRef = shape.member!;
  const memberShape = shapeOf(model, memberRef);
  let items = '';
  if (isFlattened(ref, shape)) {
    for (const item of value) {
      if (item !== undefined && item !== null) items += writeElement(model, item, memberRef, memberShape, name);
    }
    return items;
  }
  const memberName = memberRef.locationName ?? memberShape.locationName ?? 'member';
  for (const item of value) {
    if (item !== undefined && item !== null) items += writeElement(model, item, memberRef, memberShape, memberName);
  }
  const ns = namespaceAttr(ref, shape);
  return items === '' ? `<${name}${ns}/>` : `<${name}${ns}>${items}</${name}>`;
}

function writeMap(model: ServiceModel, value: unknown, ref: ShapeRef, shape: Shape, name: string): string {
  if (typeof value !== 'object' || value === null) return '';
  const entries = value instanceof Map ? [...(value as Map<string, unknown>).entries()] : Object.entries(value);
  const keyRef = shape.key!;
  const valueRef = shape.value!;
  const keyShape = shapeOf(model, keyRef);
  const valueShape = shapeOf(model, valueRef);
  const keyName = keyRef.locationName ?? 'key';
  const valueName = valueRef.locationName ?? 'value';
  const flattened = isFlattened(ref, shape);
  const ns = namespaceAttr(ref, shape);
  let out = '';
  for (const [k, v] of entries) {
    if (v === undefined || v === null) continue;
    const pair = writeElement(model, k, keyRef, keyShape, keyName) + writeElement(model, v, valueRef, valueShape, valueName);
    out += flattened ? `<${name}${ns}>${pair}</${name}>` : `<entry>${pair}</entry>`;
  }
  if (flattened) return out;
  return out === '' ? `<${name}${ns}/>` : `<${name}${ns}>${out}</${name}>`;
}

/** The wire code of an error: the model's code for the shape (awsQueryError) when it has one. */
export function wireErrorCode(err: AwsError, model: ServiceModel): string {
  const shape = model.shapes[err.code];
  return (shape?.exception && shape.error?.code) || err.code;
}

/**
 * The HTTP status of an error: the handler's, unless it left the default 400 and the model
 * declares another for that error shape.
 */
export function errorStatus(err: AwsError, model: ServiceModel): number {
  if (err.status !== 400) return err.status;
  const shape = model.shapes[err.code];
  return (shape?.exception && shape.error?.httpStatusCode) || 400;
}

/** Names the error envelopes write themselves. */
const ENVELOPE = new Set(['message', 'Message', 'Code', 'Type', 'RequestId', 'HostId']);

/**
 * Extra members of an error (`fields`) as elements, typed through the error shape when the
 * model has it. Members the shape binds to HTTP headers are not part of the body.
 */
export function errorFields(err: AwsError, model: ServiceModel): string {
  let out = '';
  const shape = model.shapes[err.code];
  const members = shape?.exception ? shape.members ?? {} : {};
  for (const [name, value] of Object.entries(err.fields)) {
    if (value === undefined || value === null || ENVELOPE.has(name)) continue;
    const ref = members[name];
    if (ref) {
      if (!ref.location) out += writeElement(model, value, ref, shapeOf(model, ref), ref.locationName ?? name);
    } else if (isXmlName(name) && (typeof value !== 'object' || value instanceof Date)) {
      out += textElement(name, value instanceof Date ? String(formatTimestamp(value, 'iso8601')) : String(value));
    }
  }
  return out;
}
