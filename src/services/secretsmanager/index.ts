/**
 * AWS Secrets Manager: secrets with versions and staging labels, values sealed through kumo's
 * KMS (the AWS managed `alias/aws/secretsmanager` key unless a KmsKeyId is given), recovery
 * windows and rotation schedules on the engine clock, rotation through the lambda service,
 * resource policies (validated, not enforced), tags, replication (recorded), random passwords.
 */
import { defineService } from '../framework/define.ts';
import { SECRETS, type SecretRecord } from './records.ts';
import { GetRandomPassword } from './password.ts';
import { DeleteResourcePolicy, GetResourcePolicy, PutResourcePolicy, ValidateResourcePolicy } from './policies.ts';
import { RemoveRegionsFromReplication, ReplicateSecretToRegions, StopReplicationToReplica } from './replication.ts';
import { CancelRotateSecret, RotateSecret, scheduleRotation } from './rotation.ts';
import { CreateSecret, DeleteSecret, DescribeSecret, ListSecrets, RestoreSecret, scheduleDeletion, UpdateSecret } from './secrets.ts';
import { rememberRuntime } from './store.ts';
import { TagResource, UntagResource } from './tags.ts';
import { BatchGetSecretValue, GetSecretValue, ListSecretVersionIds, PutSecretValue, UpdateSecretVersionStage } from './values.ts';

export default defineService({
  name: 'secretsmanager',
  operations: {
    BatchGetSecretValue, CancelRotateSecret, CreateSecret, DeleteResourcePolicy, DeleteSecret, DescribeSecret, GetRandomPassword,
    GetResourcePolicy, GetSecretValue, ListSecretVersionIds, ListSecrets, PutResourcePolicy, PutSecretValue, RemoveRegionsFromReplication,
    ReplicateSecretToRegions, RestoreSecret, RotateSecret, StopReplicationToReplica, TagResource, UntagResource, UpdateSecret,
    UpdateSecretVersionStage, ValidateResourcePolicy,
  },
  init(rt) {
    rememberRuntime(rt);
    for (const [key, s] of rt.state.table<SecretRecord>(SECRETS).entries()) {
      const [account, region] = key.split('/') as [string, string];
      const owner = { account, region, clock: rt.clock, scheduler: rt.scheduler };
      scheduleDeletion(owner, s);
      scheduleRotation(owner, s);
    }
  },
});
