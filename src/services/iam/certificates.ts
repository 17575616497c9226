/** Server certificates (uploaded PEM certificates; the private key is checked for presence, never returned). */
import { X509Certificate } from 'node:crypto';
import { AwsError, type RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { alreadyExists, noSuchEntity } from './errors.ts';
import { uniqueId } from './ids.ts';
import { paginate, underPath } from './paginate.ts';
import * as P from './principals.ts';
import { nameKey, tables, values, type ServerCertificateRecord } from './store.ts';
import { mergeTags, removeTags } from './tags.ts';

function getCert(ctx: RequestContext, name: string): ServerCertificateRecord {
  const c = tables(ctx).certificates.get(nameKey(name));
  if (!c) throw noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
  return c;
}

function metadata(c: ServerCertificateRecord) {
  return { Path: c.Path, ServerCertificateName: c.ServerCertificateName, ServerCertificateId: c.ServerCertificateId, Arn: c.Arn, UploadDate: c.UploadDate, Expiration: c.Expiration };
}

function certArn(account: string, path: string, name: string): string {
  return `arn:aws:iam::${account}:server-certificate${path}${name}`;
}

export function UploadServerCertificate(i: T.UploadServerCertificateRequest, ctx: RequestContext) {
  if (tables(ctx).certificates.has(nameKey(i.ServerCertificateName))) {
    throw alreadyExists(`The Server Certificate with name ${i.ServerCertificateName} already exists.`);
  }
  let expiration: number;
  try {
    expiration = Date.parse(new X509Certificate(i.CertificateBody).validTo);
  } catch {
    throw new AwsError('MalformedCertificateException', 'Certificate body is malformed');
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(i.PrivateKey)) throw new AwsError('MalformedCertificateException', 'Private key is malformed');
  const path = i.Path ?? '/';
  const c: ServerCertificateRecord = {
    ServerCertificateName: i.ServerCertificateName, ServerCertificateId: uniqueId(ctx.ids, 'ASCA'), Path: path,
    Arn: certArn(ctx.account, path, i.ServerCertificateName), CertificateBody: i.CertificateBody, UploadDate: ctx.clock.now(), Expiration: expiration,
    Tags: mergeTags([], i.Tags, `server certificate ${i.ServerCertificateName}`),
    ...(i.CertificateChain !== undefined ? { CertificateChain: i.CertificateChain } : {}),
  };
  tables(ctx).certificates.put(nameKey(c.ServerCertificateName), c);
  return { ServerCertificateMetadata: metadata(c), Tags: c.Tags.length ? c.Tags : undefined };
}

export function GetServerCertificate(i: T.GetServerCertificateRequest, ctx: RequestContext) {
  const c = getCert(ctx, i.ServerCertificateName);
  return {
    ServerCertificate: {
      ServerCertificateMetadata: metadata(c), CertificateBody: c.CertificateBody, CertificateChain: c.CertificateChain,
      Tags: c.Tags.length ? c.Tags : undefined,
    },
  };
}

export function ListServerCertificates(i: T.ListServerCertificatesRequest, ctx: RequestContext) {
  const page = paginate(underPath(values(tables(ctx).certificates), i.PathPrefix), i);
  return { ServerCertificateMetadataList: page.items.map(metadata), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function UpdateServerCertificate(i: T.UpdateServerCertificateRequest, ctx: RequestContext) {
  const t = tables(ctx);
  const c = getCert(ctx, i.ServerCertificateName);
  const name = i.NewServerCertificateName ?? c.ServerCertificateName;
  if (nameKey(name) !== nameKey(c.ServerCertificateName) && t.certificates.has(nameKey(name))) {
    throw alreadyExists(`The Server Certificate with name ${name} already exists.`);
  }
  const path = i.NewPath ?? c.Path;
  t.certificates.delete(nameKey(c.ServerCertificateName));
  t.certificates.put(nameKey(name), { ...c, ServerCertificateName: name, Path: path, Arn: certArn(ctx.account, path, name) });
  return {};
}

export function DeleteServerCertificate(i: T.DeleteServerCertificateRequest, ctx: RequestContext) {
  const c = getCert(ctx, i.ServerCertificateName);
  tables(ctx).certificates.delete(nameKey(c.ServerCertificateName));
  return {};
}

export function TagServerCertificate(i: T.TagServerCertificateRequest, ctx: RequestContext) {
  const c = getCert(ctx, i.ServerCertificateName);
  tables(ctx).certificates.put(nameKey(c.ServerCertificateName), { ...c, Tags: mergeTags(c.Tags, i.Tags, `server certificate ${c.ServerCertificateName}`) });
  return {};
}

export function UntagServerCertificate(i: T.UntagServerCertificateRequest, ctx: RequestContext) {
  const c = getCert(ctx, i.ServerCertificateName);
  tables(ctx).certificates.put(nameKey(c.ServerCertificateName), { ...c, Tags: removeTags(c.Tags, i.TagKeys) });
  return {};
}

export function ListServerCertificateTags(i: T.ListServerCertificateTagsRequest, ctx: RequestContext) {
  return P.listTags(getCert(ctx, i.ServerCertificateName).Tags, i);
}
