/**
 * Bucket configurations that S3 stores and returns (validated as S3 does): default encryption,
 * public access block, ownership controls, website, logging, policy and policy status,
 * accelerate, request payment, replication.
 */
import type {
  DeleteBucketEncryptionRequest, DeleteBucketOwnershipControlsRequest, DeleteBucketPolicyRequest, DeleteBucketReplicationRequest,
  DeleteBucketWebsiteRequest, DeletePublicAccessBlockRequest, GetBucketAccelerateConfigurationOutput, GetBucketAccelerateConfigurationRequest,
  GetBucketEncryptionOutput, GetBucketEncryptionRequest, GetBucketLoggingOutput, GetBucketLoggingRequest, GetBucketOwnershipControlsOutput,
  GetBucketOwnershipControlsRequest, GetBucketPolicyOutput, GetBucketPolicyRequest, GetBucketPolicyStatusOutput, GetBucketPolicyStatusRequest,
  GetBucketReplicationOutput, GetBucketReplicationRequest, GetBucketRequestPaymentOutput, GetBucketRequestPaymentRequest, GetBucketWebsiteOutput,
  GetBucketWebsiteRequest, GetPublicAccessBlockOutput, GetPublicAccessBlockRequest, PublicAccessBlockConfiguration,
  PutBucketAccelerateConfigurationRequest, PutBucketEncryptionRequest, PutBucketLoggingRequest, PutBucketOwnershipControlsRequest,
  PutBucketPolicyRequest, PutBucketReplicationRequest, PutBucketRequestPaymentRequest, PutBucketWebsiteRequest, PutPublicAccessBlockRequest,
  ServerSideEncryptionConfiguration,
} from '../../generated/s3.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import type { ServiceState } from '../../state/types.ts';
import { invalidArgument, invalidRequest, malformedXml, missingConfig } from './errors.ts';
import { configKey } from './keys.ts';
import { getBucket, tables, type BucketRecord, type Ownership } from './store.ts';

export function getConfig<T>(state: ServiceState, bucket: string, kind: string): T | undefined {
  return tables.configs(state).get(configKey(bucket, kind)) as T | undefined;
}

function setConfig(state: ServiceState, bucket: string, kind: string, value: unknown): void {
  tables.configs(state).put(configKey(bucket, kind), value);
}

function dropConfig(state: ServiceState, bucket: string, kind: string): void {
  tables.configs(state).delete(configKey(bucket, kind));
}

// ---- default encryption (SSE-S3 when none is configured, as S3 applies to every bucket) ----

const SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

export function GetBucketEncryption(input: GetBucketEncryptionRequest, ctx: RequestContext): GetBucketEncryptionOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = getConfig<ServerSideEncryptionConfiguration>(ctx.state, bucket.name, 'encryption');
  return { ServerSideEncryptionConfiguration: conf ?? { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] } };
}

export function PutBucketEncryption(input: PutBucketEncryptionRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const rules = input.ServerSideEncryptionConfiguration?.Rules;
  if (!rules || rules.length !== 1) throw malformedXml();
  const d = rules[0]!.ApplyServerSideEncryptionByDefault;
  if (d) {
    if (!SSE_ALGORITHMS.has(d.SSEAlgorithm)) throw malformedXml();
    if (d.KMSMasterKeyID !== undefined && !d.SSEAlgorithm.startsWith('aws:kms')) {
      throw invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 'ApplyServerSideEncryptionByDefault', undefined);
    }
  }
  setConfig(ctx.state, bucket.name, 'encryption', input.ServerSideEncryptionConfiguration);
  return {};
}

export function DeleteBucketEncryption(input: DeleteBucketEncryptionRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  dropConfig(ctx.state, bucket.name, 'encryption');
  return {};
}

// ---- public access block (new buckets block all public access) ----

export const BLOCK_ALL: PublicAccessBlockConfiguration = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

export function GetPublicAccessBlock(input: GetPublicAccessBlockRequest, ctx: RequestContext): GetPublicAccessBlockOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = getConfig<PublicAccessBlockConfiguration>(ctx.state, bucket.name, 'public-access-block');
  if (!conf) throw missingConfig('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', bucket.name);
  return { PublicAccessBlockConfiguration: conf };
}

export function PutPublicAccessBlock(input: PutPublicAccessBlockRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const c = input.PublicAccessBlockConfiguration;
  if (!c) throw malformedXml();
  if (c.BlockPublicAcls === undefined && c.IgnorePublicAcls === undefined && c.BlockPublicPolicy === undefined && c.RestrictPublicBuckets === undefined) {
    throw invalidRequest('Must specify at least one configuration.');
  }
  setConfig(ctx.state, bucket.name, 'public-access-block', {
    BlockPublicAcls: c.BlockPublicAcls ?? false,
    IgnorePublicAcls: c.IgnorePublicAcls ?? false,
    BlockPublicPolicy: c.BlockPublicPolicy ?? false,
    RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
  });
  return {};
}

export function DeletePublicAccessBlock(input: DeletePublicAccessBlockRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  dropConfig(ctx.state, bucket.name, 'public-access-block');
  return {};
}

// ---- ownership controls ----

export function GetBucketOwnershipControls(input: GetBucketOwnershipControlsRequest, ctx: RequestContext): GetBucketOwnershipControlsOutput {
  const bucket = getBucket(ctx, input.Bucket);
  if (!bucket.ownership) throw missingConfig('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', bucket.name);
  return { OwnershipControls: { Rules: [{ ObjectOwnership: bucket.ownership }] } };
}

export function PutBucketOwnershipControls(input: PutBucketOwnershipControlsRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const rules = input.OwnershipControls?.Rules;
  const ownership = rules?.[0]?.ObjectOwnership as Ownership | undefined;
  if (!rules || rules.length !== 1 || !ownership || !['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'].includes(ownership)) throw malformedXml();
  tables.buckets(ctx.state).put(bucket.name, { ...bucket, ownership });
  return {};
}

export function DeleteBucketOwnershipControls(input: DeleteBucketOwnershipControlsRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const next: BucketRecord = { ...bucket };
  delete next.ownership;
  tables.buckets(ctx.state).put(bucket.name, next);
  return {};
}

// ---- website ----

export function GetBucketWebsite(input: GetBucketWebsiteRequest, ctx: RequestContext): GetBucketWebsiteOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = getConfig<GetBucketWebsiteOutput>(ctx.state, bucket.name, 'website');
  if (!conf) throw missingConfig('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', bucket.name);
  return conf;
}

export function PutBucketWebsite(input: PutBucketWebsiteRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = input.WebsiteConfiguration;
  if (!conf) throw malformedXml();
  if (conf.RedirectAllRequestsTo) {
    if (conf.IndexDocument || conf.ErrorDocument || conf.RoutingRules) {
      throw invalidArgument('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 'RedirectAllRequestsTo', undefined);
    }
    if (!conf.RedirectAllRequestsTo.HostName) throw malformedXml();
  } else if (!conf.IndexDocument?.Suffix) {
    throw invalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument', undefined);
  } else if (conf.IndexDocument.Suffix.includes('/')) {
    throw invalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', conf.IndexDocument.Suffix);
  }
  setConfig(ctx.state, bucket.name, 'website', conf);
  return {};
}

export function DeleteBucketWebsite(input: DeleteBucketWebsiteRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  dropConfig(ctx.state, bucket.name, 'website');
  return {};
}

// ---- logging ----

export function GetBucketLogging(input: GetBucketLoggingRequest, ctx: RequestContext): GetBucketLoggingOutput {
  const bucket = getBucket(ctx, input.Bucket);
  return getConfig<GetBucketLoggingOutput>(ctx.state, bucket.name, 'logging') ?? {};
}

export function PutBucketLogging(input: PutBucketLoggingRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const enabled = input.BucketLoggingStatus?.LoggingEnabled;
  if (!enabled) {
    dropConfig(ctx.state, bucket.name, 'logging');
    return {};
  }
  if (!enabled.TargetBucket || enabled.TargetPrefix === undefined) throw malformedXml();
  const target = tables.buckets(ctx.state).get(enabled.TargetBucket);
  if (!target) throw new AwsError('InvalidTargetBucketForLogging', 'The target bucket for logging does not exist', 400, { TargetBucket: enabled.TargetBucket });
  if (target.region !== bucket.region) throw new AwsError('CrossLocationLoggingProhibited', 'Cross S3 location logging not allowed. ', 403, { TargetBucketLocation: target.region });
  setConfig(ctx.state, bucket.name, 'logging', { LoggingEnabled: enabled });
  return {};
}

// ---- policy ----

function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicy', message, 400);
}

interface PolicyStatement {
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

function parsePolicy(text: string): { Statement: PolicyStatement[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!text.trimStart().startsWith('{') || typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  const statement = (doc as { Statement?: unknown }).Statement;
  if (statement === undefined) throw malformedPolicy('Missing required field Statement');
  const list = (Array.isArray(statement) ? statement : [statement]) as PolicyStatement[];
  for (const s of list) {
    if (typeof s !== 'object' || s === null) throw malformedPolicy('Policy has invalid action');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformedPolicy('Invalid effect: ' + String(s.Effect));
    if (s.Action === undefined && (s as { NotAction?: unknown }).NotAction === undefined) throw malformedPolicy('Missing required field Action');
    if (s.Principal === undefined && (s as { NotPrincipal?: unknown }).NotPrincipal === undefined) throw malformedPolicy('Missing required field Principal');
  }
  return { Statement: list };
}

export function GetBucketPolicy(input: GetBucketPolicyRequest, ctx: RequestContext): GetBucketPolicyOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const policy = getConfig<string>(ctx.state, bucket.name, 'policy');
  if (policy === undefined) throw missingConfig('NoSuchBucketPolicy', 'The bucket policy does not exist', bucket.name);
  return { Policy: policy };
}

export function PutBucketPolicy(input: PutBucketPolicyRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  if (!input.Policy) throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  parsePolicy(input.Policy);
  setConfig(ctx.state, bucket.name, 'policy', input.Policy);
  return {};
}

export function DeleteBucketPolicy(input: DeleteBucketPolicyRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  dropConfig(ctx.state, bucket.name, 'policy');
  return {};
}

/** A policy is public when an unconditioned Allow statement names everyone as principal. */
export function GetBucketPolicyStatus(input: GetBucketPolicyStatusRequest, ctx: RequestContext): GetBucketPolicyStatusOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const policy = getConfig<string>(ctx.state, bucket.name, 'policy');
  if (policy === undefined) throw missingConfig('NoSuchBucketPolicy', 'The bucket policy does not exist', bucket.name);
  const everyone = (p: unknown) => p === '*' || (typeof p === 'object' && p !== null && [(p as { AWS?: unknown }).AWS].flat().includes('*'));
  const isPublic = parsePolicy(policy).Statement.some((s) => s.Effect === 'Allow' && everyone(s.Principal) && s.Condition === undefined);
  return { PolicyStatus: { IsPublic: isPublic } };
}

// ---- accelerate, request payment ----

export function GetBucketAccelerateConfiguration(input: GetBucketAccelerateConfigurationRequest, ctx: RequestContext): GetBucketAccelerateConfigurationOutput {
  const bucket = getBucket(ctx, input.Bucket);
  return getConfig<GetBucketAccelerateConfigurationOutput>(ctx.state, bucket.name, 'accelerate') ?? {};
}

export function PutBucketAccelerateConfiguration(input: PutBucketAccelerateConfigurationRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const status = input.AccelerateConfiguration?.Status;
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  if (bucket.name.includes('.')) throw invalidRequest('S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
  setConfig(ctx.state, bucket.name, 'accelerate', { Status: status });
  return {};
}

export function GetBucketRequestPayment(input: GetBucketRequestPaymentRequest, ctx: RequestContext): GetBucketRequestPaymentOutput {
  const bucket = getBucket(ctx, input.Bucket);
  return getConfig<GetBucketRequestPaymentOutput>(ctx.state, bucket.name, 'request-payment') ?? { Payer: 'BucketOwner' };
}

export function PutBucketRequestPayment(input: PutBucketRequestPaymentRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const payer = input.RequestPaymentConfiguration?.Payer;
  if (payer !== 'BucketOwner' && payer !== 'Requester') throw malformedXml();
  setConfig(ctx.state, bucket.name, 'request-payment', { Payer: payer });
  return {};
}

// ---- replication (stored; kumo does not replicate) ----

export function GetBucketReplication(input: GetBucketReplicationRequest, ctx: RequestContext): GetBucketReplicationOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = getConfig<GetBucketReplicationOutput['ReplicationConfiguration']>(ctx.state, bucket.name, 'replication');
  if (!conf) throw missingConfig('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', bucket.name);
  return { ReplicationConfiguration: conf };
}

export function PutBucketReplication(input: PutBucketReplicationRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const conf = input.ReplicationConfiguration;
  if (!conf?.Role || !conf.Rules?.length) throw malformedXml();
  if (bucket.versioning !== 'Enabled') throw invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  setConfig(ctx.state, bucket.name, 'replication', conf);
  return {};
}

export function DeleteBucketReplication(input: DeleteBucketReplicationRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  dropConfig(ctx.state, bucket.name, 'replication');
  return {};
}
