/**
 * What the Lambda service persists, per account and region. Tables (keys):
 * - `functions` (name): the function with its `$LATEST` configuration, tags, concurrency.
 * - `versions` (`name/0000000001`): published versions, immutable.
 * - `aliases` (`name/alias`), `policies` (`name/qualifier`, `$LATEST` for none),
 *   `invokeConfigs` and `urls` (`name/qualifier`), `provisioned` (`name/qualifier`).
 * - `layers` (`layer/0000000001`) and `layerNames` (layer -> last version number issued).
 * - `mappings` (uuid): event source mappings.
 * Code and layer zips are blobs; processes and extracted trees are derived, rebuilt lazily.
 */
import type { BlobRef } from '../../state/types.ts';

export interface CodeRef {
  blob: BlobRef;
  /** Base64 SHA-256 of the zip, as Lambda reports it. */
  sha256: string;
  size: number;
}

export interface LayerRef {
  arn: string;
  codeSize: number;
  /** The layer version's code, copied so that deleting the layer version does not break the function. */
  code: CodeRef;
}

export interface VersionRecord {
  name: string;
  /** `$LATEST` or a published version number. */
  version: string;
  runtime?: string;
  handler?: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment?: Record<string, string>;
  layers: LayerRef[];
  code: CodeRef;
  lastModified: number;
  revisionId: string;
  architectures: string[];
  ephemeralStorage: number;
  tracingMode: string;
  logFormat: string;
  logGroup: string;
  applicationLogLevel?: string;
  systemLogLevel?: string;
  deadLetterArn?: string;
  kmsKeyArn?: string;
  /** Published versions: the `$LATEST` revision they were made from (an unchanged function publishes nothing new). */
  fromRevision?: string;
}

export interface FunctionRecord {
  name: string;
  latest: VersionRecord;
  /** Highest version number published (versions are never reused). */
  lastVersion: number;
  tags: Record<string, string>;
  reservedConcurrency?: number;
}

export interface AliasRecord {
  name: string;
  functionName: string;
  functionVersion: string;
  description: string;
  weights?: Record<string, number>;
  revisionId: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | Record<string, string>;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyRecord {
  statements: PolicyStatement[];
  revisionId: string;
}

export interface LayerVersionRecord {
  name: string;
  version: number;
  description: string;
  created: number;
  code: CodeRef;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  policy?: PolicyRecord;
}

export interface DestinationsRecord {
  onSuccess?: string;
  onFailure?: string;
}

export interface InvokeConfigRecord {
  functionArn: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  destinations: DestinationsRecord;
  lastModified: number;
}

export interface UrlConfigRecord {
  functionName: string;
  qualifier?: string;
  urlId: string;
  authType: string;
  invokeMode: string;
  cors?: Record<string, unknown>;
  created: number;
  lastModified: number;
}

export interface ProvisionedRecord {
  requested: number;
  lastModified: number;
}

export interface MappingRecord {
  uuid: string;
  account: string;
  region: string;
  functionName: string;
  /** Qualifier the mapping invokes (alias or version), if any. */
  qualifier?: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  enabled: boolean;
  startingPosition?: string;
  startingPositionTimestamp?: number;
  functionResponseTypes: string[];
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  onFailure?: string;
  maximumConcurrency?: number;
  filterPatterns?: string[];
  lastModified: number;
  /** DynamoDB streams: the last sequence counter delivered. */
  position?: number;
  tags?: Record<string, string>;
}

export const pad = (n: number): string => String(n).padStart(10, '0');
