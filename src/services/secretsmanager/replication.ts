import type {
  RemoveRegionsFromReplicationRequest, RemoveRegionsFromReplicationResponse, ReplicaRegionType, ReplicateSecretToRegionsRequest,
  ReplicateSecretToRegionsResponse, ReplicationStatusType, StopReplicationToReplicaRequest, StopReplicationToReplicaResponse,
} from '../../generated/secretsmanager.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter } from './errors.ts';
import { liveSecret, secrets } from './names.ts';
import type { SecretRecord } from './records.ts';

/**
 * Replication is recorded, not performed: the secret lists its replica regions as in sync, but
 * no copy appears in those regions (so ForceOverwriteReplicaSecret has nothing to overwrite).
 */
export function replicate(s: SecretRecord, regions: ReplicaRegionType[]): SecretRecord {
  const replicas = [...s.replicas];
  const primary = s.arn.split(':')[3];
  for (const r of regions) {
    if (r.Region === undefined) throw invalidParameter('Region is required for each replica.');
    if (r.Region === primary) throw invalidParameter(`Invalid replica region: ${r.Region} is the primary region of the secret.`);
    const i = replicas.findIndex((x) => x.region === r.Region);
    const rec = { region: r.Region, ...(r.KmsKeyId !== undefined ? { kmsKeyId: r.KmsKeyId } : {}), status: 'InSync' as const, message: 'Replication succeeded' };
    if (i >= 0) replicas[i] = rec;
    else replicas.push(rec);
  }
  return { ...s, replicas };
}

export function replicationStatus(s: SecretRecord): ReplicationStatusType[] {
  return s.replicas.map((r) => ({
    Region: r.region, KmsKeyId: r.kmsKeyId ?? 'alias/aws/secretsmanager', Status: r.status, StatusMessage: r.message,
  }));
}

export function ReplicateSecretToRegions(input: ReplicateSecretToRegionsRequest, ctx: RequestContext): ReplicateSecretToRegionsResponse {
  const s = replicate(liveSecret(ctx, input.SecretId), input.AddReplicaRegions);
  secrets(ctx).put(s.name, s);
  return { ARN: s.arn, ReplicationStatus: replicationStatus(s) };
}

export function RemoveRegionsFromReplication(input: RemoveRegionsFromReplicationRequest, ctx: RequestContext): RemoveRegionsFromReplicationResponse {
  const s = liveSecret(ctx, input.SecretId);
  const drop = new Set(input.RemoveReplicaRegions);
  const next = { ...s, replicas: s.replicas.filter((r) => !drop.has(r.region)) };
  secrets(ctx).put(s.name, next);
  return { ARN: s.arn, ReplicationStatus: replicationStatus(next) };
}

/** kumo keeps no replica copies, so there is never a replica to promote here. */
export function StopReplicationToReplica(input: StopReplicationToReplicaRequest, ctx: RequestContext): StopReplicationToReplicaResponse {
  const s = liveSecret(ctx, input.SecretId);
  throw invalidParameter(`${s.arn} is a primary secret, not a replica. Call StopReplicationToReplica in the replica's region.`);
}
