import type {
  CreateSecretRequest, CreateSecretResponse, DeleteSecretRequest, DeleteSecretResponse, DescribeSecretRequest,
  DescribeSecretResponse, Filter, ListSecretsRequest, ListSecretsResponse, RestoreSecretRequest, RestoreSecretResponse,
  SecretListEntry, UpdateSecretRequest, UpdateSecretResponse,
} from '../../generated/secretsmanager.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter, invalidRequest, markedForDeletion, resourceExists } from './errors.ts';
import { checkKey } from './kms.ts';
import { checkName, findSecret, liveSecret, newArn, secrets } from './names.ts';
import { pageOf } from './paging.ts';
import type { SecretRecord } from './records.ts';
import { replicate, replicationStatus } from './replication.ts';
import { clearTimer, setTimer, timerName, type TimerOwner } from './store.ts';
import { checkTags } from './tags.ts';
import { addVersion, checkToken, CURRENT } from './versions.ts';

const DAY = 86_400_000;

/** AWS reports LastAccessedDate to the day. */
function day(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(Math.floor(ms / DAY) * DAY);
}

function stagesOf(s: SecretRecord): Record<string, string[]> {
  return Object.fromEntries(s.versions.filter((v) => v.stages.length > 0).map((v) => [v.id, v.stages]));
}

export function describe(s: SecretRecord): DescribeSecretResponse & SecretListEntry {
  const r = s.rotation;
  return {
    ARN: s.arn,
    Name: s.name,
    ...(s.type !== undefined ? { Type: s.type } : {}),
    ...(s.description !== undefined ? { Description: s.description } : {}),
    ...(s.kmsKeyId !== undefined ? { KmsKeyId: s.kmsKeyId } : {}),
    RotationEnabled: r.enabled,
    ...(r.lambdaArn !== undefined ? { RotationLambdaARN: r.lambdaArn } : {}),
    ...(r.rules ? { RotationRules: r.rules } : {}),
    ...(r.lastRotated !== undefined ? { LastRotatedDate: new Date(r.lastRotated) } : {}),
    ...(r.enabled && r.next !== undefined ? { NextRotationDate: new Date(r.next) } : {}),
    LastChangedDate: new Date(s.changedAt),
    ...(s.accessedAt !== undefined ? { LastAccessedDate: day(s.accessedAt) } : {}),
    ...(s.deletedAt !== undefined ? { DeletedDate: new Date(s.deletedAt) } : {}),
    ...(s.tags.length ? { Tags: s.tags } : {}),
    CreatedDate: new Date(s.createdAt),
    ...(s.replicas.length ? { ReplicationStatus: replicationStatus(s) } : {}),
  };
}

export function CreateSecret(input: CreateSecretRequest, ctx: RequestContext): CreateSecretResponse {
  checkName(input.Name);
  checkToken(input.ClientRequestToken);
  const table = secrets(ctx);
  const existing = table.get(input.Name);
  if (existing) {
    if (existing.deletedAt !== undefined) throw invalidRequest('You can\'t create this secret because a secret with this name is already scheduled for deletion.');
    // A retried CreateSecret (same token, same value) succeeds without creating anything.
    if (input.ClientRequestToken !== undefined && existing.versions.some((v) => v.id === input.ClientRequestToken)) {
      const { versionId } = addVersion(ctx, existing, input.ClientRequestToken, input, [CURRENT]);
      return { ARN: existing.arn, Name: existing.name, VersionId: versionId };
    }
    throw resourceExists(`The operation failed because the secret ${input.Name} already exists.`);
  }
  if (input.KmsKeyId !== undefined) checkKey(ctx, input.KmsKeyId);
  const now = ctx.clock.now();
  let s: SecretRecord = {
    name: input.Name,
    arn: newArn(ctx, input.Name),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.KmsKeyId !== undefined ? { kmsKeyId: input.KmsKeyId } : {}),
    ...(input.Type !== undefined ? { type: input.Type } : {}),
    createdAt: now,
    changedAt: now,
    versions: [],
    rotation: { enabled: false },
    tags: checkTags(input.Tags ?? []),
    replicas: [],
  };
  let versionId: string | undefined;
  if (input.SecretString !== undefined || input.SecretBinary !== undefined) {
    const added = addVersion(ctx, s, input.ClientRequestToken, input, [CURRENT]);
    s = added.secret;
    versionId = added.versionId;
  }
  if (input.AddReplicaRegions?.length) s = replicate(s, input.AddReplicaRegions);
  table.put(s.name, s);
  return {
    ARN: s.arn, Name: s.name, ...(versionId !== undefined ? { VersionId: versionId } : {}),
    ...(s.replicas.length ? { ReplicationStatus: replicationStatus(s) } : {}),
  };
}

export function DescribeSecret(input: DescribeSecretRequest, ctx: RequestContext): DescribeSecretResponse {
  const s = findSecret(ctx, input.SecretId);
  return { ...describe(s), VersionIdsToStages: stagesOf(s) };
}

export function UpdateSecret(input: UpdateSecretRequest, ctx: RequestContext): UpdateSecretResponse {
  checkToken(input.ClientRequestToken);
  let s = liveSecret(ctx, input.SecretId);
  if (input.KmsKeyId !== undefined) checkKey(ctx, input.KmsKeyId);
  s = {
    ...s,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.KmsKeyId !== undefined ? { kmsKeyId: input.KmsKeyId } : {}),
    ...(input.Type !== undefined ? { type: input.Type } : {}),
    changedAt: ctx.clock.now(),
  };
  let versionId: string | undefined;
  if (input.SecretString !== undefined || input.SecretBinary !== undefined) {
    const added = addVersion(ctx, s, input.ClientRequestToken, input, [CURRENT]);
    s = added.secret;
    versionId = added.versionId;
  }
  secrets(ctx).put(s.name, s);
  return { ARN: s.arn, Name: s.name, ...(versionId !== undefined ? { VersionId: versionId } : {}) };
}

/** Removes a secret for good once its recovery window has passed. */
export function scheduleDeletion(ctx: TimerOwner, s: SecretRecord): void {
  if (s.deletionAt === undefined) return;
  setTimer(ctx, timerName(ctx, s.name, 'delete'), s.deletionAt, (c) => {
    const now = secrets(c).get(s.name);
    if (now?.deletionAt !== undefined && now.arn === s.arn) {
      secrets(c).delete(s.name);
      clearTimer(c, timerName(c, s.name, 'rotate'));
    }
  });
}

export function DeleteSecret(input: DeleteSecretRequest, ctx: RequestContext): DeleteSecretResponse {
  const force = input.ForceDeleteWithoutRecovery ?? false;
  if (force && input.RecoveryWindowInDays !== undefined) {
    throw invalidParameter('You can\'t use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.');
  }
  const days = input.RecoveryWindowInDays ?? 30;
  if (!force && (days < 7 || days > 30)) throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  const s = findSecret(ctx, input.SecretId);
  const now = ctx.clock.now();
  if (force) {
    secrets(ctx).delete(s.name);
    clearTimer(ctx, timerName(ctx, s.name, 'delete'));
    clearTimer(ctx, timerName(ctx, s.name, 'rotate'));
    return { ARN: s.arn, Name: s.name, DeletionDate: new Date(now) };
  }
  if (s.deletedAt !== undefined) throw markedForDeletion();
  const next: SecretRecord = { ...s, deletedAt: now, deletionAt: now + days * DAY };
  secrets(ctx).put(s.name, next);
  scheduleDeletion(ctx, next);
  return { ARN: s.arn, Name: s.name, DeletionDate: new Date(next.deletionAt!) };
}

export function RestoreSecret(input: RestoreSecretRequest, ctx: RequestContext): RestoreSecretResponse {
  const s = findSecret(ctx, input.SecretId);
  const { deletedAt: _d, deletionAt: _a, ...rest } = s;
  secrets(ctx).put(s.name, rest);
  clearTimer(ctx, timerName(ctx, s.name, 'delete'));
  return { ARN: s.arn, Name: s.name };
}

const FILTER_KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'];

/** ListSecrets filters: prefix matches (a leading `!` negates), all filters must match. */
export function filterSecrets(ctx: RequestContext, filters: Filter[] | undefined): (s: SecretRecord) => boolean {
  const tests = (filters ?? []).map((f) => {
    const key = f.Key;
    if (key === undefined || !FILTER_KEYS.includes(key)) throw invalidParameter(`Invalid filter key: ${String(key)}`);
    const values = f.Values ?? [];
    if (values.length === 0) throw invalidParameter(`Invalid filter values for key ${key}: at least one value is required.`);
    const fields = (s: SecretRecord): string[] => {
      if (key === 'name') return [s.name];
      if (key === 'description') return [s.description ?? ''];
      if (key === 'tag-key') return s.tags.map((t) => t.Key);
      if (key === 'tag-value') return s.tags.map((t) => t.Value);
      if (key === 'primary-region') return [ctx.region];
      if (key === 'owning-service') return [];
      return [s.name, s.description ?? '', ...s.tags.flatMap((t) => [t.Key, t.Value])];
    };
    const insensitive = key === 'description' || key === 'all';
    return (s: SecretRecord) => values.some((raw) => {
      const negate = raw.startsWith('!');
      const v = negate ? raw.slice(1) : raw;
      const norm = (x: string) => (insensitive ? x.toLowerCase() : x);
      const hit = fields(s).some((x) => (key === 'all' ? norm(x).split(/[\s/_+=.@-]+/).some((w) => w.startsWith(norm(v))) || norm(x).startsWith(norm(v)) : norm(x).startsWith(norm(v))));
      return negate ? !hit : hit;
    });
  });
  return (s) => tests.every((t) => t(s));
}

export function ListSecrets(input: ListSecretsRequest, ctx: RequestContext): ListSecretsResponse {
  const keep = filterSecrets(ctx, input.Filters);
  const all = [...secrets(ctx).entries()].map(([, s]) => s)
    .filter((s) => (input.IncludePlannedDeletion || s.deletedAt === undefined) && keep(s));
  const by = input.SortBy ?? 'created-date';
  const key = (s: SecretRecord): number | string =>
    by === 'name' ? s.name : by === 'last-changed-date' ? s.changedAt : by === 'last-accessed-date' ? s.accessedAt ?? 0 : s.createdAt;
  all.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : 1;
  });
  if (input.SortOrder === 'desc') all.reverse();
  const page = pageOf(all, input.MaxResults ?? 100, 100, input.NextToken);
  return {
    SecretList: page.items.map((s) => ({ ...describe(s), SecretVersionsToStages: stagesOf(s) })),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
}
