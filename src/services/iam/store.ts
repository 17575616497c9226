/**
 * IAM's tables, scoped per account (IAM is global). Names are unique case-insensitively, so
 * entity tables are keyed by the lower-cased name and keep the name as given.
 */
import type { RequestContext } from '../framework/define.ts';
import type { Table } from '../../state/types.ts';

export interface Tag {
  Key: string;
  Value: string;
}

/** Inline policies by name, and attached managed policy ARNs: shared by users, groups and roles. */
export interface Principal {
  Path: string;
  Arn: string;
  CreateDate: number;
  inline: Record<string, string>;
  attached: string[];
  Tags: Tag[];
  PermissionsBoundary?: string;
}

export interface UserRecord extends Principal {
  UserName: string;
  UserId: string;
  groups: string[];
  loginProfile?: { CreateDate: number; PasswordResetRequired: boolean };
}

export interface GroupRecord extends Principal {
  GroupName: string;
  GroupId: string;
}

export interface RoleRecord extends Principal {
  RoleName: string;
  RoleId: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  /** Set for service-linked roles. */
  serviceLinked?: boolean;
}

export interface PolicyVersionRecord {
  VersionId: string;
  Document: string;
  CreateDate: number;
}

export interface ManagedPolicyRecord {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  CreateDate: number;
  UpdateDate: number;
  DefaultVersionId: string;
  versions: PolicyVersionRecord[];
  nextVersion: number;
  Tags: Tag[];
}

export interface AccessKeyRecord {
  AccessKeyId: string;
  SecretAccessKey: string;
  UserName: string;
  Status: string;
  CreateDate: number;
}

export interface InstanceProfileRecord {
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  roles: string[];
  Tags: Tag[];
}

export interface OidcProviderRecord {
  Arn: string;
  Url: string;
  ClientIDList: string[];
  ThumbprintList: string[];
  CreateDate: number;
  Tags: Tag[];
}

export interface SamlProviderRecord {
  Arn: string;
  Name: string;
  SAMLMetadataDocument: string;
  CreateDate: number;
  ValidUntil: number;
  Tags: Tag[];
}

export interface ServerCertificateRecord {
  ServerCertificateName: string;
  ServerCertificateId: string;
  Arn: string;
  Path: string;
  CertificateBody: string;
  CertificateChain?: string;
  UploadDate: number;
  Expiration: number;
  Tags: Tag[];
}

/** Where an IAM access key id leads, across accounts (unscoped table). */
export interface KeyIndexEntry {
  account: string;
  userName: string;
}

export const KEY_INDEX = 'keyIndex';

export function tables(ctx: RequestContext) {
  return {
    users: ctx.table<UserRecord>('users'),
    groups: ctx.table<GroupRecord>('groups'),
    roles: ctx.table<RoleRecord>('roles'),
    policies: ctx.table<ManagedPolicyRecord>('policies'),
    accessKeys: ctx.table<AccessKeyRecord>('accessKeys'),
    instanceProfiles: ctx.table<InstanceProfileRecord>('instanceProfiles'),
    oidc: ctx.table<OidcProviderRecord>('oidcProviders'),
    saml: ctx.table<SamlProviderRecord>('samlProviders'),
    certificates: ctx.table<ServerCertificateRecord>('serverCertificates'),
    account: ctx.table<string>('account'),
    keyIndex: ctx.state.table<KeyIndexEntry>(KEY_INDEX),
  };
}

export const nameKey = (name: string): string => name.toLowerCase();

export function values<V>(table: Table<V>): V[] {
  return [...table.entries()].map(([, v]) => v);
}
