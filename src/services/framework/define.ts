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
}

export interface ServiceDefinition {
  /** Model id (botocore data folder name): `sqs`, `s3`, `dynamodb`, `logs`, ... */
  name: string;
  /** IAM-style services are global: their tables are scoped per account only. */
  global?: boolean;
  operations: Record<string, Handler>;
  internal?: Record<string, (...args: never[]) => unknown>;
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
  /**
   * Read-only inspection endpoints: `GET /kumo/<service>/<route>?query` answers the returned
   * value as JSON (e.g. SQS's peek at messages without changing visibility). Throw AwsError for 4xx.
   */
  inspect?: Record<string, (query: URLSearchParams, rt: ServiceRuntime) => unknown | Promise<unknown>>;
}

export function defineService(def: ServiceDefinition): ServiceDefinition {
  return def;
}
