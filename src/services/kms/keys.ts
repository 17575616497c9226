import type {
  CreateKeyRequest, CreateKeyResponse, DescribeKeyRequest, DescribeKeyResponse, DisableKeyRequest, EnableKeyRequest,
  KeySpec, KeyUsageType, ListKeysRequest, ListKeysResponse, ReplicateKeyRequest, ReplicateKeyResponse,
  Tag, UpdateKeyDescriptionRequest,
} from '../../generated/kms.ts';
import type { RequestContext } from '../framework/define.ts';
import { generatePair, hmacBytes, isAsymmetric, isRsa, randomBytes, supportedSpec } from './crypto.ts';
import { alreadyExists, pendingDeletion, unsupported, validation } from './errors.ts';
import { metadataOf } from './metadata.ts';
import { page } from './paging.ts';
import { checkPolicy, defaultPolicy } from './policies.ts';
import type { KeyRecord } from './records.ts';
import { findKey, keyArn, putKey, requestScope, scopeOf, type Scope } from './scope.ts';
import { checkTags } from './tags.ts';

const USAGES: Record<string, KeyUsageType[]> = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT'],
  RSA: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_EDWARDS25519: ['SIGN_VERIFY'],
  HMAC: ['GENERATE_VERIFY_MAC'],
};

function usagesFor(spec: KeySpec): KeyUsageType[] {
  if (isRsa(spec)) return USAGES.RSA!;
  if (hmacBytes(spec)) return USAGES.HMAC!;
  if (spec === 'ECC_NIST_EDWARDS25519') return USAGES.ECC_NIST_EDWARDS25519!;
  if (spec.startsWith('ECC_')) return USAGES.ECC!;
  return USAGES.SYMMETRIC_DEFAULT!;
}

export interface NewKey {
  spec?: KeySpec;
  usage?: KeyUsageType;
  description?: string;
  policy?: string;
  tags?: Tag[];
  multiRegion?: boolean;
  manager?: 'AWS' | 'CUSTOMER';
}

/** Creates a key with fresh material; also used for the AWS managed keys (`alias/aws/<service>`). */
export function createKey(scope: Scope, opts: NewKey): KeyRecord {
  const spec = opts.spec ?? 'SYMMETRIC_DEFAULT';
  if (!supportedSpec(spec)) throw unsupported(`KeySpec ${spec} is not supported by kumo.`);
  const allowed = usagesFor(spec);
  const usage = opts.usage ?? (spec === 'SYMMETRIC_DEFAULT' || isRsa(spec) ? 'ENCRYPT_DECRYPT' : allowed[0]!);
  if (!allowed.includes(usage)) throw validation(`KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
  if (opts.multiRegion && isAsymmetric(spec) && usage === 'KEY_AGREEMENT') throw unsupported('Multi-Region keys cannot be used for key agreement.');
  if (opts.policy !== undefined) checkPolicy(opts.policy);
  const tags = checkTags(opts.tags ?? []);
  const id = opts.multiRegion ? `mrk-${scope.ids.hex(16)}` : scope.ids.uuid();
  const hmac = hmacBytes(spec);
  const pair = isAsymmetric(spec) ? generatePair(spec) : undefined;
  const key: KeyRecord = {
    id,
    account: scope.account,
    region: scope.region,
    arn: keyArn(scope, id),
    createdAt: scope.clock.now(),
    description: opts.description ?? '',
    state: 'Enabled',
    spec,
    usage,
    manager: opts.manager ?? 'CUSTOMER',
    multiRegion: opts.multiRegion ?? false,
    replicaRegions: [],
    materials: pair ? [] : [randomBytes(hmac ?? 32)],
    ...(pair ? { privateKey: pair.privateKey, publicKey: pair.publicKey } : {}),
    policy: opts.policy ?? defaultPolicy(scope.account),
    tags,
    rotations: [],
    ...(opts.manager === 'AWS' ? { rotation: { periodDays: 365, next: scope.clock.now() + 365 * 86_400_000 } } : {}),
  };
  scope.keys.put(id, key);
  return key;
}

export function CreateKey(input: CreateKeyRequest, ctx: RequestContext): CreateKeyResponse {
  if (input.Origin !== undefined && input.Origin !== 'AWS_KMS') throw unsupported(`kumo creates keys with Origin AWS_KMS only, not ${input.Origin}.`);
  if (input.CustomKeyStoreId !== undefined) throw unsupported('kumo has no custom key stores.');
  if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
    throw validation('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
  }
  const key = createKey(requestScope(ctx), {
    spec: input.KeySpec ?? input.CustomerMasterKeySpec,
    usage: input.KeyUsage,
    description: input.Description,
    policy: input.Policy,
    tags: input.Tags,
    multiRegion: input.MultiRegion,
  });
  return { KeyMetadata: metadataOf(key) };
}

export function DescribeKey(input: DescribeKeyRequest, ctx: RequestContext): DescribeKeyResponse {
  return { KeyMetadata: metadataOf(findKey(requestScope(ctx), input.KeyId)) };
}

export function ListKeys(input: ListKeysRequest, ctx: RequestContext): ListKeysResponse {
  const scope = requestScope(ctx);
  const all = [...scope.keys.entries()].map(([, k]) => k);
  const p = page(all, (k) => k.id, input.Limit, input.Marker);
  return {
    Keys: p.items.map((k) => ({ KeyId: k.id, KeyArn: k.arn })),
    Truncated: p.Truncated,
    ...(p.NextMarker ? { NextMarker: p.NextMarker } : {}),
  };
}

export function EnableKey(input: EnableKeyRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  putKey(scope, { ...key, state: 'Enabled' });
  return {};
}

export function DisableKey(input: DisableKeyRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  putKey(scope, { ...key, state: 'Disabled' });
  return {};
}

export function UpdateKeyDescription(input: UpdateKeyDescriptionRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  putKey(scope, { ...key, description: input.Description });
  return {};
}

/**
 * Copies a multi-Region primary key (same id and material) into another region of the same
 * account; both records list each other so DescribeKey shows the multi-Region configuration.
 */
export function ReplicateKey(input: ReplicateKeyRequest, ctx: RequestContext): ReplicateKeyResponse {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  if (!key.multiRegion) throw unsupported(`${key.arn} is not a multi-Region key.`);
  if (key.primaryRegion) throw unsupported(`${key.arn} is not a primary key; replicate the primary key in ${key.primaryRegion}.`);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  if (input.ReplicaRegion === key.region) throw validation(`The replica region ${input.ReplicaRegion} must differ from the primary key's region.`);
  const target = scopeOf(ctx, key.account, input.ReplicaRegion);
  if (target.keys.has(key.id)) throw alreadyExists(`${keyArn(target, key.id)} already exists.`);
  if (input.Policy !== undefined) checkPolicy(input.Policy);
  const { rotation: _, ...shared } = key;
  const replica: KeyRecord = {
    ...shared,
    region: input.ReplicaRegion,
    arn: keyArn(target, key.id),
    createdAt: ctx.clock.now(),
    description: input.Description ?? key.description,
    policy: input.Policy ?? key.policy,
    tags: input.Tags ? checkTags(input.Tags) : key.tags,
    primaryRegion: key.region,
  };
  const regions = [...key.replicaRegions, input.ReplicaRegion];
  putKey(scope, { ...key, replicaRegions: regions });
  for (const r of key.replicaRegions) {
    const other = scopeOf(ctx, key.account, r);
    const rec = other.keys.get(key.id);
    if (rec) other.keys.put(key.id, { ...rec, replicaRegions: regions });
  }
  target.keys.put(key.id, { ...replica, replicaRegions: regions });
  const stored = target.keys.get(key.id)!;
  return { ReplicaKeyMetadata: metadataOf(stored), ReplicaPolicy: stored.policy, ReplicaTags: stored.tags };
}
