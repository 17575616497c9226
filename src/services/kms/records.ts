import type { GrantConstraints, GrantOperation, KeySpec, KeyUsageType } from '../../generated/kms.ts';

/** Table names; every key in them starts with `account/region/`. */
export const KEYS = 'keys';
export const ALIASES = 'aliases';
export const GRANTS = 'grants';

export type KeyStateName = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface TagEntry {
  TagKey: string;
  TagValue: string;
}

/** One KMS key. Key material is kept here so ciphertexts survive restarts of a durable kumo. */
export interface KeyRecord {
  id: string;
  account: string;
  region: string;
  arn: string;
  createdAt: number;
  description: string;
  state: KeyStateName;
  spec: KeySpec;
  usage: KeyUsageType;
  manager: 'AWS' | 'CUSTOMER';
  multiRegion: boolean;
  /** Region of the primary key when this is a multi-Region replica. */
  primaryRegion?: string;
  replicaRegions: string[];
  /** Symmetric and HMAC secrets, oldest first; ciphertexts name the one that sealed them. */
  materials: Buffer[];
  /** Asymmetric keys: PKCS#8 DER private key and SPKI DER public key. */
  privateKey?: Buffer;
  publicKey?: Buffer;
  policy: string;
  tags: TagEntry[];
  rotation?: { periodDays: number; next: number };
  /** Dates of past rotations (automatic or on demand), oldest first. */
  rotations: { at: number; type: 'AUTOMATIC' | 'ON_DEMAND' }[];
  deletion?: { at: number; days: number };
}

export interface AliasRecord {
  name: string;
  keyId: string;
  createdAt: number;
  updatedAt: number;
}

export interface GrantRecord {
  id: string;
  keyId: string;
  token: string;
  name?: string;
  grantee: string;
  retiring?: string;
  operations: GrantOperation[];
  constraints?: GrantConstraints;
  createdAt: number;
  issuingAccount: string;
}
