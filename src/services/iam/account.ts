/** Account-level IAM: the account alias (unique across accounts) and GetAccountSummary. */
import type { RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { alreadyExists, noSuchEntity } from './errors.ts';
import { tables, values } from './store.ts';

const ALIAS_KEY = 'alias';

function aliasOwners(ctx: RequestContext) {
  return ctx.state.table<string>('aliasOwners');
}

export function CreateAccountAlias(i: T.CreateAccountAliasRequest, ctx: RequestContext) {
  const owner = aliasOwners(ctx).get(i.AccountAlias);
  if (owner !== undefined && owner !== ctx.account) throw alreadyExists(`The account alias ${i.AccountAlias} already exists.`);
  const account = tables(ctx).account;
  const previous = account.get(ALIAS_KEY);
  if (previous !== undefined) aliasOwners(ctx).delete(previous);
  account.put(ALIAS_KEY, i.AccountAlias);
  aliasOwners(ctx).put(i.AccountAlias, ctx.account);
  return {};
}

export function DeleteAccountAlias(i: T.DeleteAccountAliasRequest, ctx: RequestContext) {
  const account = tables(ctx).account;
  if (account.get(ALIAS_KEY) !== i.AccountAlias) throw noSuchEntity(`The account alias ${i.AccountAlias} cannot be found.`);
  account.delete(ALIAS_KEY);
  aliasOwners(ctx).delete(i.AccountAlias);
  return {};
}

export function ListAccountAliases(_i: unknown, ctx: RequestContext) {
  const alias = tables(ctx).account.get(ALIAS_KEY);
  return { AccountAliases: alias === undefined ? [] : [alias], IsTruncated: false };
}

/** Usage counts and AWS's default quotas. */
export function GetAccountSummary(_i: unknown, ctx: RequestContext) {
  const t = tables(ctx);
  const users = values(t.users);
  const groups = values(t.groups);
  const roles = values(t.roles);
  const SummaryMap: Record<string, number> = {
    Users: users.length, UsersQuota: 5000,
    Groups: groups.length, GroupsQuota: 300,
    Roles: roles.length, RolesQuota: 1000,
    Policies: t.policies.size, PoliciesQuota: 1500,
    InstanceProfiles: t.instanceProfiles.size, InstanceProfilesQuota: 1000,
    ServerCertificates: t.certificates.size, ServerCertificatesQuota: 20,
    Providers: t.oidc.size + t.saml.size,
    PolicyVersionsInUse: values(t.policies).reduce((n, p) => n + p.versions.length, 0) +
      [...users, ...groups, ...roles].reduce((n, p) => n + p.attached.length, 0),
    PolicyVersionsInUseQuota: 10000,
    AttachedPoliciesPerUserQuota: 10, AttachedPoliciesPerGroupQuota: 10, AttachedPoliciesPerRoleQuota: 10,
    GroupsPerUserQuota: 10, AccessKeysPerUserQuota: 2, SigningCertificatesPerUserQuota: 2,
    GroupPolicySizeQuota: 5120, UserPolicySizeQuota: 2048, RolePolicySizeQuota: 10240,
    PolicySizeQuota: 6144, VersionsPerPolicyQuota: 5, AssumeRolePolicySizeQuota: 2048,
    MFADevices: 0, MFADevicesInUse: 0, AccountMFAEnabled: 0,
    AccountAccessKeysPresent: 0, AccountSigningCertificatesPresent: 0, GlobalEndpointTokenVersion: 1,
  };
  return { SummaryMap };
}
