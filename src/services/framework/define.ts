import type { Clock, Ids, Scheduler, ServiceState, Table } from '../../state/types.ts';

export { AwsError, notImplemented, validationError } from '../../protocol/aws-error.ts';

/** Everything a handler may touch. Services never see HTTP, the filesystem, Date.now() or Math.random(). */
export interface RequestContext {
  service: string;
  operation: string;
  account: string;
  region: string;
  requestId: string;
  /** The caller's access key id, when the request was signed. */
  accessKeyId?: string;
  /** Who the access key belongs to, when a service that issues credentials (IAM, STS) knows it. */
  caller?: CallerIdentity;
  /** Scheme, host and port the client used, e.g. `http://localhost:4566` (for queue URLs, presigned URLs). */
  endpoint: string;
  /** Protocol the request arrived in (some services answer differently per protocol). */
  protocol: string;
  clock: Clock;
  scheduler: Scheduler;
  ids: Ids;
  /** A table of this service scoped to (account, region) — or to the account for global services. */
  table<V>(name: string): Table<V>;
  /** The service's whole state, across scopes (S3 bucket names are global, for example). */
  state: ServiceState;
  /** The internal APIs other services expose (in-process, never loopback HTTP). */
  services: InternalServices;
  /** Trailing headers of an aws-chunked body (e.g. `x-amz-checksum-crc32`); complete once the input stream has ended. */
  trailers?: () => Record<string, string>;
  /** Configuration services may act on (never read from env by services themselves). */
  settings?: ServiceSettings;
  /**
   * The request as the client sent it (path before S3's virtual-host rewrite, raw query, lower-case
   * headers), for what only the wire can answer: SigV4 signature checks of presigned URLs.
   */
  rawRequest?: { method: string; path: string; query: string; headers: Readonly<Record<string, string>> };
}

export interface ServiceSettings {
  /** KUMO_S3_VERIFY_SIGNATURES: verify SigV4 signatures of S3 presigned URLs and POST uploads. */
  s3VerifySignatures: boolean;
  /** KUMO_S3_CREDENTIALS: secret access key by access key id, for those checks. */
  s3Credentials: Readonly<Record<string, string>>;
}

/** What a service's CORS hook sees: the Origin, and the method asked for (the preflight's Access-Control-Request-Method). */
export interface CorsRequest {
  origin: string;
  method: string;
  /** Path-style path (S3 virtual-host requests already rewritten). */
  path: string;
  headers: Readonly<Record<string, string>>;
  preflight: boolean;
}

/** The principal behind an access key issued by kumo (IAM user keys, STS temporary credentials). */
export interface CallerIdentity {
  account: string;
  /** `arn:aws:iam::<acct>:user/<name>`, `arn:aws:sts::<acct>:assumed-role/<role>/<session>`, ... */
  arn: string;
  /** GetCallerIdentity's UserId: `AIDA...`, `AROA...:<session>`, `<acct>:<name>`. */
  userId: string;
}

/** Filled as services register `internal` APIs; typed by each service's own export. */
export type InternalServices = Record<string, Record<string, (...args: never[]) => unknown> | undefined>;

export type Handler<I = any, O = any> = (input: I, ctx: RequestContext) => O | Promise<O>;

/** What a service's lifecycle hooks see: no request, every scope. */
export interface ServiceRuntime {
  service: string;
  state: ServiceState;
  clock: Clock;
  scheduler: Scheduler;
  ids: Ids;
  services: InternalServices;
  /** kumo's own endpoint (`http://127.0.0.1:4566`) once it listens, '' before: for processes kumo starts (Lambda functions). */
  endpoint: () => string;
  /**
   * A context for running this service's own handlers outside a request, in one account and
   * region (internal APIs: another service invokes a function, publishes to a topic, ...).
   */
  contextFor(account: string, region: string, operation: string): RequestContext;
}

export type InternalApi = Record<string, (...args: never[]) => unknown>;

export interface ServiceDefinition {
  /** Model id (botocore data folder name): `sqs`, `s3`, `dynamodb`, `logs`, ... */
  name: string;
  /** IAM-style services are global: their tables are scoped per account only. */
  global?: boolean;
  operations: Record<string, Handler>;
  /**
   * What other services may call in-process. A function of the runtime binds the API to this
   * kumo instance (preferred: several kumos can run in one process).
   */
  internal?: InternalApi | ((rt: ServiceRuntime) => InternalApi);
  /**
   * For services that issue credentials: who an access key id belongs to, or undefined when the
   * service did not issue it. The dispatcher asks every loaded service before falling back to
   * the 12-digit-key convention, so the key selects the account of the identity it was issued to.
   */
  identity?(accessKeyId: string, rt: ServiceRuntime): CallerIdentity | undefined;
  /**
   * `model` (default): the dispatcher checks required members, lengths, ranges and patterns
   * from the model with AWS's generic messages. `none`: the service validates itself, for
   * services whose messages differ from the generic ones.
   */
  validation?: 'model' | 'none';
  /**
   * Called after state is loaded (start, reset, snapshot load): rebuild derived structures
   * (indexes, visibility heaps, timers) from tables. Must not write.
   */
  init?(rt: ServiceRuntime): void | Promise<void>;
  /** Called when kumo stops: release what the service holds outside the state engine (child processes, servers). */
  close?(rt: ServiceRuntime): void | Promise<void>;
  /**
   * Read-only inspection endpoints: `GET /kumo/<service>/<route>?query` answers the returned
   * value as JSON (e.g. SQS's peek at messages without changing visibility), or an
   * InspectionFile as is. Throw AwsError for 4xx.
   */
  inspect?: Record<string, (query: URLSearchParams, rt: ServiceRuntime) => unknown | Promise<unknown>>;
  /**
   * Browser origins kumo itself does not allow may still be allowed by the service's own rules
   * (S3 bucket CORS configurations). Returns the CORS response headers when they allow the
   * request (preflight or actual), undefined to refuse it.
   */
  cors?(req: CorsRequest, rt: ServiceRuntime): Record<string, string> | undefined;
}

/** An inspection answer that is not JSON (SNS's signing certificate). */
export class InspectionFile {
  constructor(readonly contentType: string, readonly body: string) {}
}

export function defineService(def: ServiceDefinition): ServiceDefinition {
  return def;
}
