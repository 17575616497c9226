/** Mobile push: applications and endpoints are stored; publishes to endpoints are recorded, never pushed. */
import type {
  CreatePlatformApplicationInput, CreatePlatformEndpointInput, DeleteEndpointInput, DeletePlatformApplicationInput,
  GetEndpointAttributesInput, GetPlatformApplicationAttributesInput, ListEndpointsByPlatformApplicationInput,
  ListPlatformApplicationsInput, SetEndpointAttributesInput, SetPlatformApplicationAttributesInput,
} from '../../generated/sns.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter, notFound } from './errors.ts';
import { storeFor } from './store.ts';

interface Stored {
  arn: string;
  attrs: Record<string, string>;
}

const PLATFORMS = new Set(['ADM', 'APNS', 'APNS_SANDBOX', 'GCM', 'BAIDU', 'MPNS', 'WNS', 'APNS_VOIP', 'APNS_VOIP_SANDBOX']);

const misc = (ctx: RequestContext) => storeFor(ctx).tables.misc;

function getApp(ctx: RequestContext, arn: string): Stored {
  const a = misc(ctx).get(`app|${arn}`) as Stored | undefined;
  if (!a) throw notFound('PlatformApplication does not exist');
  return a;
}

function getEndpoint(ctx: RequestContext, arn: string): Stored {
  const e = misc(ctx).get(`endpoint|${arn}`) as Stored | undefined;
  if (!e) throw notFound('Endpoint does not exist');
  return e;
}

export function CreatePlatformApplication(input: CreatePlatformApplicationInput, ctx: RequestContext) {
  if (!PLATFORMS.has(input.Platform)) throw invalidParameter('Platform');
  if (!/^[A-Za-z0-9_.-]{1,256}$/.test(input.Name)) throw invalidParameter('Name');
  const arn = `arn:aws:sns:${ctx.region}:${ctx.account}:app/${input.Platform}/${input.Name}`;
  misc(ctx).put(`app|${arn}`, { arn, attrs: { Enabled: 'true', ...input.Attributes } });
  return { PlatformApplicationArn: arn };
}

export function GetPlatformApplicationAttributes(input: GetPlatformApplicationAttributesInput, ctx: RequestContext) {
  const { PlatformCredential: _, ...attrs } = getApp(ctx, input.PlatformApplicationArn).attrs;
  return { Attributes: attrs };
}

export function SetPlatformApplicationAttributes(input: SetPlatformApplicationAttributesInput, ctx: RequestContext) {
  const a = getApp(ctx, input.PlatformApplicationArn);
  misc(ctx).put(`app|${a.arn}`, { ...a, attrs: { ...a.attrs, ...input.Attributes } });
  return {};
}

export function DeletePlatformApplication(input: DeletePlatformApplicationInput, ctx: RequestContext) {
  const t = misc(ctx);
  t.delete(`app|${input.PlatformApplicationArn}`);
  const endpoints = input.PlatformApplicationArn.replace(':app/', ':endpoint/');
  for (const k of [...t.keys({ prefix: `endpoint|${endpoints}/` })]) t.delete(k);
  return {};
}

export function ListPlatformApplications(_input: ListPlatformApplicationsInput, ctx: RequestContext) {
  const prefix = `app|arn:aws:sns:${ctx.region}:${ctx.account}:`;
  return { PlatformApplications: [...misc(ctx).entries({ prefix })].map(([, v]) => ({ PlatformApplicationArn: (v as Stored).arn, Attributes: (v as Stored).attrs })) };
}

export function CreatePlatformEndpoint(input: CreatePlatformEndpointInput, ctx: RequestContext) {
  const app = getApp(ctx, input.PlatformApplicationArn);
  const base = app.arn.replace(':app/', ':endpoint/');
  for (const [, v] of misc(ctx).entries({ prefix: `endpoint|${base}/` })) {
    if ((v as Stored).attrs.Token === input.Token) return { EndpointArn: (v as Stored).arn };
  }
  const arn = `${base}/${ctx.ids.uuid()}`;
  misc(ctx).put(`endpoint|${arn}`, {
    arn, attrs: { Enabled: 'true', ...input.Attributes, Token: input.Token, ...(input.CustomUserData !== undefined ? { CustomUserData: input.CustomUserData } : {}) },
  });
  return { EndpointArn: arn };
}

export function GetEndpointAttributes(input: GetEndpointAttributesInput, ctx: RequestContext) {
  return { Attributes: getEndpoint(ctx, input.EndpointArn).attrs };
}

export function SetEndpointAttributes(input: SetEndpointAttributesInput, ctx: RequestContext) {
  const e = getEndpoint(ctx, input.EndpointArn);
  misc(ctx).put(`endpoint|${e.arn}`, { ...e, attrs: { ...e.attrs, ...input.Attributes } });
  return {};
}

export function DeleteEndpoint(input: DeleteEndpointInput, ctx: RequestContext) {
  misc(ctx).delete(`endpoint|${input.EndpointArn}`);
  return {};
}

export function ListEndpointsByPlatformApplication(input: ListEndpointsByPlatformApplicationInput, ctx: RequestContext) {
  const app = getApp(ctx, input.PlatformApplicationArn);
  const base = app.arn.replace(':app/', ':endpoint/');
  return { Endpoints: [...misc(ctx).entries({ prefix: `endpoint|${base}/` })].map(([, v]) => ({ EndpointArn: (v as Stored).arn, Attributes: (v as Stored).attrs })) };
}
