/** Event source mappings (SQS queues, DynamoDB streams): configuration, stored per uuid. */
import type {
  CreateEventSourceMappingRequest, DeleteEventSourceMappingRequest, EventSourceMappingConfiguration, GetEventSourceMappingRequest,
  ListEventSourceMappingsRequest, ListEventSourceMappingsResponse, UpdateEventSourceMappingRequest,
} from '../../generated/lambda.ts';
import type { Clock } from '../../state/types.ts';
import type { RequestContext } from '../framework/define.ts';
import { conflict, invalidParameter, notFound } from './errors.ts';
import { functionRef, requireFunction } from './functions.ts';
import { functionArn, partition } from './names.ts';
import { pageOf } from './paging.ts';
import type { MappingRecord } from './records.ts';
import { syncPollers } from './pollers.ts';
import { runtimeOf, scopeOf, type LambdaScope } from './store.ts';
import { resolveVersion } from './versions.ts';

type SourceKind = 'sqs' | 'dynamodb';

function kindOf(arn: string): SourceKind {
  if (/^arn:aws[a-zA-Z-]*:sqs:/.test(arn)) return 'sqs';
  if (/^arn:aws[a-zA-Z-]*:dynamodb:[^:]+:\d{12}:table\/[^/]+\/stream\//.test(arn)) return 'dynamodb';
  throw invalidParameter(`kumo supports event source mappings from SQS queues and DynamoDB streams; ${arn} is neither`);
}

export function mappingArn(rec: MappingRecord): string {
  return `arn:${partition(rec.region)}:lambda:${rec.region}:${rec.account}:event-source-mapping:${rec.uuid}`;
}

export function mappingConfiguration(rec: MappingRecord): EventSourceMappingConfiguration {
  const scope = { account: rec.account, region: rec.region };
  const out: EventSourceMappingConfiguration = {
    UUID: rec.uuid,
    EventSourceArn: rec.eventSourceArn,
    EventSourceMappingArn: mappingArn(rec),
    FunctionArn: functionArn(scope, rec.functionName, rec.qualifier),
    BatchSize: rec.batchSize,
    MaximumBatchingWindowInSeconds: rec.maximumBatchingWindowInSeconds,
    FunctionResponseTypes: [...rec.functionResponseTypes] as EventSourceMappingConfiguration['FunctionResponseTypes'],
    LastModified: new Date(rec.lastModified),
    LastProcessingResult: 'No records processed',
    State: rec.enabled ? 'Enabled' : 'Disabled',
    StateTransitionReason: 'USER_INITIATED',
  };
  if (rec.startingPosition) out.StartingPosition = rec.startingPosition as EventSourceMappingConfiguration['StartingPosition'];
  if (rec.startingPositionTimestamp !== undefined) out.StartingPositionTimestamp = new Date(rec.startingPositionTimestamp);
  if (rec.maximumRetryAttempts !== undefined) out.MaximumRetryAttempts = rec.maximumRetryAttempts;
  if (rec.maximumRecordAgeInSeconds !== undefined) out.MaximumRecordAgeInSeconds = rec.maximumRecordAgeInSeconds;
  if (rec.bisectBatchOnFunctionError !== undefined) out.BisectBatchOnFunctionError = rec.bisectBatchOnFunctionError;
  if (rec.onFailure) out.DestinationConfig = { OnFailure: { Destination: rec.onFailure } };
  if (rec.maximumConcurrency !== undefined) out.ScalingConfig = { MaximumConcurrency: rec.maximumConcurrency };
  if (rec.filterPatterns) out.FilterCriteria = { Filters: rec.filterPatterns.map((Pattern) => ({ Pattern })) };
  return out;
}

type Settings = Partial<Pick<CreateEventSourceMappingRequest,
  'BatchSize' | 'MaximumBatchingWindowInSeconds' | 'Enabled' | 'FunctionResponseTypes' | 'MaximumRetryAttempts' |
  'MaximumRecordAgeInSeconds' | 'BisectBatchOnFunctionError' | 'DestinationConfig' | 'ScalingConfig' | 'FilterCriteria'>>;

/** Applies settings with the limits AWS enforces per source kind. */
function apply(rec: MappingRecord, kind: SourceKind, s: Settings): MappingRecord {
  const out = { ...rec };
  if (s.BatchSize !== undefined) out.batchSize = s.BatchSize;
  if (s.MaximumBatchingWindowInSeconds !== undefined) out.maximumBatchingWindowInSeconds = s.MaximumBatchingWindowInSeconds;
  if (s.Enabled !== undefined) out.enabled = s.Enabled;
  if (s.FunctionResponseTypes !== undefined) out.functionResponseTypes = [...s.FunctionResponseTypes];
  if (s.FilterCriteria !== undefined) out.filterPatterns = (s.FilterCriteria.Filters ?? []).map((f) => f.Pattern ?? '');
  if (kind === 'sqs') {
    // An empty ScalingConfig removes the maximum, as in AWS.
    if (s.ScalingConfig !== undefined) {
      if (s.ScalingConfig.MaximumConcurrency !== undefined) out.maximumConcurrency = s.ScalingConfig.MaximumConcurrency;
      else delete out.maximumConcurrency;
    }
    const max = out.maximumBatchingWindowInSeconds > 0 ? 10000 : 10;
    if (out.batchSize > max) {
      throw invalidParameter(out.maximumBatchingWindowInSeconds > 0
        ? 'Maximum batch size for SQS is 10000.'
        : 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    }
    for (const k of ['MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'DestinationConfig'] as const) {
      if (s[k] !== undefined) throw invalidParameter(`Unsupported ${k} parameter for the given event source.`);
    }
  } else {
    if (out.batchSize > 10000) throw invalidParameter('Maximum batch size for DynamoDB streams is 10000.');
    if (s.ScalingConfig !== undefined) throw invalidParameter('Unsupported ScalingConfig parameter for the given event source.');
    if (s.MaximumRetryAttempts !== undefined) out.maximumRetryAttempts = s.MaximumRetryAttempts;
    if (s.MaximumRecordAgeInSeconds !== undefined) out.maximumRecordAgeInSeconds = s.MaximumRecordAgeInSeconds;
    if (s.BisectBatchOnFunctionError !== undefined) out.bisectBatchOnFunctionError = s.BisectBatchOnFunctionError;
    if (s.DestinationConfig?.OnFailure !== undefined) out.onFailure = s.DestinationConfig.OnFailure.Destination || undefined;
  }
  return out;
}

type QueueExists = (caller: { clock: Clock }, arn: string) => boolean;
type DescribeStream = (caller: { clock: Clock; account: string; region: string }, arn: string) => unknown;

function checkSource(ctx: RequestContext, kind: SourceKind, arn: string): void {
  if (kind === 'sqs') {
    const exists = ctx.services.sqs?.queueExists as QueueExists | undefined;
    if (!exists?.(ctx, arn)) {
      throw invalidParameter('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist for this wsdl version.');
    }
  } else {
    const describe = ctx.services.dynamodb?.describeStream as DescribeStream | undefined;
    if (!describe?.(ctx, arn)) throw invalidParameter(`Stream not found: ${arn}`);
  }
}

function requireMapping(scope: LambdaScope, uuid: string): MappingRecord {
  const rec = scope.mappings.get(uuid);
  if (!rec || rec.account !== scope.account || rec.region !== scope.region) {
    throw notFound(`The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${uuid})`);
  }
  return rec;
}

export function CreateEventSourceMapping(input: CreateEventSourceMappingRequest, ctx: RequestContext): EventSourceMappingConfiguration {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName);
  const fn = requireFunction(scope, ref, input.FunctionName);
  if (ref!.qualifier !== undefined) resolveVersion(scope, fn, ref!.qualifier);
  const source = input.EventSourceArn;
  if (!source) throw invalidParameter('Unrecognized event source, must be kafka, mq, or documentdb when EventSourceArn is not specified.');
  const kind = kindOf(source);
  if (kind === 'sqs' && input.StartingPosition !== undefined) throw invalidParameter('Unsupported starting position for the given event source.');
  if (kind === 'dynamodb' && input.StartingPosition === undefined) throw invalidParameter('1 validation error detected: Value null at \'startingPosition\' failed to satisfy constraint: Member must not be null.');
  checkSource(ctx, kind, source);
  for (const [, m] of scope.mappings.entries()) {
    if (m.account === ctx.account && m.region === ctx.region && m.eventSourceArn === source && m.functionName === fn.name && m.qualifier === ref!.qualifier) {
      throw conflict(`An event source mapping with ${kind === 'sqs' ? 'SQS' : 'event source'} arn (" ${source} ") and function (" ${fn.name} ") already exists. Please update or delete the existing mapping with UUID ${m.uuid}`);
    }
  }
  const base: MappingRecord = {
    uuid: ctx.ids.uuid(),
    account: ctx.account,
    region: ctx.region,
    functionName: fn.name,
    qualifier: ref!.qualifier,
    eventSourceArn: source,
    batchSize: kind === 'sqs' ? 10 : 100,
    maximumBatchingWindowInSeconds: 0,
    enabled: true,
    functionResponseTypes: [],
    lastModified: ctx.clock.now(),
  };
  if (base.qualifier === undefined) delete base.qualifier;
  if (input.StartingPosition) base.startingPosition = input.StartingPosition;
  if (input.StartingPositionTimestamp) base.startingPositionTimestamp = new Date(input.StartingPositionTimestamp).getTime();
  if (input.Tags) base.tags = { ...input.Tags };
  const rec = apply(base, kind, input);
  scope.mappings.put(rec.uuid, rec);
  syncPollers(runtimeOf(ctx));
  return mappingConfiguration(rec);
}

export function GetEventSourceMapping(input: GetEventSourceMappingRequest, ctx: RequestContext): EventSourceMappingConfiguration {
  return mappingConfiguration(requireMapping(scopeOf(ctx), input.UUID));
}

export function UpdateEventSourceMapping(input: UpdateEventSourceMappingRequest, ctx: RequestContext): EventSourceMappingConfiguration {
  const scope = scopeOf(ctx);
  const rec = requireMapping(scope, input.UUID);
  let next = apply(rec, kindOf(rec.eventSourceArn), input);
  if (input.FunctionName !== undefined) {
    const ref = functionRef(ctx, input.FunctionName);
    const fn = requireFunction(scope, ref, input.FunctionName);
    if (ref!.qualifier !== undefined) resolveVersion(scope, fn, ref!.qualifier);
    next = { ...next, functionName: fn.name, qualifier: ref!.qualifier };
    if (next.qualifier === undefined) delete next.qualifier;
  }
  next.lastModified = ctx.clock.now();
  scope.mappings.put(rec.uuid, next);
  syncPollers(runtimeOf(ctx));
  return mappingConfiguration(next);
}

export function DeleteEventSourceMapping(input: DeleteEventSourceMappingRequest, ctx: RequestContext): EventSourceMappingConfiguration {
  const scope = scopeOf(ctx);
  const rec = requireMapping(scope, input.UUID);
  scope.mappings.delete(rec.uuid);
  return { ...mappingConfiguration(rec), State: 'Deleting' };
}

export function ListEventSourceMappings(input: ListEventSourceMappingsRequest, ctx: RequestContext): ListEventSourceMappingsResponse {
  const scope = scopeOf(ctx);
  const ref = input.FunctionName !== undefined ? functionRef(ctx, input.FunctionName) : undefined;
  const items = function* () {
    for (const [uuid, m] of scope.mappings.entries()) {
      if (m.account !== ctx.account || m.region !== ctx.region) continue;
      if (input.EventSourceArn !== undefined && m.eventSourceArn !== input.EventSourceArn) continue;
      if (ref && (m.functionName !== ref.name || (ref.qualifier !== undefined && m.qualifier !== ref.qualifier))) continue;
      yield { key: uuid, m };
    }
  };
  const page = pageOf(items(), input.Marker, input.MaxItems ?? 100);
  const out: ListEventSourceMappingsResponse = { EventSourceMappings: page.items.map((i) => mappingConfiguration(i.m)) };
  if (page.next) out.NextMarker = page.next;
  return out;
}
