/** AssumeRole and its web-identity and SAML variants: temporary credentials for an IAM role. */
import { createHash } from 'node:crypto';
import { AwsError, type RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/sts.ts';
import type { IamApi, RoleInfo } from '../iam/internal.ts';
import { parsePolicy, policySize } from '../iam/policy-document.ts';
import { issue, session } from './sessions.ts';

const DEFAULT_DURATION = 3600;
const CHAINED_MAX = 3600;
const PACKED_LIMIT = 2048;

export function callerArn(ctx: RequestContext): string {
  return ctx.caller?.arn ?? `arn:aws:iam::${ctx.account}:root`;
}

function validation(message: string): AwsError {
  return new AwsError('ValidationError', message);
}

interface RoleTarget {
  account: string;
  role: RoleInfo;
}

/** The role an ARN names, in whatever account the ARN says; AWS refuses roles that do not exist as AccessDenied. */
function targetRole(ctx: RequestContext, roleArn: string, denied: string): RoleTarget {
  const m = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) throw validation(`${roleArn} is invalid`);
  const iam = ctx.services.iam as unknown as IamApi | undefined;
  const role = iam?.role(m[1]!, m[2]!);
  if (!role) throw new AwsError('AccessDenied', denied, 403);
  return { account: m[1]!, role };
}

function duration(requested: number | undefined, role: RoleInfo, chained: boolean): number {
  const d = requested ?? DEFAULT_DURATION;
  if (chained && d > CHAINED_MAX) throw validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  if (d > role.maxSessionDuration) throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  return d;
}

/** Session policies and tags: validated, and reported as a percentage of the packed-size limit. */
export function packedPolicySize(policy: string | undefined, arns: T.PolicyDescriptorType[] | undefined, tags: T.Tag[] | undefined): number | undefined {
  if (policy === undefined && !arns?.length && !tags?.length) return undefined;
  let size = 0;
  if (policy !== undefined) {
    parsePolicy(policy, 'identity');
    size += policySize(policy);
  }
  for (const a of arns ?? []) size += (a.arn ?? '').length;
  for (const t of tags ?? []) size += t.Key.length + t.Value.length;
  const percent = Math.ceil((size * 100) / (PACKED_LIMIT * 4));
  if (percent > 100) throw new AwsError('PackedPolicyTooLargeException', `Packed size of consumed policies exceeds 100% of limit. ${percent}% of allowed size`);
  return percent;
}

function assumed(ctx: RequestContext, target: RoleTarget, sessionName: string, seconds: number) {
  const arn = `arn:aws:sts::${target.account}:assumed-role/${target.role.roleName}/${sessionName}`;
  const userId = `${target.role.roleId}:${sessionName}`;
  const Credentials = issue(ctx, { account: target.account, arn, userId }, seconds, 'assumed-role');
  return { Credentials, AssumedRoleUser: { Arn: arn, AssumedRoleId: userId } };
}

export function AssumeRole(i: T.AssumeRoleRequest, ctx: RequestContext): T.AssumeRoleResponse {
  const target = targetRole(ctx, i.RoleArn, `User: ${callerArn(ctx)} is not authorized to perform: sts:AssumeRole on resource: ${i.RoleArn}`);
  const chained = session(ctx, ctx.accessKeyId)?.kind === 'assumed-role';
  const seconds = duration(i.DurationSeconds, target.role, chained);
  const packed = packedPolicySize(i.Policy, i.PolicyArns, i.Tags);
  return {
    ...assumed(ctx, target, i.RoleSessionName, seconds),
    ...(packed !== undefined ? { PackedPolicySize: packed } : {}),
    ...(i.SourceIdentity !== undefined ? { SourceIdentity: i.SourceIdentity } : {}),
  };
}

function invalidToken(message: string): AwsError {
  return new AwsError('InvalidIdentityTokenException', message);
}

/** The claims of a JWT (signature not checked: kumo trusts every identity provider). */
function jwtClaims(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw invalidToken('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) return claims as Record<string, unknown>;
  } catch {
    // Falls through to the same answer as a token that is not JSON at all.
  }
  throw invalidToken('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
}

export function AssumeRoleWithWebIdentity(i: T.AssumeRoleWithWebIdentityRequest, ctx: RequestContext): T.AssumeRoleWithWebIdentityResponse {
  const claims = jwtClaims(i.WebIdentityToken);
  const issuer = typeof claims['iss'] === 'string' ? claims['iss'].replace(/^https:\/\//, '') : undefined;
  const target = targetRole(ctx, i.RoleArn, 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  const seconds = duration(i.DurationSeconds, target.role, false);
  const packed = packedPolicySize(i.Policy, i.PolicyArns, undefined);
  const aud = Array.isArray(claims['aud']) ? claims['aud'][0] : claims['aud'];
  return {
    ...assumed(ctx, target, i.RoleSessionName, seconds),
    ...(packed !== undefined ? { PackedPolicySize: packed } : {}),
    ...(typeof claims['sub'] === 'string' ? { SubjectFromWebIdentityToken: claims['sub'] } : {}),
    ...(typeof aud === 'string' ? { Audience: aud } : {}),
    ...(i.ProviderId ?? issuer ? { Provider: i.ProviderId ?? issuer } : {}),
  };
}

function samlField(xml: string, pattern: RegExp): string | undefined {
  return pattern.exec(xml)?.[1]?.trim();
}

export function AssumeRoleWithSAML(i: T.AssumeRoleWithSAMLRequest, ctx: RequestContext): T.AssumeRoleWithSAMLResponse {
  const xml = Buffer.from(i.SAMLAssertion, 'base64').toString('utf8');
  if (!/<(\w+:)?(Response|Assertion)[\s>]/.test(xml)) throw invalidToken('Invalid base64 SAMLResponse (Error parsing SAML response)');
  const provider = /^arn:aws[\w-]*:iam::(\d{12}):saml-provider\/([\w.-]+)$/.exec(i.PrincipalArn);
  if (!provider) throw validation(`${i.PrincipalArn} is invalid`);
  const issuer = samlField(xml, /<(?:\w+:)?Issuer[^>]*>([^<]+)</) ?? '';
  const subject = samlField(xml, /<(?:\w+:)?NameID[^>]*>([^<]+)</) ?? '';
  const format = samlField(xml, /<(?:\w+:)?NameID[^>]*Format="([^"]+)"/);
  const audience = samlField(xml, /<(?:\w+:)?Audience>([^<]+)</) ?? 'https://signin.aws.amazon.com/saml';
  const attribute = (name: string) =>
    samlField(xml, new RegExp(`Name="${name.replace(/[.]/g, '\\.')}"[^>]*>\\s*<(?:\\w+:)?AttributeValue[^>]*>([^<]+)<`));
  const sessionName = attribute('https://aws.amazon.com/SAML/Attributes/RoleSessionName') ?? subject;
  if (!sessionName) throw invalidToken('Invalid SAML assertion: no RoleSessionName attribute and no NameID');
  const target = targetRole(ctx, i.RoleArn, 'Not authorized to perform sts:AssumeRoleWithSAML');
  const fromAssertion = Number(attribute('https://aws.amazon.com/SAML/Attributes/SessionDuration'));
  const seconds = duration(i.DurationSeconds ?? (Number.isInteger(fromAssertion) && fromAssertion > 0 ? fromAssertion : undefined), target.role, false);
  const packed = packedPolicySize(i.Policy, i.PolicyArns, undefined);
  // NameQualifier is how AWS documents it: base64(SHA1(issuer + account id + "/" + provider name)).
  const nameQualifier = createHash('sha1').update(issuer + provider[1] + '/' + provider[2]).digest('base64');
  const subjectType = format?.replace(/^urn:oasis:names:tc:SAML:2\.0:nameid-format:/, '');
  return {
    ...assumed(ctx, target, sessionName, seconds),
    ...(packed !== undefined ? { PackedPolicySize: packed } : {}),
    Subject: subject, Issuer: issuer, Audience: audience, NameQualifier: nameQualifier,
    ...(subjectType ? { SubjectType: subjectType } : {}),
  };
}
