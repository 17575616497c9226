/**
 * Smithy RPC v2 CBOR: `POST /service/{ServiceName}/operation/{Operation}` with
 * `smithy-protocol: rpc-v2-cbor`; bodies are CBOR maps of the operation's shapes, timestamps are
 * tag 1 epoch seconds and blobs byte strings.
 */
import { Encoder } from 'cbor-x';
import type { AwsError } from './aws-error.ts';
import {
  addHeaders, addQueryErrorHeader, bodyBuffer, decodeInput, encodeStructure, errorDocument, errorShape,
  errorStatus, serializationError, toBuffer, type WireFormat,
} from './json-family.ts';
import type { ServiceModel } from './model-types.ts';
import type { ProtocolCodec, RawResponse } from './types.ts';
import { shapeOf } from './values.ts';

/**
 * Plain CBOR only: maps decode to objects, and no records, string bundles or typed-array tags
 * (cbor-x extensions other decoders cannot read) are written.
 */
const cbor = new Encoder({ mapsAsObjects: true, useRecords: false, variableMapSize: true, tagUint8Array: false });

const cborWire: WireFormat = {
  readBlob(value) {
    if (value instanceof Uint8Array) return toBuffer(value);
    throw serializationError('Expected a CBOR byte string');
  },
  readTimestamp(value) {
    const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value * 1000) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw serializationError('Expected a CBOR epoch-seconds timestamp');
    return date;
  },
  readSpecialFloat: () => undefined,
  writeBlob: (value) => value,
  // cbor-x writes a Date as tag 1 epoch seconds; rpcv2Cbor ignores timestampFormat traits.
  writeTimestamp: (value) => value,
  writeSpecialFloat: (value) => value,
};

const OPERATION_PATH = /\/service\/([^/]+)\/operation\/([^/]+)$/;

function decodeCbor(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return cbor.decode(body);
  } catch (e) {
    throw serializationError(`Malformed CBOR body: ${(e as Error).message}`);
  }
}

function encodeCbor(value: unknown): Buffer {
  return cbor.encode(value);
}

function baseHeaders(requestId: string): Record<string, string> {
  return { 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-requestid': requestId };
}

function errorResponse(err: AwsError, model: ServiceModel, requestId: string): RawResponse {
  const shape = errorShape(model, err.code);
  const headers: Record<string, string> = { ...baseHeaders(requestId), 'content-type': 'application/cbor' };
  addQueryErrorHeader(headers, model, err, shape);
  addHeaders(headers, err.headers);
  return { status: errorStatus(err.status, shape), headers, body: encodeCbor(errorDocument(model, err, shape, cborWire)) };
}

export const cborCodec: ProtocolCodec = {
  name: 'smithy-rpc-v2-cbor',

  operationName(req, model) {
    const m = OPERATION_PATH.exec(req.path);
    if (!m || m[1] !== model.metadata.targetPrefix) return undefined;
    return Object.hasOwn(model.operations, m[2]!) ? m[2] : undefined;
  },

  async parseRequest(req, model, op) {
    const doc = decodeCbor(await bodyBuffer(req.body));
    return op.input ? decodeInput(model, shapeOf(model, op.input), doc, cborWire) : {};
  },

  serializeResponse(output, model, op, ctx) {
    const headers = baseHeaders(ctx.requestId);
    // An operation without output answers an empty body; one with an output shape, a map.
    if (!op.output) return { status: 200, headers };
    const body = encodeStructure(model, shapeOf(model, op.output), output ?? {}, cborWire);
    return { status: 200, headers: { ...headers, 'content-type': 'application/cbor' }, body: encodeCbor(body) };
  },

  serializeError(err, model, _op, ctx) {
    return errorResponse(err, model, ctx.requestId);
  },
};
