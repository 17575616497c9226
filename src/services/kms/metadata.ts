import type { KeyMetadata, SigningAlgorithmSpec } from '../../generated/kms.ts';
import { isRsa } from './crypto.ts';
import type { KeyRecord } from './records.ts';
import { keyArn } from './scope.ts';

const RSA_SIGNING: SigningAlgorithmSpec[] = [
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
];

const ECC_SIGNING: Partial<Record<string, SigningAlgorithmSpec[]>> = {
  ECC_NIST_P256: ['ECDSA_SHA_256'],
  ECC_NIST_P384: ['ECDSA_SHA_384'],
  ECC_NIST_P521: ['ECDSA_SHA_512'],
  ECC_SECG_P256K1: ['ECDSA_SHA_256'],
  ECC_NIST_EDWARDS25519: ['ED25519_SHA_512'],
};

/** The algorithms a key offers, as DescribeKey and GetPublicKey list them. */
export function algorithms(key: KeyRecord): Pick<KeyMetadata, 'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms'> {
  if (key.usage === 'ENCRYPT_DECRYPT') {
    return { EncryptionAlgorithms: key.spec === 'SYMMETRIC_DEFAULT' ? ['SYMMETRIC_DEFAULT'] : ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] };
  }
  if (key.usage === 'SIGN_VERIFY') return { SigningAlgorithms: isRsa(key.spec) ? RSA_SIGNING : ECC_SIGNING[key.spec] ?? [] };
  if (key.usage === 'GENERATE_VERIFY_MAC') return { MacAlgorithms: [`HMAC_SHA_${key.spec.slice(5)}` as 'HMAC_SHA_256'] };
  return { KeyAgreementAlgorithms: ['ECDH'] };
}

export function metadataOf(key: KeyRecord): KeyMetadata {
  const m: KeyMetadata = {
    AWSAccountId: key.account,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: new Date(key.createdAt),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.usage,
    KeyState: key.state,
    Origin: 'AWS_KMS',
    KeyManager: key.manager,
    CustomerMasterKeySpec: key.spec as KeyMetadata['CustomerMasterKeySpec'],
    KeySpec: key.spec,
    ...algorithms(key),
    MultiRegion: key.multiRegion,
  };
  if (key.spec === 'SYMMETRIC_DEFAULT') m.CurrentKeyMaterialId = materialId(key, key.materials.length - 1);
  if (key.deletion) {
    m.DeletionDate = new Date(key.deletion.at);
    m.PendingDeletionWindowInDays = key.deletion.days;
  }
  if (key.multiRegion) {
    const primaryRegion = key.primaryRegion ?? key.region;
    m.MultiRegionConfiguration = {
      MultiRegionKeyType: key.primaryRegion ? 'REPLICA' : 'PRIMARY',
      PrimaryKey: { Arn: keyArn({ account: key.account, region: primaryRegion }, key.id), Region: primaryRegion },
      ReplicaKeys: key.replicaRegions.map((r) => ({ Arn: keyArn({ account: key.account, region: r }, key.id), Region: r })),
    };
  }
  return m;
}

/** AWS identifies key material by a 64-hex-digit id; kumo derives it from the key and its index. */
export function materialId(key: KeyRecord, index: number): string {
  return (key.id.replace(/[^0-9a-f]/g, '') + index.toString(16).padStart(32, '0')).slice(-64).padStart(64, '0');
}
