import type {
  CheckIfPhoneNumberIsOptedOutInput, GetSMSAttributesInput, ListPhoneNumbersOptedOutInput, OptInPhoneNumberInput, SetSMSAttributesInput,
} from '../../generated/sns.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter } from './errors.ts';
import { storeFor } from './store.ts';

const SMS_ATTRIBUTES = new Set([
  'MonthlySpendLimit', 'DeliveryStatusIAMRole', 'DeliveryStatusSuccessSamplingRate', 'DefaultSenderID', 'DefaultSMSType', 'UsageReportS3Bucket',
]);

const key = (ctx: RequestContext, what: string) => `${ctx.account}/${ctx.region}/${what}`;

export function SetSMSAttributes(input: SetSMSAttributesInput, ctx: RequestContext) {
  const attrs = input.attributes ?? {};
  for (const [k, v] of Object.entries(attrs)) {
    if (!SMS_ATTRIBUTES.has(k)) throw invalidParameter(`${k} is not a valid attribute`);
    if (k === 'DefaultSMSType' && v !== 'Promotional' && v !== 'Transactional') throw invalidParameter('DefaultSMSType Reason: must be Promotional or Transactional');
  }
  const misc = storeFor(ctx).tables.misc;
  const current = (misc.get(key(ctx, 'sms')) ?? {}) as Record<string, string>;
  misc.put(key(ctx, 'sms'), { ...current, ...attrs });
  return {};
}

export function GetSMSAttributes(input: GetSMSAttributesInput, ctx: RequestContext) {
  const all = (storeFor(ctx).tables.misc.get(key(ctx, 'sms')) ?? {}) as Record<string, string>;
  const names = input.attributes;
  return { attributes: names?.length ? Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]!])) : all };
}

function optedOut(ctx: RequestContext): string[] {
  return (storeFor(ctx).tables.misc.get(key(ctx, 'opted-out')) ?? []) as string[];
}

export function CheckIfPhoneNumberIsOptedOut(input: CheckIfPhoneNumberIsOptedOutInput, ctx: RequestContext) {
  return { isOptedOut: optedOut(ctx).includes(input.phoneNumber) };
}

export function ListPhoneNumbersOptedOut(_input: ListPhoneNumbersOptedOutInput, ctx: RequestContext) {
  return { phoneNumbers: optedOut(ctx) };
}

export function OptInPhoneNumber(input: OptInPhoneNumberInput, ctx: RequestContext) {
  storeFor(ctx).tables.misc.put(key(ctx, 'opted-out'), optedOut(ctx).filter((n) => n !== input.phoneNumber));
  return {};
}
