import type {
  BatchGetSecretValueRequest, BatchGetSecretValueResponse, GetSecretValueRequest, GetSecretValueResponse, ListSecretVersionIdsRequest,
  ListSecretVersionIdsResponse, PutSecretValueRequest, PutSecretValueResponse, SecretValueEntry, UpdateSecretVersionStageRequest,
  UpdateSecretVersionStageResponse,
} from '../../generated/secretsmanager.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidParameter, invalidRequest, notFound } from './errors.ts';
import { liveSecret, lookup, secrets } from './names.ts';
import { pageOf } from './paging.ts';
import type { SecretRecord } from './records.ts';
import { filterSecrets } from './secrets.ts';
import { addVersion, checkToken, CURRENT, moveStages, pickVersion, trim, valueOf } from './versions.ts';

const DAY = 86_400_000;

/** Records the access day (AWS keeps LastAccessedDate to the day, so most reads write nothing). */
function touch(ctx: RequestContext, s: SecretRecord, versionId: string): void {
  const today = Math.floor(ctx.clock.now() / DAY) * DAY;
  const v = s.versions.find((x) => x.id === versionId);
  if (s.accessedAt === today && v?.accessedAt === today) return;
  secrets(ctx).put(s.name, { ...s, accessedAt: today, versions: s.versions.map((x) => (x.id === versionId ? { ...x, accessedAt: today } : x)) });
}

function read(ctx: RequestContext, s: SecretRecord, versionId: string | undefined, stage: string | undefined): SecretValueEntry {
  const v = pickVersion(s, versionId, stage);
  const value = valueOf(ctx, s, v);
  touch(ctx, s, v.id);
  return { ARN: s.arn, Name: s.name, VersionId: v.id, ...value, VersionStages: v.stages, CreatedDate: new Date(v.createdAt) };
}

export function GetSecretValue(input: GetSecretValueRequest, ctx: RequestContext): GetSecretValueResponse {
  return read(ctx, liveSecret(ctx, input.SecretId), input.VersionId, input.VersionStage);
}

export function PutSecretValue(input: PutSecretValueRequest, ctx: RequestContext): PutSecretValueResponse {
  checkToken(input.ClientRequestToken);
  if (input.SecretString === undefined && input.SecretBinary === undefined) {
    throw invalidParameter('You must provide either SecretString or SecretBinary.');
  }
  const s = liveSecret(ctx, input.SecretId);
  const stages = input.VersionStages ?? [CURRENT];
  const added = addVersion(ctx, s, input.ClientRequestToken, input, stages);
  if (added.created) secrets(ctx).put(s.name, added.secret);
  const v = added.secret.versions.find((x) => x.id === added.versionId)!;
  return { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: v.stages };
}

export function UpdateSecretVersionStage(input: UpdateSecretVersionStageRequest, ctx: RequestContext): UpdateSecretVersionStageResponse {
  const s = liveSecret(ctx, input.SecretId);
  const stage = input.VersionStage;
  const holder = s.versions.find((v) => v.stages.includes(stage));
  if (input.MoveToVersionId !== undefined && !s.versions.some((v) => v.id === input.MoveToVersionId)) {
    throw invalidParameter(`The version ${input.MoveToVersionId} doesn't exist.`);
  }
  if (input.RemoveFromVersionId !== undefined && holder?.id !== input.RemoveFromVersionId) {
    throw invalidParameter(`The staging label ${stage} is not attached to version ${input.RemoveFromVersionId}.`);
  }
  if (input.MoveToVersionId !== undefined && holder && holder.id !== input.MoveToVersionId && input.RemoveFromVersionId === undefined) {
    throw invalidParameter(`The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`);
  }
  let versions = s.versions;
  if (input.MoveToVersionId !== undefined) versions = moveStages(versions, input.MoveToVersionId, [stage]);
  else if (holder) {
    if (stage === CURRENT) throw invalidParameter('You can\'t remove the staging label AWSCURRENT from a version without moving it to another version.');
    versions = versions.map((v) => (v.id === holder.id ? { ...v, stages: v.stages.filter((l) => l !== stage) } : v));
  }
  secrets(ctx).put(s.name, { ...s, versions: trim(versions), changedAt: ctx.clock.now() });
  return { ARN: s.arn, Name: s.name };
}

export function ListSecretVersionIds(input: ListSecretVersionIdsRequest, ctx: RequestContext): ListSecretVersionIdsResponse {
  const s = liveSecret(ctx, input.SecretId);
  const versions = s.versions.filter((v) => input.IncludeDeprecated || v.stages.length > 0);
  const page = pageOf(versions, input.MaxResults ?? 100, 100, input.NextToken);
  return {
    ARN: s.arn,
    Name: s.name,
    Versions: page.items.map((v) => ({
      VersionId: v.id,
      VersionStages: v.stages,
      CreatedDate: new Date(v.createdAt),
      ...(v.accessedAt !== undefined ? { LastAccessedDate: new Date(v.accessedAt) } : {}),
      ...(v.keyArn ? { KmsKeyIds: [v.keyArn] } : {}),
    })),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
}

/** Reads several secrets' AWSCURRENT values; a secret that cannot be read becomes an entry of Errors. */
export function BatchGetSecretValue(input: BatchGetSecretValueRequest, ctx: RequestContext): BatchGetSecretValueResponse {
  const ids = input.SecretIdList;
  if ((ids === undefined) === (input.Filters === undefined)) {
    throw invalidParameter('Either \'SecretIdList\' or \'Filters\' must be provided, but not both.');
  }
  if (ids !== undefined) {
    if (input.MaxResults !== undefined) throw invalidParameter('\'MaxResults\' is only valid with \'Filters\'.');
    const values: SecretValueEntry[] = [];
    const errors: { SecretId: string; ErrorCode: string; Message: string }[] = [];
    for (const id of new Set(ids)) {
      try {
        const s = lookup(ctx, id);
        if (!s) throw notFound();
        if (s.deletedAt !== undefined) throw invalidRequest('You can\'t perform this operation on the secret because it was marked for deletion.');
        values.push(read(ctx, s, undefined, undefined));
      } catch (err) {
        if (!(err instanceof AwsError) || err.status >= 500) throw err;
        errors.push({ SecretId: id, ErrorCode: err.code, Message: err.message });
      }
    }
    return { SecretValues: values, Errors: errors };
  }
  const keep = filterSecrets(ctx, input.Filters);
  const all = [...secrets(ctx).entries()].map(([, s]) => s).filter((s) => s.deletedAt === undefined && keep(s) && s.versions.some((v) => v.stages.includes(CURRENT)));
  const page = pageOf(all, input.MaxResults ?? 20, 20, input.NextToken);
  return { SecretValues: page.items.map((s) => read(ctx, s, undefined, undefined)), Errors: [], ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
}
