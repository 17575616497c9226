import type { ParameterTier, ParameterType } from '../../generated/ssm.ts';

/** Table of parameters, keyed by name (under the engine's `account/region/` scope). */
export const PARAMETERS = 'parameters';

export interface VersionRecord {
  version: number;
  type: ParameterType;
  /** The value as stored: plain text, or for SecureString the base64 KMS ciphertext. */
  value: string;
  description?: string;
  allowedPattern?: string;
  /** SecureString only: the KMS key as the caller named it (`alias/aws/ssm` by default). */
  keyId?: string;
  tier: Exclude<ParameterTier, 'Intelligent-Tiering'>;
  policies: { text: string; type: string }[];
  dataType: string;
  labels: string[];
  modifiedAt: number;
  user: string;
}

export interface ParameterRecord {
  name: string;
  /** Oldest first; AWS keeps the latest 100. */
  versions: VersionRecord[];
  tags: { Key: string; Value: string }[];
}
