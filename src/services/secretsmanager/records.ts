/** Table of secrets, keyed by name (under the engine's `account/region/` scope). */
export const SECRETS = 'secrets';

export interface StoredValue {
  kind: 'string' | 'binary';
  /** KMS ciphertext, or the value itself when stored unencrypted (see kms.ts). */
  data: Buffer;
  encrypted: boolean;
}

export interface VersionRecord {
  id: string;
  stages: string[];
  createdAt: number;
  /** Absent for the version RotateSecret starts before the rotation function stores a value. */
  value?: StoredValue;
  /** The key ARN that sealed the value. */
  keyArn?: string;
  accessedAt?: number;
}

export interface RotationRecord {
  enabled: boolean;
  lambdaArn?: string;
  rules?: { AutomaticallyAfterDays?: number; Duration?: string; ScheduleExpression?: string };
  lastRotated?: number;
  next?: number;
}

export interface ReplicaRecord {
  region: string;
  kmsKeyId?: string;
  status: 'InSync' | 'Failed' | 'InProgress';
  message: string;
}

export interface SecretRecord {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  type?: string;
  createdAt: number;
  changedAt: number;
  accessedAt?: number;
  /** Set while the secret waits out its recovery window. */
  deletedAt?: number;
  deletionAt?: number;
  /** Oldest first. Versions without stages are deprecated; AWS keeps about 100 of them. */
  versions: VersionRecord[];
  rotation: RotationRecord;
  tags: { Key: string; Value: string }[];
  policy?: string;
  replicas: ReplicaRecord[];
}
