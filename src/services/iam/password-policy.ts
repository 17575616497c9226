/** The account password policy, and the checks it imposes on login profile passwords. */
import { AwsError, type RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { noSuchEntity } from './errors.ts';
import { tables } from './store.ts';

const KEY = 'passwordPolicy';
const DEFAULT_MIN_LENGTH = 6;

function stored(ctx: RequestContext): T.PasswordPolicy | undefined {
  const text = tables(ctx).account.get(KEY);
  return text === undefined ? undefined : (JSON.parse(text) as T.PasswordPolicy);
}

function notFound(ctx: RequestContext): AwsError {
  return noSuchEntity(`The Password Policy with domain name ${ctx.account} cannot be found.`);
}

export function UpdateAccountPasswordPolicy(i: T.UpdateAccountPasswordPolicyRequest, ctx: RequestContext) {
  const policy: T.PasswordPolicy = {
    MinimumPasswordLength: i.MinimumPasswordLength ?? DEFAULT_MIN_LENGTH,
    RequireSymbols: i.RequireSymbols ?? false,
    RequireNumbers: i.RequireNumbers ?? false,
    RequireUppercaseCharacters: i.RequireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: i.RequireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: i.AllowUsersToChangePassword ?? false,
    ExpirePasswords: (i.MaxPasswordAge ?? 0) > 0,
    ...(i.MaxPasswordAge !== undefined ? { MaxPasswordAge: i.MaxPasswordAge } : {}),
    ...(i.PasswordReusePrevention !== undefined ? { PasswordReusePrevention: i.PasswordReusePrevention } : {}),
    ...(i.HardExpiry !== undefined ? { HardExpiry: i.HardExpiry } : {}),
  };
  tables(ctx).account.put(KEY, JSON.stringify(policy));
  return {};
}

export function GetAccountPasswordPolicy(_i: unknown, ctx: RequestContext) {
  const policy = stored(ctx);
  if (!policy) throw notFound(ctx);
  return { PasswordPolicy: policy };
}

export function DeleteAccountPasswordPolicy(_i: unknown, ctx: RequestContext) {
  if (!tables(ctx).account.delete(KEY)) throw notFound(ctx);
  return {};
}

/** PasswordPolicyViolation with the first rule the password breaks. */
export function checkPassword(ctx: RequestContext, password: string): void {
  const p = stored(ctx);
  if (!p) return;
  const fail = (m: string) => new AwsError('PasswordPolicyViolationException', m);
  if (password.length < (p.MinimumPasswordLength ?? DEFAULT_MIN_LENGTH)) throw fail(`Password should have a minimum length of ${p.MinimumPasswordLength}`);
  if (p.RequireLowercaseCharacters && !/[a-z]/.test(password)) throw fail('Password should have at least one lowercase letter');
  if (p.RequireUppercaseCharacters && !/[A-Z]/.test(password)) throw fail('Password should have at least one uppercase letter');
  if (p.RequireNumbers && !/[0-9]/.test(password)) throw fail('Password should have at least one number');
  if (p.RequireSymbols && !/[^A-Za-z0-9]/.test(password)) throw fail('Password should have at least one symbol');
}
