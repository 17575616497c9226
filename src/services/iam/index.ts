/**
 * AWS Identity and Access Management: users, groups, roles, managed and inline policies,
 * access keys (which resolve to their user when requests are signed with them), instance
 * profiles, identity providers, server certificates, and the policy simulator. Nothing is
 * enforced on other services' calls.
 */
import type * as T from '../../generated/iam.ts';
import { defineService, type RequestContext } from '../framework/define.ts';
import {
  CreateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed, identityOfKey, ListAccessKeys, UpdateAccessKey,
} from './access-keys.ts';
import { CreateAccountAlias, DeleteAccountAlias, GetAccountSummary, ListAccountAliases } from './account.ts';
import { GetAccountAuthorizationDetails } from './authorization-details.ts';
import {
  DeleteServerCertificate, GetServerCertificate, ListServerCertificates, ListServerCertificateTags, TagServerCertificate,
  UntagServerCertificate, UpdateServerCertificate, UploadServerCertificate,
} from './certificates.ts';
import { CreateGroup, DeleteGroup, GetGroup, ListGroups, UpdateGroup } from './groups.ts';
import {
  AddRoleToInstanceProfile, CreateInstanceProfile, DeleteInstanceProfile, GetInstanceProfile, ListInstanceProfiles,
  ListInstanceProfilesForRole, ListInstanceProfileTags, RemoveRoleFromInstanceProfile, TagInstanceProfile, UntagInstanceProfile,
} from './instance-profiles.ts';
import { iamApi, registerRuntime } from './internal.ts';
import {
  CreatePolicy, CreatePolicyVersion, DeletePolicy, DeletePolicyVersion, GetPolicy, GetPolicyVersion, ListEntitiesForPolicy,
  ListPolicies, ListPolicyTags, ListPolicyVersions, SetDefaultPolicyVersion, TagPolicy, UntagPolicy,
} from './policies.ts';
import { DeleteAccountPasswordPolicy, GetAccountPasswordPolicy, UpdateAccountPasswordPolicy } from './password-policy.ts';
import * as P from './principals.ts';
import {
  AddClientIDToOpenIDConnectProvider, CreateOpenIDConnectProvider, CreateSAMLProvider, DeleteOpenIDConnectProvider,
  DeleteSAMLProvider, GetOpenIDConnectProvider, GetSAMLProvider, ListOpenIDConnectProviders, ListOpenIDConnectProviderTags,
  ListSAMLProviders, ListSAMLProviderTags, RemoveClientIDFromOpenIDConnectProvider, TagOpenIDConnectProvider, TagSAMLProvider,
  UntagOpenIDConnectProvider, UntagSAMLProvider, UpdateOpenIDConnectProviderThumbprint, UpdateSAMLProvider,
} from './providers.ts';
import {
  CreateRole, CreateServiceLinkedRole, DeleteRole, DeleteServiceLinkedRole, encodeDocument, GetRole,
  GetServiceLinkedRoleDeletionStatus, ListRoles, UpdateAssumeRolePolicy, UpdateRole, UpdateRoleDescription,
} from './roles.ts';
import { GetContextKeysForCustomPolicy, GetContextKeysForPrincipalPolicy, SimulateCustomPolicy, SimulatePrincipalPolicy } from './simulate.ts';
import {
  AddUserToGroup, ChangePassword, CreateLoginProfile, CreateUser, DeleteLoginProfile, DeleteUser, GetLoginProfile, GetUser,
  ListGroupsForUser, ListUsers, RemoveUserFromGroup, UpdateLoginProfile, UpdateUser,
} from './users.ts';

type Paging = { Marker?: string; MaxItems?: number };

/** The operations users, groups and roles share, bound to one kind and its name member. */
function principalOps(kind: P.Kind, Kind: 'User' | 'Group' | 'Role') {
  const nameMember = `${Kind}Name`;
  const nameOf = (i: Record<string, unknown>) => i[nameMember] as string;
  return {
    [`Put${Kind}Policy`]: (i: { PolicyName: string; PolicyDocument: string }, ctx: RequestContext) => {
      P.putInline(ctx, kind, nameOf(i), i.PolicyName, i.PolicyDocument);
      return {};
    },
    [`Get${Kind}Policy`]: (i: { PolicyName: string }, ctx: RequestContext) => {
      const name = P.getPrincipal(ctx, kind, nameOf(i));
      return { [nameMember]: P.KINDS[kind].nameOf(name), PolicyName: i.PolicyName, PolicyDocument: encodeDocument(P.getInline(ctx, kind, nameOf(i), i.PolicyName)) };
    },
    [`Delete${Kind}Policy`]: (i: { PolicyName: string }, ctx: RequestContext) => {
      P.deleteInline(ctx, kind, nameOf(i), i.PolicyName);
      return {};
    },
    [`List${Kind}Policies`]: (i: Paging, ctx: RequestContext) => P.listInline(ctx, kind, nameOf(i), i),
    [`Attach${Kind}Policy`]: (i: { PolicyArn: string }, ctx: RequestContext) => {
      P.attach(ctx, kind, nameOf(i), i.PolicyArn);
      return {};
    },
    [`Detach${Kind}Policy`]: (i: { PolicyArn: string }, ctx: RequestContext) => {
      P.detach(ctx, kind, nameOf(i), i.PolicyArn);
      return {};
    },
    [`ListAttached${Kind}Policies`]: (i: Paging & { PathPrefix?: string }, ctx: RequestContext) => P.listAttached(ctx, kind, nameOf(i), i),
  } as Record<string, (i: never, ctx: RequestContext) => unknown>;
}

/** Tags and permissions boundaries exist for users and roles only. */
function taggedOps(kind: 'user' | 'role', Kind: 'User' | 'Role') {
  const nameOf = (i: Record<string, unknown>) => i[`${Kind}Name`] as string;
  return {
    [`Tag${Kind}`]: (i: { Tags: T.Tag[] }, ctx: RequestContext) => {
      P.tag(ctx, kind, nameOf(i), i.Tags);
      return {};
    },
    [`Untag${Kind}`]: (i: { TagKeys: string[] }, ctx: RequestContext) => {
      P.untag(ctx, kind, nameOf(i), i.TagKeys);
      return {};
    },
    [`List${Kind}Tags`]: (i: Paging, ctx: RequestContext) => P.listTags(P.getPrincipal(ctx, kind, nameOf(i)).Tags, i),
    [`Put${Kind}PermissionsBoundary`]: (i: { PermissionsBoundary: string }, ctx: RequestContext) => {
      P.setBoundary(ctx, kind, nameOf(i), i.PermissionsBoundary);
      return {};
    },
    [`Delete${Kind}PermissionsBoundary`]: (i: unknown, ctx: RequestContext) => {
      P.setBoundary(ctx, kind, nameOf(i as Record<string, unknown>), undefined);
      return {};
    },
  } as Record<string, (i: never, ctx: RequestContext) => unknown>;
}

export default defineService({
  name: 'iam',
  global: true,
  operations: {
    CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser,
    AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser,
    CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile, ChangePassword,
    CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
    CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy, DeleteRole,
    CreateServiceLinkedRole, DeleteServiceLinkedRole, GetServiceLinkedRoleDeletionStatus,
    ...principalOps('user', 'User'), ...principalOps('group', 'Group'), ...principalOps('role', 'Role'),
    ...taggedOps('user', 'User'), ...taggedOps('role', 'Role'),
    CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, ListEntitiesForPolicy,
    CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion,
    TagPolicy, UntagPolicy, ListPolicyTags,
    CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed,
    CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles, ListInstanceProfilesForRole, DeleteInstanceProfile,
    AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile, TagInstanceProfile, UntagInstanceProfile, ListInstanceProfileTags,
    CreateOpenIDConnectProvider, GetOpenIDConnectProvider, ListOpenIDConnectProviders, DeleteOpenIDConnectProvider,
    AddClientIDToOpenIDConnectProvider, RemoveClientIDFromOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint,
    TagOpenIDConnectProvider, UntagOpenIDConnectProvider, ListOpenIDConnectProviderTags,
    CreateSAMLProvider, GetSAMLProvider, ListSAMLProviders, UpdateSAMLProvider, DeleteSAMLProvider,
    TagSAMLProvider, UntagSAMLProvider, ListSAMLProviderTags,
    UploadServerCertificate, GetServerCertificate, ListServerCertificates, UpdateServerCertificate, DeleteServerCertificate,
    TagServerCertificate, UntagServerCertificate, ListServerCertificateTags,
    CreateAccountAlias, DeleteAccountAlias, ListAccountAliases, GetAccountSummary, GetAccountAuthorizationDetails,
    UpdateAccountPasswordPolicy, GetAccountPasswordPolicy, DeleteAccountPasswordPolicy,
    SimulatePrincipalPolicy, SimulateCustomPolicy, GetContextKeysForCustomPolicy, GetContextKeysForPrincipalPolicy,
  },
  internal: iamApi as unknown as Record<string, (...args: never[]) => unknown>,
  identity: identityOfKey,
  init(rt) {
    registerRuntime(rt);
  },
});
