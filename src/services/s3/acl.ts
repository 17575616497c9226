/**
 * Owners and access control lists: canned ACLs, x-amz-grant-* headers and AccessControlPolicy
 * documents become grant lists, stored and returned. Buckets whose ownership is
 * BucketOwnerEnforced (the default for new buckets) refuse ACLs other than owner-full-control ones.
 */
import { createHash } from 'node:crypto';
import type {
  AccessControlPolicy, GetBucketAclOutput, GetBucketAclRequest, GetObjectAclOutput, GetObjectAclRequest, Grant, Grantee, Owner,
  PutBucketAclRequest, PutObjectAclOutput, PutObjectAclRequest,
} from '../../generated/s3.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidArgument, invalidRequest, malformedXml } from './errors.ts';
import { findObject } from './versioning.ts';
import { getBucket, tables, type BucketRecord } from './store.ts';
import { objectKey, versionKey } from './keys.ts';
import { notifyObject } from './notify.ts';

const GROUPS = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

const canonicalIds = new Map<string, string>();

/** A stable 64-hex canonical user id per account, as S3 shows owners. */
function canonicalId(account: string): string {
  let id = canonicalIds.get(account);
  if (!id) {
    id = createHash('sha256').update(`kumo-canonical-user:${account}`).digest('hex');
    canonicalIds.set(account, id);
  }
  return id;
}

export function ownerOf(account: string): Owner {
  return { ID: canonicalId(account) };
}

function user(id: string): Grantee {
  return { Type: 'CanonicalUser', ID: id };
}

function group(uri: string): Grantee {
  return { Type: 'Group', URI: uri };
}

const CANNED = new Set(['private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read', 'bucket-owner-full-control', 'log-delivery-write']);

/** Canned ACLs that BucketOwnerEnforced buckets still accept. */
const OWNER_ONLY = new Set(['private', 'bucket-owner-full-control']);

export function cannedGrants(acl: string, owner: string, bucketOwner: string): Grant[] {
  if (!CANNED.has(acl)) throw invalidArgument(`Invalid canned ACL: ${acl}`, 'x-amz-acl', acl);
  const grants: Grant[] = [{ Grantee: user(canonicalId(owner)), Permission: 'FULL_CONTROL' }];
  switch (acl) {
    case 'public-read':
      grants.push({ Grantee: group(GROUPS.AllUsers), Permission: 'READ' });
      break;
    case 'public-read-write':
      grants.push({ Grantee: group(GROUPS.AllUsers), Permission: 'READ' }, { Grantee: group(GROUPS.AllUsers), Permission: 'WRITE' });
      break;
    case 'authenticated-read':
      grants.push({ Grantee: group(GROUPS.AuthenticatedUsers), Permission: 'READ' });
      break;
    case 'bucket-owner-read':
      if (bucketOwner !== owner) grants.push({ Grantee: user(canonicalId(bucketOwner)), Permission: 'READ' });
      break;
    case 'bucket-owner-full-control':
      if (bucketOwner !== owner) grants.push({ Grantee: user(canonicalId(bucketOwner)), Permission: 'FULL_CONTROL' });
      break;
    case 'log-delivery-write':
      grants.push({ Grantee: group(GROUPS.LogDelivery), Permission: 'WRITE' }, { Grantee: group(GROUPS.LogDelivery), Permission: 'READ_ACP' });
      break;
  }
  return grants;
}

interface AclInput {
  ACL?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

const GRANT_HEADERS: Array<[keyof AclInput, Grant['Permission']]> = [
  ['GrantFullControl', 'FULL_CONTROL'], ['GrantRead', 'READ'], ['GrantReadACP', 'READ_ACP'], ['GrantWrite', 'WRITE'], ['GrantWriteACP', 'WRITE_ACP'],
];

/** `id="..."`, `uri="..."`, `emailAddress="..."`, comma separated. */
function parseGrantees(raw: string): Grantee[] {
  const out: Grantee[] = [];
  for (const part of raw.split(',')) {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (!m) throw invalidArgument('Invalid id', 'x-amz-grant', raw);
    const kind = m[1]!.toLowerCase();
    if (kind === 'id') out.push(user(m[2]!));
    else if (kind === 'uri') out.push(group(m[2]!));
    else out.push({ Type: 'AmazonCustomerByEmail', EmailAddress: m[2]! });
  }
  return out;
}

/**
 * The grants a request's ACL headers ask for, or undefined when it sends none. Checked against
 * the bucket's ownership setting.
 */
export function grantsFromHeaders(input: AclInput, owner: string, bucket: BucketRecord): Grant[] | undefined {
  const headerGrants = GRANT_HEADERS.filter(([k]) => input[k] !== undefined);
  if (input.ACL !== undefined && headerGrants.length) throw invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  if (input.ACL !== undefined) {
    const grants = cannedGrants(input.ACL, owner, bucket.account);
    if (bucket.ownership === 'BucketOwnerEnforced' && !OWNER_ONLY.has(input.ACL)) throw aclNotSupported();
    return grants;
  }
  if (!headerGrants.length) return undefined;
  if (bucket.ownership === 'BucketOwnerEnforced') throw aclNotSupported();
  const grants: Grant[] = [];
  for (const [k, permission] of headerGrants) for (const g of parseGrantees(input[k]!)) grants.push({ Grantee: g, Permission: permission });
  return grants;
}

function aclNotSupported(): AwsError {
  return new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
}

function grantsFromPolicy(policy: AccessControlPolicy | undefined, bucket: BucketRecord): Grant[] {
  if (!policy) throw malformedXml();
  const grants = policy.Grants ?? [];
  for (const g of grants) {
    if (!g.Grantee || !g.Permission || !g.Grantee.Type) throw malformedXml();
  }
  const ownerFullControlOnly = grants.every((g) => g.Permission === 'FULL_CONTROL' && g.Grantee?.Type === 'CanonicalUser' && g.Grantee.ID === canonicalId(bucket.account));
  if (bucket.ownership === 'BucketOwnerEnforced' && !ownerFullControlOnly) throw aclNotSupported();
  return grants.map((g) => ({ Grantee: { ...g.Grantee! }, Permission: g.Permission }));
}

function aclFor(input: AclInput & { AccessControlPolicy?: AccessControlPolicy }, owner: string, bucket: BucketRecord): Grant[] {
  return grantsFromHeaders(input, owner, bucket) ?? grantsFromPolicy(input.AccessControlPolicy, bucket);
}

export function GetBucketAcl(input: GetBucketAclRequest, ctx: RequestContext): GetBucketAclOutput {
  const bucket = getBucket(ctx, input.Bucket);
  return { Owner: ownerOf(bucket.account), Grants: bucket.acl };
}

export function PutBucketAcl(input: PutBucketAclRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  const acl = aclFor(input, bucket.account, bucket);
  tables.buckets(ctx.state).put(bucket.name, { ...bucket, acl });
  return {};
}

export function GetObjectAcl(input: GetObjectAclRequest, ctx: RequestContext): GetObjectAclOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const { record } = findObject(ctx, bucket, input.Key, input.VersionId, 'GET');
  return {
    Owner: ownerOf(record.owner),
    Grants: record.acl ?? [{ Grantee: user(canonicalId(record.owner)), Permission: 'FULL_CONTROL' }],
  };
}

export function PutObjectAcl(input: PutObjectAclRequest, ctx: RequestContext): PutObjectAclOutput {
  const bucket = getBucket(ctx, input.Bucket);
  const found = findObject(ctx, bucket, input.Key, input.VersionId, 'PUT');
  const acl = aclFor(input, found.record.owner, bucket);
  const updated = { ...found.record, acl };
  if (found.current) tables.objects(ctx.state).put(objectKey(bucket.name, input.Key), updated);
  else tables.versions(ctx.state).put(versionKey(bucket.name, input.Key, found.record.seq), updated);
  notifyObject(ctx, bucket, 'ObjectAcl:Put', updated);
  return {};
}
