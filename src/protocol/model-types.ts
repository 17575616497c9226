/**
 * Compact AWS service model: botocore's service-2.json shape format with documentation,
 * examples and deprecation text removed (see scripts/gen-models.py). Parsers and
 * serializers interpret these shapes exactly as botocore does.
 */
export type ProtocolName = 'query' | 'ec2' | 'json' | 'rest-json' | 'rest-xml' | 'smithy-rpc-v2-cbor';

export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: ProtocolName;
  /** Every protocol the service speaks, preferred first (e.g. SQS: json, query). */
  protocols?: ProtocolName[];
  serviceId: string;
  signingName?: string;
  targetPrefix?: string;
  jsonVersion?: string;
  xmlNamespace?: string;
  globalEndpoint?: string;
  awsQueryCompatible?: Record<string, never>;
  serviceFullName?: string;
  uid?: string;
}

export interface HttpTrait {
  method: string;
  requestUri: string;
  responseCode?: number;
}

export interface ShapeRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  queryName?: string;
  xmlNamespace?: { prefix?: string; uri: string };
  xmlAttribute?: boolean;
  flattened?: boolean;
  jsonvalue?: boolean;
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  eventpayload?: boolean;
  streaming?: boolean;
  timestampFormat?: TimestampFormat;
  contextParam?: unknown;
  resultWrapper?: string;
}

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

export type ShapeType =
  | 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double'
  | 'boolean' | 'timestamp' | 'blob' | 'bigdecimal' | 'biginteger';

export interface Shape {
  type: ShapeType;
  members?: Record<string, ShapeRef>;
  required?: string[];
  payload?: string;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  flattened?: boolean;
  locationName?: string;
  xmlNamespace?: { prefix?: string; uri: string };
  timestampFormat?: TimestampFormat;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  streaming?: boolean;
  requiresLength?: boolean;
  eventstream?: boolean;
  event?: boolean;
  exception?: boolean;
  fault?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  document?: boolean;
  union?: boolean;
  sensitive?: boolean;
  wrapper?: boolean;
}

export interface OperationModel {
  name: string;
  http: HttpTrait;
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
  endpoint?: { hostPrefix?: string };
  httpChecksum?: {
    requestChecksumRequired?: boolean;
    requestAlgorithmMember?: string;
    requestValidationModeMember?: string;
    responseAlgorithms?: string[];
  };
  httpChecksumRequired?: boolean;
  /** Smithy requestCompression: clients may gzip the body (CloudWatch PutMetricData). */
  requestcompression?: { encodings: string[] };
  authtype?: string;
  auth?: string[];
}

export interface ServiceModel {
  /** kumo's id for the service: botocore's data folder name (sqs, s3, logs, ...). */
  id: string;
  metadata: ServiceMetadata;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** One line per service in models/index.json: enough to route without loading the model. */
export interface ServiceIndexEntry {
  id: string;
  apiVersion: string;
  protocols: ProtocolName[];
  signingName: string;
  endpointPrefix: string;
  targetPrefix?: string;
  jsonVersion?: string;
  serviceId: string;
  /** Smithy service shape name, the <svc> segment of rpc-v2-cbor paths. */
  smithyName?: string;
  awsQueryCompatible?: boolean;
  global?: boolean;
}
