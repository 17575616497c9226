/** Identity providers: OpenID Connect and SAML. */
import type { RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { alreadyExists, invalidInput, limitExceeded, noSuchEntity } from './errors.ts';
import * as P from './principals.ts';
import { tables, values, type OidcProviderRecord, type SamlProviderRecord } from './store.ts';
import { mergeTags, removeTags } from './tags.ts';

const MAX_CLIENT_IDS = 100;
const MAX_THUMBPRINTS = 5;
/** AWS gives SAML providers a validity far in the future when the metadata does not say. */
const SAML_VALIDITY_MS = 100 * 365 * 24 * 3600 * 1000;

function oidc(ctx: RequestContext, arn: string): OidcProviderRecord {
  const p = tables(ctx).oidc.get(arn);
  if (!p) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return p;
}

export function CreateOpenIDConnectProvider(i: T.CreateOpenIDConnectProviderRequest, ctx: RequestContext) {
  let url: URL;
  try {
    url = new URL(i.Url);
  } catch {
    throw invalidInput('Invalid Openid Connect Provider URL');
  }
  if (url.protocol !== 'https:') throw invalidInput('Invalid Openid Connect Provider URL');
  const host = (url.host + url.pathname).replace(/\/$/, '');
  const arn = `arn:aws:iam::${ctx.account}:oidc-provider/${host}`;
  if (tables(ctx).oidc.has(arn)) throw alreadyExists(`Provider with url ${i.Url} already exists.`);
  const clients = [...new Set(i.ClientIDList ?? [])];
  const thumbprints = i.ThumbprintList ?? [];
  if (clients.length > MAX_CLIENT_IDS) throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`);
  if (thumbprints.length > MAX_THUMBPRINTS) throw limitExceeded(`Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: ${MAX_THUMBPRINTS}`);
  const p: OidcProviderRecord = { Arn: arn, Url: host, ClientIDList: clients, ThumbprintList: thumbprints, CreateDate: ctx.clock.now(), Tags: mergeTags([], i.Tags, 'OIDC provider') };
  tables(ctx).oidc.put(arn, p);
  return { OpenIDConnectProviderArn: arn, Tags: p.Tags.length ? p.Tags : undefined };
}

export function GetOpenIDConnectProvider(i: T.GetOpenIDConnectProviderRequest, ctx: RequestContext) {
  const p = oidc(ctx, i.OpenIDConnectProviderArn);
  return { Url: p.Url, ClientIDList: p.ClientIDList, ThumbprintList: p.ThumbprintList, CreateDate: p.CreateDate, Tags: p.Tags.length ? p.Tags : undefined };
}

export function ListOpenIDConnectProviders(_i: unknown, ctx: RequestContext) {
  return { OpenIDConnectProviderList: values(tables(ctx).oidc).map((p) => ({ Arn: p.Arn })) };
}

export function DeleteOpenIDConnectProvider(i: T.DeleteOpenIDConnectProviderRequest, ctx: RequestContext) {
  oidc(ctx, i.OpenIDConnectProviderArn);
  tables(ctx).oidc.delete(i.OpenIDConnectProviderArn);
  return {};
}

export function AddClientIDToOpenIDConnectProvider(i: T.AddClientIDToOpenIDConnectProviderRequest, ctx: RequestContext) {
  const p = oidc(ctx, i.OpenIDConnectProviderArn);
  if (p.ClientIDList.includes(i.ClientID)) return {};
  if (p.ClientIDList.length >= MAX_CLIENT_IDS) throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`);
  tables(ctx).oidc.put(p.Arn, { ...p, ClientIDList: [...p.ClientIDList, i.ClientID] });
  return {};
}

export function RemoveClientIDFromOpenIDConnectProvider(i: T.RemoveClientIDFromOpenIDConnectProviderRequest, ctx: RequestContext) {
  const p = oidc(ctx, i.OpenIDConnectProviderArn);
  tables(ctx).oidc.put(p.Arn, { ...p, ClientIDList: p.ClientIDList.filter((c) => c !== i.ClientID) });
  return {};
}

export function UpdateOpenIDConnectProviderThumbprint(i: T.UpdateOpenIDConnectProviderThumbprintRequest, ctx: RequestContext) {
  const p = oidc(ctx, i.OpenIDConnectProviderArn);
  if (i.ThumbprintList.length > MAX_THUMBPRINTS) throw limitExceeded(`Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: ${MAX_THUMBPRINTS}`);
  tables(ctx).oidc.put(p.Arn, { ...p, ThumbprintList: i.ThumbprintList });
  return {};
}

export function TagOpenIDConnectProvider(i: T.TagOpenIDConnectProviderRequest, ctx: RequestContext) {
  const p = oidc(ctx, i.OpenIDConnectProviderArn);
  tables(ctx).oidc.put(p.Arn, { ...p, Tags: mergeTags(p.Tags, i.Tags, 'OIDC provider') });
  return {};
}

export function UntagOpenIDConnectProvider(i: T.UntagOpenIDConnectProviderRequest, ctx: RequestContext) {
  const p = oidc(ctx, i.OpenIDConnectProviderArn);
  tables(ctx).oidc.put(p.Arn, { ...p, Tags: removeTags(p.Tags, i.TagKeys) });
  return {};
}

export function ListOpenIDConnectProviderTags(i: T.ListOpenIDConnectProviderTagsRequest, ctx: RequestContext) {
  return P.listTags(oidc(ctx, i.OpenIDConnectProviderArn).Tags, i);
}

function saml(ctx: RequestContext, arn: string): SamlProviderRecord {
  const p = tables(ctx).saml.get(arn);
  if (!p) throw noSuchEntity(`SAMLProvider ${arn} does not exist.`);
  return p;
}

function validUntil(ctx: RequestContext, metadata: string): number {
  const m = /validUntil="([^"]+)"/.exec(metadata);
  const parsed = m ? Date.parse(m[1]!) : NaN;
  return Number.isNaN(parsed) ? ctx.clock.now() + SAML_VALIDITY_MS : parsed;
}

function checkMetadata(doc: string): void {
  if (!/<(\w+:)?EntityDescriptor[\s>]/.test(doc)) throw invalidInput('Could not parse metadata');
}

export function CreateSAMLProvider(i: T.CreateSAMLProviderRequest, ctx: RequestContext) {
  const arn = `arn:aws:iam::${ctx.account}:saml-provider/${i.Name}`;
  if (tables(ctx).saml.has(arn)) throw alreadyExists(`SAMLProvider ${i.Name} already exists`);
  checkMetadata(i.SAMLMetadataDocument);
  const p: SamlProviderRecord = {
    Arn: arn, Name: i.Name, SAMLMetadataDocument: i.SAMLMetadataDocument, CreateDate: ctx.clock.now(),
    ValidUntil: validUntil(ctx, i.SAMLMetadataDocument), Tags: mergeTags([], i.Tags, 'SAML provider'),
  };
  tables(ctx).saml.put(arn, p);
  return { SAMLProviderArn: arn, Tags: p.Tags.length ? p.Tags : undefined };
}

export function GetSAMLProvider(i: T.GetSAMLProviderRequest, ctx: RequestContext) {
  const p = saml(ctx, i.SAMLProviderArn);
  return { SAMLMetadataDocument: p.SAMLMetadataDocument, CreateDate: p.CreateDate, ValidUntil: p.ValidUntil, Tags: p.Tags.length ? p.Tags : undefined };
}

export function ListSAMLProviders(_i: unknown, ctx: RequestContext) {
  return { SAMLProviderList: values(tables(ctx).saml).map((p) => ({ Arn: p.Arn, CreateDate: p.CreateDate, ValidUntil: p.ValidUntil })) };
}

export function UpdateSAMLProvider(i: T.UpdateSAMLProviderRequest, ctx: RequestContext) {
  const p = saml(ctx, i.SAMLProviderArn);
  if (i.SAMLMetadataDocument !== undefined) {
    checkMetadata(i.SAMLMetadataDocument);
    tables(ctx).saml.put(p.Arn, { ...p, SAMLMetadataDocument: i.SAMLMetadataDocument, ValidUntil: validUntil(ctx, i.SAMLMetadataDocument) });
  }
  return { SAMLProviderArn: p.Arn };
}

export function DeleteSAMLProvider(i: T.DeleteSAMLProviderRequest, ctx: RequestContext) {
  saml(ctx, i.SAMLProviderArn);
  tables(ctx).saml.delete(i.SAMLProviderArn);
  return {};
}

export function TagSAMLProvider(i: T.TagSAMLProviderRequest, ctx: RequestContext) {
  const p = saml(ctx, i.SAMLProviderArn);
  tables(ctx).saml.put(p.Arn, { ...p, Tags: mergeTags(p.Tags, i.Tags, 'SAML provider') });
  return {};
}

export function UntagSAMLProvider(i: T.UntagSAMLProviderRequest, ctx: RequestContext) {
  const p = saml(ctx, i.SAMLProviderArn);
  tables(ctx).saml.put(p.Arn, { ...p, Tags: removeTags(p.Tags, i.TagKeys) });
  return {};
}

export function ListSAMLProviderTags(i: T.ListSAMLProviderTagsRequest, ctx: RequestContext) {
  return P.listTags(saml(ctx, i.SAMLProviderArn).Tags, i);
}
