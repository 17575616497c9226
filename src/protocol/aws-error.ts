/**
 * The one error type handlers throw. Serializers render it in the protocol the client used.
 * `code` is the error shape name (e.g. `QueueDoesNotExist`, `NoSuchBucket`); serializers map
 * it to a wire code through the model when the model says so (query-compatible codes).
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra members of the error shape (e.g. S3 `BucketName`, DynamoDB `CancellationReasons`). */
  readonly fields: Record<string, unknown>;
  /** Extra response headers (e.g. `Retry-After`, S3 `x-amz-delete-marker`). */
  readonly headers: Record<string, string>;
  /** false for server-side faults (5xx, `Receiver` in query-protocol errors). */
  readonly sender: boolean;

  constructor(
    code: string,
    message: string,
    status = 400,
    fields: Record<string, unknown> = {},
    opts: { headers?: Record<string, string>; sender?: boolean } = {},
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fields = fields;
    this.headers = opts.headers ?? {};
    this.sender = opts.sender ?? status < 500;
  }
}

/** AWS's answer for an operation that exists in the model but kumo does not implement. */
export function notImplemented(service: string, operation: string): AwsError {
  return new AwsError(
    'NotImplemented',
    `The operation ${operation} of service ${service} is not implemented by kumo`,
    501,
  );
}

/** The generic Coral validation message most AWS services use for malformed input. */
export function validationError(message: string, code = 'ValidationException'): AwsError {
  return new AwsError(code, message, 400);
}
