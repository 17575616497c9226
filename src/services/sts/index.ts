/**
 * AWS Security Token Service: temporary credentials (assumed roles, session tokens, federated
 * users) that later requests resolve back to their account and identity (see `identity`).
 */
import { AwsError, defineService, type RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/sts.ts';
import type { IamApi } from '../iam/internal.ts';
import { AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity, packedPolicySize } from './roles.ts';
import { identityOfSession, issue, session } from './sessions.ts';

const ROOT_SESSION_MAX = 3600;

function GetCallerIdentity(_input: T.GetCallerIdentityRequest, ctx: RequestContext): T.GetCallerIdentityResponse {
  // Long-term root credentials: AWS reports the account id as the user id and the root ARN.
  const c = ctx.caller ?? { userId: ctx.account, account: ctx.account, arn: `arn:aws:iam::${ctx.account}:root` };
  return { UserId: c.userId, Account: c.account, Arn: c.arn };
}

function isRoot(ctx: RequestContext): boolean {
  return !ctx.caller;
}

function GetSessionToken(i: T.GetSessionTokenRequest, ctx: RequestContext): T.GetSessionTokenResponse {
  if (session(ctx, ctx.accessKeyId)) throw new AwsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  let seconds = i.DurationSeconds ?? 43200;
  if (isRoot(ctx)) seconds = Math.min(seconds, ROOT_SESSION_MAX);
  const identity = ctx.caller ?? { account: ctx.account, arn: `arn:aws:iam::${ctx.account}:root`, userId: ctx.account };
  return { Credentials: issue(ctx, identity, seconds, 'session') };
}

function GetFederationToken(i: T.GetFederationTokenRequest, ctx: RequestContext): T.GetFederationTokenResponse {
  if (session(ctx, ctx.accessKeyId)) throw new AwsError('AccessDenied', 'Cannot call GetFederationToken with session credentials', 403);
  let seconds = i.DurationSeconds ?? 43200;
  if (isRoot(ctx)) seconds = Math.min(seconds, ROOT_SESSION_MAX);
  const packed = packedPolicySize(i.Policy, i.PolicyArns, i.Tags);
  const FederatedUser = { FederatedUserId: `${ctx.account}:${i.Name}`, Arn: `arn:aws:sts::${ctx.account}:federated-user/${i.Name}` };
  const Credentials = issue(ctx, { account: ctx.account, arn: FederatedUser.Arn, userId: FederatedUser.FederatedUserId }, seconds, 'federated');
  return { Credentials, FederatedUser, ...(packed !== undefined ? { PackedPolicySize: packed } : {}) };
}

/** The account a key belongs to: kumo's own records first, then the 12-digit convention, else the caller's. */
function GetAccessKeyInfo(i: T.GetAccessKeyInfoRequest, ctx: RequestContext): T.GetAccessKeyInfoResponse {
  const own = session(ctx, i.AccessKeyId)?.account ?? (ctx.services.iam as unknown as IamApi | undefined)?.keyAccount(i.AccessKeyId);
  return { Account: own ?? (/^\d{12}$/.test(i.AccessKeyId) ? i.AccessKeyId : ctx.account) };
}

/** kumo never denies a request, so it never encodes an authorization message to decode. */
function DecodeAuthorizationMessage(): never {
  throw new AwsError('InvalidAuthorizationMessageException', 'The message provided is invalid.');
}

export default defineService({
  name: 'sts',
  global: true,
  operations: {
    GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML,
    GetSessionToken, GetFederationToken, GetAccessKeyInfo, DecodeAuthorizationMessage,
  },
  identity: identityOfSession,
});
