/**
 * AWS Key Management Service with real cryptography (node:crypto): symmetric AES-256-GCM keys
 * whose ciphertexts name their key and open only in this kumo, RSA/ECC signing and RSA
 * encryption, HMAC keys, data keys and pairs, aliases, grants, key policies (stored, not
 * enforced), rotation and deletion on the engine clock, multi-Region replicas.
 */
import { defineService } from '../framework/define.ts';
import { CreateAlias, DeleteAlias, ListAliases, UpdateAlias } from './aliases.ts';
import {
  Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GenerateDataKeyWithoutPlaintext, ReEncrypt,
} from './cipher.ts';
import { CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant } from './grants.ts';
import { decrypt, describeKey, encrypt, generateDataKey } from './internal.ts';
import { CreateKey, DescribeKey, DisableKey, EnableKey, ListKeys, ReplicateKey, UpdateKeyDescription } from './keys.ts';
import {
  CancelKeyDeletion, DisableKeyRotation, EnableKeyRotation, GetKeyRotationStatus, ListKeyRotations, restoreTimers, RotateKeyOnDemand,
  ScheduleKeyDeletion,
} from './lifecycle.ts';
import { GetKeyPolicy, ListKeyPolicies, PutKeyPolicy } from './policies.ts';
import { rememberRuntime } from './scope.ts';
import { GenerateMac, GenerateRandom, GetPublicKey, Sign, Verify, VerifyMac } from './signing.ts';
import { ListResourceTags, TagResource, UntagResource } from './tags.ts';

export default defineService({
  name: 'kms',
  operations: {
    CancelKeyDeletion, CreateAlias, CreateGrant, CreateKey, Decrypt, DeleteAlias, DescribeKey, DisableKey, DisableKeyRotation,
    EnableKey, EnableKeyRotation, Encrypt, GenerateDataKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext,
    GenerateDataKeyWithoutPlaintext, GenerateMac, GenerateRandom, GetKeyPolicy, GetKeyRotationStatus, GetPublicKey, ListAliases,
    ListGrants, ListKeyPolicies, ListKeyRotations, ListKeys, ListResourceTags, ListRetirableGrants, PutKeyPolicy, ReEncrypt,
    ReplicateKey, RetireGrant, RevokeGrant, RotateKeyOnDemand, ScheduleKeyDeletion, Sign, TagResource, UntagResource, UpdateAlias,
    UpdateKeyDescription, Verify, VerifyMac,
  },
  internal: { encrypt, decrypt, generateDataKey, describeKey },
  init(rt) {
    rememberRuntime(rt);
    restoreTimers(rt);
  },
});
