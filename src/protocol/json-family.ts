/**
 * Shape-driven conversion between the documents of the JSON-family protocols (awsJson, restJson,
 * rpcv2Cbor) and kumo values (Date timestamps, Buffer blobs). The protocols differ only in how
 * blobs, timestamps and non-finite floats look on the wire; a WireFormat says how.
 * Member tables are compiled once per shape; a request pays only for the values it carries.
 */
import { AwsError } from './aws-error.ts';
import type { ServiceModel, Shape, ShapeRef, TimestampFormat } from './model-types.ts';
import { timestampFormat, toDate } from './values.ts';

export interface WireFormat {
  readBlob(value: unknown, field: string): Buffer;
  readTimestamp(value: unknown, field: string): Date;
  /** Reads a float/double that is not a finite number on the wire (JSON's "NaN" strings). */
  readSpecialFloat(value: unknown): number | undefined;
  writeBlob(value: Buffer): unknown;
  writeTimestamp(value: Date, format: TimestampFormat): unknown;
  writeSpecialFloat(value: number): unknown;
}

interface Field {
  name: string;
  wire: string;
  ref: ShapeRef;
  shape: Shape;
}

interface Compiled {
  byName: Map<string, Field>;
  byWire: Map<string, Field>;
}

const compiled = new WeakMap<Shape, Compiled>();

/** Body members of a structure: members bound to HTTP locations never appear in a document. */
function compile(model: ServiceModel, shape: Shape): Compiled {
  let c = compiled.get(shape);
  if (!c) {
    const fields: Field[] = [];
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location) continue;
      fields.push({ name, wire: ref.locationName ?? name, ref, shape: target(model, ref) });
    }
    c = { byName: new Map(fields.map((f) => [f.name, f])), byWire: new Map(fields.map((f) => [f.wire, f])) };
    compiled.set(shape, c);
  }
  return c;
}

function target(model: ServiceModel, ref: ShapeRef): Shape {
  const shape = model.shapes[ref.shape];
  if (!shape) throw new Error(`model ${model.id}: unknown shape ${ref.shape}`);
  return shape;
}

export function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message, 400);
}

// ---- wire -> kumo ----

/**
 * Decodes a request document into the input structure. A document nested deeper than the stack
 * allows is the client's error, not a crash.
 */
export function decodeInput(model: ServiceModel, shape: Shape, doc: unknown, fmt: WireFormat): Record<string, unknown> {
  try {
    return decodeStructure(model, shape, doc, fmt);
  } catch (e) {
    if (e instanceof RangeError) throw serializationError('Request document is nested too deeply');
    throw e;
  }
}

/** Decodes a wire document into a structure's members, ignoring unknown members as Coral does. */
function decodeStructure(model: ServiceModel, shape: Shape, doc: unknown, fmt: WireFormat): Record<string, unknown> {
  if (doc === null || doc === undefined) return {};
  expectObject(doc, shape);
  const { byWire } = compile(model, shape);
  const out: Record<string, unknown> = {};
  for (const key in doc as Record<string, unknown>) {
    const field = byWire.get(key);
    if (!field) continue;
    const v = (doc as Record<string, unknown>)[key];
    if (v === null || v === undefined) continue;
    out[field.name] = decodeValue(model, field.ref, field.shape, v, fmt, field.name);
  }
  return out;
}

function decodeValue(model: ServiceModel, ref: ShapeRef, shape: Shape, v: unknown, fmt: WireFormat, field: string): unknown {
  switch (shape.type) {
    case 'structure':
      if (shape.document) return v;
      return decodeStructure(model, shape, v, fmt);
    case 'list': {
      if (!Array.isArray(v)) throw notCollection(v);
      const itemRef = shape.member!;
      const item = target(model, itemRef);
      return v.map((x) => (x === null ? null : decodeValue(model, itemRef, item, x, fmt, field)));
    }
    case 'map': {
      expectObject(v, shape);
      const valueRef = shape.value!;
      const valueShape = target(model, valueRef);
      const out: Record<string, unknown> = {};
      for (const key in v as Record<string, unknown>) {
        const x = (v as Record<string, unknown>)[key];
        setEntry(out, key, x === null ? null : decodeValue(model, valueRef, valueShape, x, fmt, field));
      }
      return out;
    }
    case 'string':
      if (typeof v === 'string') return v;
      throw scalarMismatch(v, 'String');
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') throw serializationError('Unexpected token received from parser');
      throw scalarMismatch(v, 'Boolean');
    case 'integer':
    case 'long':
    case 'biginteger': {
      const javaType = shape.type === 'integer' ? 'Integer' : shape.type === 'long' ? 'Long' : 'BigInteger';
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'number') {
        if (Number.isInteger(v)) return v;
        throw serializationError(`DECIMAL_VALUE cannot be converted to ${javaType}`);
      }
      throw scalarMismatch(v, javaType);
    }
    case 'float':
    case 'double':
    case 'bigdecimal': {
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      const special = fmt.readSpecialFloat(v);
      if (special !== undefined) return special;
      throw scalarMismatch(v, shape.type === 'float' ? 'Float' : 'Double');
    }
    case 'timestamp':
      if (v !== null && typeof v === 'object' && !(v instanceof Date)) throw notScalar(v, 'java.util.Date');
      return fmt.readTimestamp(v, field);
    case 'blob':
      if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) throw notScalar(v, 'java.nio.ByteBuffer');
      return fmt.readBlob(v, field);
  }
}

/** Own-property assignment that a `__proto__` key cannot turn into a prototype change. */
function setEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function expectObject(v: unknown, shape: Shape): void {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof Date) {
    throw serializationError('Unexpected field type');
  }
  if (Array.isArray(v)) {
    throw serializationError(shape.type === 'map' ? 'Unrecognized collection type java.util.Map' : 'Unrecognized collection type');
  }
}

function notCollection(v: unknown): AwsError {
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Date)) {
    return serializationError('Start of structure or map found where not expected');
  }
  return serializationError('Unexpected field type');
}

function notScalar(v: unknown, javaClass: string): AwsError {
  return Array.isArray(v)
    ? serializationError(`Unrecognized collection type class ${javaClass}`)
    : serializationError('Start of structure or map found where not expected');
}

/** Coral's messages when a JSON token has the wrong type for the member. */
function scalarMismatch(v: unknown, javaType: string): AwsError {
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Date)) {
    return notScalar(v, `java.lang.${javaType}`);
  }
  const token =
    typeof v === 'boolean' ? (v ? 'TRUE_VALUE' : 'FALSE_VALUE')
      : typeof v === 'number' || typeof v === 'bigint' ? (Number.isInteger(Number(v)) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE')
        : typeof v === 'string' ? 'STRING_VALUE'
          : 'VALUE';
  return serializationError(`${token} cannot be converted to ${javaType}`);
}

// ---- kumo -> wire ----

/**
 * Encodes a structure's body members; null and undefined members and keys the shape does not
 * declare are omitted. Walks the value's keys, not the shape's: outputs set few of many members.
 */
export function encodeStructure(model: ServiceModel, shape: Shape, value: Record<string, unknown>, fmt: WireFormat): Record<string, unknown> {
  const { byName } = compile(model, shape);
  const out: Record<string, unknown> = {};
  for (const name in value) {
    const f = byName.get(name);
    const v = value[name];
    if (!f || v === undefined || v === null) continue;
    out[f.wire] = encodeValue(model, f.ref, f.shape, v, fmt);
  }
  return out;
}

function encodeValue(model: ServiceModel, ref: ShapeRef, shape: Shape, v: unknown, fmt: WireFormat): unknown {
  switch (shape.type) {
    case 'structure':
      if (shape.document || typeof v !== 'object' || v === null) return v;
      return encodeStructure(model, shape, v as Record<string, unknown>, fmt);
    case 'list': {
      const itemRef = shape.member!;
      const item = target(model, itemRef);
      const items = Array.isArray(v) ? v : v instanceof Set ? [...v] : [];
      return items.map((x) => (x === null || x === undefined ? null : encodeValue(model, itemRef, item, x, fmt)));
    }
    case 'map': {
      const valueRef = shape.value!;
      const valueShape = target(model, valueRef);
      const out: Record<string, unknown> = {};
      const entries = v instanceof Map ? v.entries() : Object.entries(v as Record<string, unknown>);
      for (const [key, x] of entries) {
        if (x === undefined) continue;
        setEntry(out, String(key), x === null ? null : encodeValue(model, valueRef, valueShape, x, fmt));
      }
      return out;
    }
    case 'timestamp':
      return fmt.writeTimestamp(toDate(v), timestampFormat(ref, shape, 'unixTimestamp'));
    case 'blob':
      return fmt.writeBlob(toBuffer(v));
    case 'float':
    case 'double':
      return typeof v === 'number' && !Number.isFinite(v) ? fmt.writeSpecialFloat(v) : v;
    default:
      return v;
  }
}

export function toBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.from(String(v), 'utf8');
}

/** The member an error shape carries its message in (`message` or `Message`), for body key casing. */
export function messageKey(shape: Shape | undefined): string {
  if (shape?.members) {
    for (const name in shape.members) if (name.toLowerCase() === 'message') return shape.members[name]!.locationName ?? name;
  }
  return 'message';
}

/** The error shape AwsError.code names, when the model defines it. */
export function errorShape(model: ServiceModel, code: string): Shape | undefined {
  const shape = model.shapes[code];
  return shape?.exception ? shape : undefined;
}

/**
 * The HTTP status of an error: the handler's, unless it left the default 400 and the model
 * declares another for that error shape.
 */
export function errorStatus(status: number, shape: Shape | undefined): number {
  return status === 400 ? shape?.error?.httpStatusCode ?? 400 : status;
}

/**
 * Namespaces of the errors Coral's framework raises itself; they are the same for every service.
 * Service errors go out as the bare shape name: botocore models do not carry the Smithy
 * namespace, and every SDK keeps only the part after `#`.
 */
const FRAMEWORK_NAMESPACES: Record<string, string> = {
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  ValidationException: 'com.amazon.coral.validate',
};

function errorType(code: string, shape: Shape | undefined): string {
  const ns = shape ? undefined : FRAMEWORK_NAMESPACES[code];
  return ns ? `${ns}#${code}` : code;
}

/** Extra error members: encoded through the error shape where it declares them, else as given. */
export function errorFields(model: ServiceModel, shape: Shape | undefined, fields: Record<string, unknown>, fmt: WireFormat): Record<string, unknown> {
  const out = shape ? encodeStructure(model, shape, fields, fmt) : {};
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && v !== null && !shape?.members?.[k]) out[k] = v;
  }
  return out;
}

/** The error document of the RPC protocols: `__type`, the message, then the error's fields. */
export function errorDocument(model: ServiceModel, err: AwsError, shape: Shape | undefined, fmt: WireFormat): Record<string, unknown> {
  const body: Record<string, unknown> = { __type: errorType(err.code, shape) };
  if (err.message) body[messageKey(shape)] = err.message;
  return Object.assign(body, errorFields(model, shape, err.fields, fmt));
}

/**
 * Query-compatible services name the legacy query error code and fault in
 * `x-amzn-query-error`; the SDKs prefer it to the JSON type and expose it as `Code`.
 */
export function addQueryErrorHeader(headers: Record<string, string>, model: ServiceModel, err: AwsError, shape: Shape | undefined): void {
  if (model.metadata.awsQueryCompatible) {
    headers['x-amzn-query-error'] = `${shape?.error?.code ?? err.code};${err.sender ? 'Sender' : 'Receiver'}`;
  }
}

/** Lower-cases the extra headers an error carries into a response's header record. */
export function addHeaders(headers: Record<string, string>, extra: Record<string, string>): void {
  for (const name in extra) headers[name.toLowerCase()] = extra[name]!;
}

/** Collects a request body that arrived as a stream (operations without streaming input get Buffers). */
export async function bodyBuffer(body: Buffer | NodeJS.ReadableStream): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
