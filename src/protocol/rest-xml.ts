/**
 * The rest-xml protocol (S3, Route 53, CloudFront): HTTP bindings from rest-bindings.ts, an
 * XML document (or a raw payload) as the body. Routing is rest-bindings' matchRestOperation.
 */
import type { Readable } from 'node:stream';
import { AwsError } from './aws-error.ts';
import type { OperationModel, ServiceModel, Shape, ShapeRef } from './model-types.ts';
import { readRequestBindings, restShapePlan, writeResponseBindings, type BoundMember } from './rest-bindings.ts';
import type { ProtocolCodec, RawRequest, RawResponse, ResponseContext } from './types.ts';
import { decodeUtf8, shapeOf } from './values.ts';
import { parseXmlDocument, readStructure } from './xml-reader.ts';
import { errorFields, errorStatus, escapeAttr, textElement, wireErrorCode, writeElement } from './xml-writer.ts';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const XML_TYPE = 'application/xml';
const NO_BODY = new Set([204, 304]);

function isS3(model: ServiceModel): boolean {
  return model.metadata.serviceId === 'S3';
}

/** Which error a body that is not well-formed XML (or does not fit the shapes) is. */
const malformedCodes = new WeakMap<ServiceModel, string>();

function malformedFactory(model: ServiceModel): () => AwsError {
  let code = malformedCodes.get(model);
  if (code === undefined) {
    code = isS3(model) ? 'MalformedXML' : ['MalformedXML', 'MalformedInput', 'InvalidInput', 'InvalidArgument'].find((c) => model.shapes[c]?.exception) ?? 'MalformedXML';
    malformedCodes.set(model, code);
  }
  const wire = code;
  return () => new AwsError(wire, 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

/**
 * The service's document namespace. botocore models put it on input payloads and operation
 * inputs only, so responses borrow it from there.
 */
const namespaces = new WeakMap<ServiceModel, { uri: string } | null>();

function serviceNamespace(model: ServiceModel): { uri: string } | undefined {
  let ns = namespaces.get(model);
  if (ns === undefined) {
    ns = model.metadata.xmlNamespace ? { uri: model.metadata.xmlNamespace } : null;
    for (const op of Object.values(model.operations)) {
      if (ns) break;
      const input = op.input;
      if (!input) continue;
      if (input.xmlNamespace && !input.xmlNamespace.prefix) ns = { uri: input.xmlNamespace.uri };
      else {
        const shape = model.shapes[input.shape];
        const payload = shape?.payload ? shape.members?.[shape.payload] : undefined;
        if (payload?.xmlNamespace && !payload.xmlNamespace.prefix) ns = { uri: payload.xmlNamespace.uri };
      }
    }
    namespaces.set(model, ns);
  }
  return ns ?? undefined;
}

async function bodyBuffer(body: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/** Raw payloads (blobs, strings, event streams) bypass XML in both directions. */
function isRawPayload(m: BoundMember): boolean {
  return m.shape.type !== 'structure' || m.ref.streaming === true || m.shape.streaming === true || m.shape.eventstream === true;
}

async function readPayload(req: RawRequest, model: ServiceModel, m: BoundMember): Promise<unknown> {
  if (m.shape.type === 'blob' || m.shape.eventstream || m.ref.streaming || m.shape.streaming) return req.body;
  const buf = await bodyBuffer(req.body);
  if (m.shape.type === 'string') return buf.length === 0 ? undefined : buf.toString('utf8');
  if (isBlank(buf)) return undefined;
  const malformed = malformedFactory(model);
  return readStructure(model, parseXmlDocument(decodeUtf8(buf, malformed), malformed), m.shape, malformed);
}

function rootElement(ref: ShapeRef, shape: Shape): string {
  return ref.locationName ?? shape.locationName ?? ref.shape;
}

/** A structure written as a whole document, in the service's namespace unless the model names one. */
function xmlDocument(model: ServiceModel, value: unknown, ref: ShapeRef, shape: Shape): string {
  const ns = ref.xmlNamespace ?? shape.xmlNamespace ?? serviceNamespace(model);
  return DECLARATION + writeElement(model, value, ns === ref.xmlNamespace ? ref : { ...ref, xmlNamespace: ns }, shape, rootElement(ref, shape));
}

function rawBody(value: unknown): RawResponse['body'] {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value as RawResponse['body'];
}

function baseHeaders(model: ServiceModel, ctx: ResponseContext): Record<string, string> {
  const headers: Record<string, string> = { 'x-amzn-requestid': ctx.requestId };
  if (isS3(model)) {
    headers['x-amz-request-id'] = ctx.requestId;
    headers['x-amz-id-2'] = hostId(ctx);
  }
  return headers;
}

/** S3's opaque `HostId` / `x-amz-id-2`; derived from the request id so that it is stable. */
function hostId(ctx: ResponseContext): string {
  return Buffer.from(`kumo/${ctx.requestId}`).toString('base64');
}

function withoutBody(op: OperationModel | undefined, status: number): boolean {
  return op?.http.method.toUpperCase() === 'HEAD' || NO_BODY.has(status);
}

export const restXmlCodec: ProtocolCodec = {
  name: 'rest-xml',

  async parseRequest(req, model, op) {
    const input = readRequestBindings(req, model, op, req.labels, isS3(model) ? 'InvalidArgument' : undefined);
    const plan = restShapePlan(model, op.input);
    if (!plan) return input;
    if (plan.payload) {
      const value = await readPayload(req, model, plan.payload);
      if (value !== undefined) input[plan.payload.name] = value;
    } else if (plan.body.length > 0) {
      const buf = await bodyBuffer(req.body);
      if (!isBlank(buf)) {
        const malformed = malformedFactory(model);
        Object.assign(input, readStructure(model, parseXmlDocument(decodeUtf8(buf, malformed), malformed), plan.shape, malformed));
      }
    }
    return input;
  },

  serializeResponse(output, model, op, ctx): RawResponse {
    const headers = baseHeaders(model, ctx);
    const plan = restShapePlan(model, op.output);
    const values = output ?? {};
    const status = writeResponseBindings(model, values, plan, headers) ?? op.http.responseCode ?? 200;
    let body: RawResponse['body'];
    if (plan?.payload) {
      const m = plan.payload;
      const value = values[m.name];
      if (value !== undefined && value !== null) {
        if (isRawPayload(m)) body = rawBody(value);
        else {
          body = xmlDocument(model, value, m.ref, m.shape);
          headers['content-type'] ??= XML_TYPE;
        }
      }
    } else if (plan && plan.body.length > 0 && op.output) {
      body = xmlDocument(model, values, op.output, shapeOf(model, op.output));
      headers['content-type'] ??= XML_TYPE;
    }
    if (withoutBody(op, status)) return { status, headers };
    return body === undefined ? { status, headers } : { status, headers, body };
  },

  serializeError(err, model, op, ctx): RawResponse {
    const headers = baseHeaders(model, ctx);
    const shape = model.shapes[err.code];
    if (shape?.exception) writeResponseBindings(model, err.fields, restShapePlan(model, { shape: err.code }), headers);
    Object.assign(headers, err.headers);
    const status = errorStatus(err, model);
    if (withoutBody(op, status)) return { status, headers };
    headers['content-type'] = XML_TYPE;
    const code = textElement('Code', wireErrorCode(err, model));
    const message = textElement('Message', err.message);
    const requestId = textElement('RequestId', ctx.requestId);
    let body: string;
    if (isS3(model)) {
      const resource = ctx.resource !== undefined && err.fields.Resource === undefined ? textElement('Resource', ctx.resource) : '';
      body = `${DECLARATION}<Error>${code}${message}${errorFields(err, model)}${resource}${requestId}${textElement('HostId', hostId(ctx))}</Error>`;
    } else {
      const ns = serviceNamespace(model);
      body =
        `${DECLARATION}<ErrorResponse${ns ? ` xmlns="${escapeAttr(ns.uri)}"` : ''}><Error>` +
        `<Type>${err.sender ? 'Sender' : 'Receiver'}</Type>${code}${message}${errorFields(err, model)}` +
        `</Error>${requestId}</ErrorResponse>`;
    }
    return { status, headers, body };
  },
};
