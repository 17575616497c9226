/**
 * awsJson 1.0 / 1.1: the operation is named by `X-Amz-Target: {targetPrefix}.{Operation}` and
 * input and output are JSON documents of the operation's shapes.
 */
import type { AwsError } from './aws-error.ts';
import {
  addHeaders, addQueryErrorHeader, bodyBuffer, decodeInput, encodeStructure, errorDocument, errorShape,
  errorStatus, serializationError, type WireFormat,
} from './json-family.ts';
import type { ServiceModel } from './model-types.ts';
import type { ProtocolCodec, RawResponse } from './types.ts';
import { decodeUtf8, formatTimestamp, parseTimestamp, shapeOf } from './values.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const jsonWire: WireFormat = {
  readBlob(value) {
    if (typeof value !== 'string') throw serializationError('only base-64-encoded strings are convertible to bytes');
    if (value.length % 4 !== 0) {
      throw serializationError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
    }
    if (!BASE64.test(value)) throw serializationError('Invalid Base64 character');
    return Buffer.from(value, 'base64');
  },
  readTimestamp(value, field) {
    if (typeof value === 'number' || typeof value === 'string') return parseTimestamp(value, field);
    throw serializationError(`${value === true ? 'TRUE_VALUE' : value === false ? 'FALSE_VALUE' : 'VALUE'} cannot be converted to Date`);
  },
  readSpecialFloat(value) {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    return undefined;
  },
  writeBlob: (value) => value.toString('base64'),
  writeTimestamp: (value, format) => formatTimestamp(value, format),
  writeSpecialFloat: (value) => (Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'),
};

/** Parses a JSON request body; an empty body is an empty object. */
export function parseJsonDocument(body: Buffer): unknown {
  const text = decodeUtf8(body, () => serializationError('Request body is not valid UTF-8'));
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    // DynamoDB and the other Coral services answer malformed JSON with a bare type, no message.
    throw serializationError('');
  }
}

function contentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
}

/** Error body `{"__type": Code, "message": ...}` plus the error's fields, and `x-amzn-ErrorType`. */
function jsonErrorResponse(err: AwsError, model: ServiceModel, requestId: string, contentTypeValue: string): RawResponse {
  const shape = errorShape(model, err.code);
  const headers: Record<string, string> = {
    'content-type': contentTypeValue,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': err.code,
  };
  addQueryErrorHeader(headers, model, err, shape);
  addHeaders(headers, err.headers);
  const body = errorDocument(model, err, shape, jsonWire);
  return { status: errorStatus(err.status, shape), headers, body: JSON.stringify(body) };
}

export const jsonCodec: ProtocolCodec = {
  name: 'json',

  operationName(req, model) {
    const target = req.headers['x-amz-target'];
    if (!target) return undefined;
    const dot = target.lastIndexOf('.');
    if (dot < 0 || target.slice(0, dot) !== model.metadata.targetPrefix) return undefined;
    const name = target.slice(dot + 1);
    return Object.hasOwn(model.operations, name) ? name : undefined;
  },

  async parseRequest(req, model, op) {
    return jsonCodec.parseBuffered!({ ...req, body: await bodyBuffer(req.body) }, model, op);
  },

  parseBuffered(req, model, op) {
    const doc = parseJsonDocument(req.body);
    const shape = op.input && shapeOf(model, op.input);
    return shape ? decodeInput(model, shape, doc, jsonWire) : {};
  },

  serializeResponse(output, model, op, ctx) {
    const shape = op.output && shapeOf(model, op.output);
    const body = shape ? encodeStructure(model, shape, output ?? {}, jsonWire) : {};
    return {
      status: 200,
      headers: { 'content-type': contentType(model), 'x-amzn-requestid': ctx.requestId },
      body: JSON.stringify(body),
    };
  },

  serializeError(err, model, _op, ctx) {
    return jsonErrorResponse(err, model, ctx.requestId, contentType(model));
  },
};
