import type { Readable } from 'node:stream';
import type { AwsError } from './aws-error.ts';
import type { OperationModel, ProtocolName, ServiceModel } from './model-types.ts';

/** What protocol code sees of an HTTP request. Header names are lower-case. */
export interface RawRequest {
  method: string;
  /** Raw (still percent-encoded) path, without the query string. */
  path: string;
  /** Raw query string without the leading `?` ('' when absent). */
  query: string;
  headers: Record<string, string>;
  /**
   * The decoded body (transfer and aws-chunked framing removed). A Buffer for ordinary
   * operations; a Readable for operations whose input payload is a streaming blob.
   */
  body: Buffer | Readable;
  /** Trailing headers of an aws-chunked body (e.g. `x-amz-checksum-crc32`), once the body is consumed. */
  trailers?: () => Record<string, string>;
  /** Host name the client used, without port. */
  hostname: string;
  /** Decoded URI labels found while routing a REST request, so that parsing does not match the path again. */
  labels?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string | Readable;
}

export interface ResponseContext {
  requestId: string;
  /** What the caller asked for, when the error concerns a resource (S3's `<Resource>`). */
  resource?: string;
}

/**
 * One wire protocol. Parsing turns a request into the operation's input object, with
 * timestamps as Date, blobs as Buffer, streaming payloads as Readable.
 * Serializing turns an output object (same conventions) or an AwsError into a response.
 */
export interface ProtocolCodec {
  readonly name: ProtocolName;
  /** For RPC protocols whose operation name is in the body or headers; REST protocols route by path. */
  operationName?(req: RawRequest, model: ServiceModel): string | undefined;
  parseRequest(req: RawRequest, model: ServiceModel, op: OperationModel): Promise<Record<string, unknown>>;
  /** parseRequest for a request whose body is a Buffer, where the codec needs no promise for it. */
  parseBuffered?(req: RawRequest & { body: Buffer }, model: ServiceModel, op: OperationModel): Record<string, unknown>;
  serializeResponse(output: Record<string, unknown>, model: ServiceModel, op: OperationModel, ctx: ResponseContext): RawResponse;
  serializeError(err: AwsError, model: ServiceModel, op: OperationModel | undefined, ctx: ResponseContext): RawResponse;
}
