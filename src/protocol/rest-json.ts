/**
 * restJson1: members bound to the uri, query string and headers (rest-bindings.ts), the rest in a
 * JSON body, or the body is one payload member (a JSON structure or document, raw bytes, text).
 */
import { Readable } from 'node:stream';
import { jsonWire, parseJsonDocument } from './json.ts';
import {
  addHeaders, bodyBuffer, decodeInput, encodeStructure, errorFields, errorShape, errorStatus,
  messageKey, toBuffer,
} from './json-family.ts';
import type { ServiceModel } from './model-types.ts';
import { readRequestBindings, restShapePlan, writeResponseBindings, type BoundMember } from './rest-bindings.ts';
import type { ProtocolCodec, RawRequest, RawResponse } from './types.ts';

async function readPayload(req: RawRequest, model: ServiceModel, payload: BoundMember): Promise<unknown> {
  const { shape } = payload;
  if (shape.type === 'blob' && (payload.ref.streaming || shape.streaming)) return req.body;
  const buf = await bodyBuffer(req.body);
  if (buf.length === 0) return undefined;
  if (shape.type === 'blob') return buf;
  if (shape.type === 'string') return buf.toString('utf8');
  const doc = parseJsonDocument(buf);
  return shape.document ? doc : decodeInput(model, shape, doc, jsonWire);
}

/** A payload member's body and its default content type (a bound Content-Type member wins). */
function writePayload(model: ServiceModel, payload: BoundMember, value: unknown): { body: RawResponse['body']; type: string } | undefined {
  if (value === undefined || value === null) return undefined;
  const { shape } = payload;
  if (shape.type === 'blob') {
    const body = value instanceof Readable || typeof value === 'string' ? value : toBuffer(value);
    return { body, type: 'application/octet-stream' };
  }
  if (shape.type === 'string') return { body: String(value), type: 'text/plain' };
  const doc = shape.document ? value : encodeStructure(model, shape, value as Record<string, unknown>, jsonWire);
  return { body: JSON.stringify(doc), type: 'application/json' };
}

/** Statuses whose responses carry no body by definition. */
const NO_BODY = new Set([204, 304]);

export const restJsonCodec: ProtocolCodec = {
  name: 'rest-json',

  async parseRequest(req, model, op) {
    const input = readRequestBindings(req, model, op, req.labels);
    const plan = restShapePlan(model, op.input);
    if (!plan) return input;
    if (plan.payload) {
      const value = await readPayload(req, model, plan.payload);
      if (value !== undefined) input[plan.payload.name] = value;
    } else if (plan.body.length) {
      const doc = parseJsonDocument(await bodyBuffer(req.body));
      Object.assign(input, decodeInput(model, plan.shape, doc, jsonWire));
    }
    return input;
  },

  serializeResponse(output, model, op, ctx) {
    const headers: Record<string, string> = { 'x-amzn-requestid': ctx.requestId };
    const plan = restShapePlan(model, op.output);
    const values = output ?? {};
    const status = writeResponseBindings(model, values, plan, headers) ?? op.http.responseCode ?? 200;
    let body: RawResponse['body'];
    if (plan?.payload) {
      const written = writePayload(model, plan.payload, values[plan.payload.name]);
      if (written) {
        body = written.body;
        headers['content-type'] ??= written.type;
      }
    } else if (plan?.body.length) {
      body = JSON.stringify(encodeStructure(model, plan.shape, values, jsonWire));
      headers['content-type'] ??= 'application/json';
    }
    if (NO_BODY.has(status)) {
      body = undefined;
      delete headers['content-type'];
    }
    return body === undefined ? { status, headers } : { status, headers, body };
  },

  serializeError(err, model, _op, ctx) {
    const shape = errorShape(model, err.code);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': ctx.requestId,
      'x-amzn-errortype': err.code,
    };
    if (shape) writeResponseBindings(model, err.fields, restShapePlan(model, { shape: err.code }), headers);
    addHeaders(headers, err.headers);
    const body: Record<string, unknown> = {};
    if (err.message) body[messageKey(shape)] = err.message;
    Object.assign(body, errorFields(model, shape, err.fields, jsonWire));
    return { status: errorStatus(err.status, shape), headers, body: JSON.stringify(body) };
  },
};
