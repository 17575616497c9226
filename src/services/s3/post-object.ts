/**
 * POST object: browser form uploads (multipart/form-data) with policy documents. The policy's
 * expiration and conditions (exact matches, eq, starts-with, content-length-range) are checked,
 * every form field must be covered by a condition, and with KUMO_S3_VERIFY_SIGNATURES=1 the
 * SigV4 signature of the policy is verified. The file streams into the blob store.
 */
import type { PostObjectOutput, PostObjectRequest, Tag } from '../../generated/s3.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { checkContentMd5, ingest } from './bodies.ts';
import { headerName, parseAlgorithm, wellFormed, ALGORITHMS, badChecksum, type Algorithm } from './checksums.ts';
import { checkWriteConditions } from './conditions.ts';
import { accessDenied, invalidArgument, invalidRequest } from './errors.ts';
import { checkKey } from './object-headers.ts';
import { MAX_PUT_SIZE, writeAttributes } from './objects.ts';
import { boundaryOf, FormReader, type FormPart } from './multipart-form.ts';
import { notifyObject } from './notify.ts';
import { hmacHex, parseAmzDate, parseCredential, sameHex, signingKey } from './sigv4.ts';
import { currentObject, getBucket, release, type StoredChecksum } from './store.ts';
import { validateTags } from './tagging.ts';
import { commitVersion, shownVersionId } from './versioning.ts';

const MAX_FIELDS_BYTES = 20 * 1024;

function policyDocumentError(message: string): AwsError {
  return new AwsError('InvalidPolicyDocument', message, 400);
}

function policyDenied(message: string): AwsError {
  return accessDenied(`Invalid according to Policy: ${message}`);
}

type Condition = { kind: 'eq' | 'starts-with'; field: string; value: string; raw: unknown } | { kind: 'range'; min: number; max: number; raw: unknown };

interface Policy {
  expiration: number;
  conditions: Condition[];
}

function parsePolicy(b64: string): Policy {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  if (text.trim() === '') throw policyDocumentError("Invalid Policy: Expecting '{' but found End-of-Input");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw policyDocumentError('Invalid Policy: Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null) throw policyDocumentError('Invalid Policy: Invalid JSON.');
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw policyDocumentError('Invalid Policy: Policy missing expiration.');
  const at = typeof expiration === 'string' ? Date.parse(expiration) : NaN;
  if (Number.isNaN(at)) throw policyDocumentError(`Invalid Policy: Invalid 'expiration' value: '${String(expiration)}'`);
  if (conditions === undefined) throw policyDocumentError('Invalid Policy: Policy missing conditions.');
  if (!Array.isArray(conditions)) throw policyDocumentError("Invalid Policy: Invalid 'conditions' value: must be a List.");
  return { expiration: at, conditions: conditions.map(parseCondition) };
}

function parseCondition(c: unknown): Condition {
  if (Array.isArray(c)) {
    const op = typeof c[0] === 'string' ? c[0].toLowerCase() : undefined;
    if (!op) throw policyDocumentError('Invalid Policy: Invalid Condition: missing operation identifier.');
    if (op === 'content-length-range') {
      if (c.length !== 3) throw policyDocumentError('Invalid Policy: Invalid content-length-range: wrong number of arguments.');
      return { kind: 'range', min: Number(c[1]), max: Number(c[2]), raw: c };
    }
    if (op !== 'eq' && op !== 'starts-with') throw policyDocumentError(`Invalid Policy: Invalid Condition: unknown operation '${c[0]}'.`);
    if (c.length !== 3) throw policyDocumentError(`Invalid Policy: Invalid ${op}: wrong number of arguments.`);
    const field = String(c[1]).replace(/^\$/, '').toLowerCase();
    return { kind: op, field, value: String(c[2]), raw: c };
  }
  if (typeof c === 'object' && c !== null) {
    const entries = Object.entries(c);
    if (entries.length !== 1) throw policyDocumentError('Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [field, value] = entries[0]!;
    if (typeof value !== 'string') throw policyDocumentError('Invalid Policy: Invalid Simple-Condition: value must be a string.');
    return { kind: 'eq', field: field.toLowerCase(), value, raw: c };
  }
  throw policyDocumentError('Invalid Policy: Invalid condition test: must be a List or Object.');
}

/** Fields the policy need not mention. */
function exempt(name: string): boolean {
  return name === 'policy' || name === 'x-amz-signature' || name === 'file' || name.startsWith('x-ignore-');
}

function checkConditions(policy: Policy, fields: Map<string, string>, bucket: string): void {
  const value = (field: string) => (field === 'bucket' ? bucket : fields.get(field) ?? '');
  for (const c of policy.conditions) {
    if (c.kind === 'range') continue;
    const v = value(c.field);
    const ok = c.kind === 'eq' ? v === c.value : v.startsWith(c.value);
    if (!ok) throw policyDenied(`Policy Condition failed: ${JSON.stringify(c.raw)}`);
  }
  const covered = new Set(policy.conditions.flatMap((c) => (c.kind === 'range' ? [] : [c.field])));
  for (const name of fields.keys()) {
    if (!exempt(name) && !covered.has(name)) throw policyDenied(`Extra input fields: ${name}`);
  }
}

function checkLengthRange(policy: Policy, size: number): void {
  for (const c of policy.conditions) {
    if (c.kind !== 'range') continue;
    if (size < c.min) {
      throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, { ProposedSize: size, MinSizeAllowed: c.min });
    }
    if (size > c.max) {
      throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: size, MaxSizeAllowed: c.max });
    }
  }
}

function missingField(name: string): AwsError {
  return invalidArgument(`Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, name, '');
}

/** SigV4 POST: the signature is an HMAC of the base64 policy with the signing key of x-amz-credential. */
function verifyPolicySignature(ctx: RequestContext, fields: Map<string, string>, policyB64: string): void {
  for (const name of ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature']) if (!fields.has(name)) throw missingField(name);
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') throw invalidArgument('Only AWS4-HMAC-SHA256 is supported for POST uploads', 'x-amz-algorithm', fields.get('x-amz-algorithm'));
  const credential = parseCredential(fields.get('x-amz-credential')!);
  if (!credential || parseAmzDate(fields.get('x-amz-date')!) === undefined) {
    throw invalidArgument('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".', 'x-amz-credential', fields.get('x-amz-credential'));
  }
  const secret = ctx.settings!.s3Credentials[credential.accessKeyId];
  if (secret === undefined) {
    throw new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, { AWSAccessKeyId: credential.accessKeyId });
  }
  const expected = hmacHex(signingKey(secret, credential.date, credential.region, credential.service), policyB64);
  if (!sameHex(expected, fields.get('x-amz-signature')!)) {
    throw new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403, {
      AWSAccessKeyId: credential.accessKeyId,
      StringToSign: policyB64,
      SignatureProvided: fields.get('x-amz-signature'),
    });
  }
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);
}

/** The `tagging` field: a `<Tagging><TagSet><Tag>...` document. */
function parseTaggingField(xml: string): Tag[] {
  const tags: Tag[] = [];
  for (const m of xml.matchAll(/<Tag>\s*<Key>([^<]*)<\/Key>\s*<Value>([^<]*)<\/Value>\s*<\/Tag>/g)) tags.push({ Key: unescapeXml(m[1]!), Value: unescapeXml(m[2]!) });
  if (!tags.length && xml.trim() !== '') throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  validateTags(tags, 10);
  return tags;
}

async function readFields(reader: FormReader): Promise<{ fields: Map<string, string>; file?: FormPart }> {
  const fields = new Map<string, string>();
  let budget = MAX_FIELDS_BYTES;
  for (let part = await reader.next(); part; part = await reader.next()) {
    if (part.name.toLowerCase() === 'file') return { fields, file: part };
    const value = await reader.text(budget);
    budget -= Buffer.byteLength(value);
    fields.set(part.name.toLowerCase(), value);
  }
  return { fields };
}

export async function PostObject(input: PostObjectRequest, ctx: RequestContext): Promise<PostObjectOutput> {
  const bucket = getBucket(ctx, input.Bucket);
  const boundary = boundaryOf(input.ContentType);
  if (!boundary || !input.Body) {
    throw new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
      Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
    });
  }
  const reader = new FormReader(input.Body, boundary);
  const { fields, file } = await readFields(reader);
  if (!file) throw invalidArgument('POST requires exactly one file upload per request.', 'file', '0');
  const rawKey = fields.get('key');
  if (rawKey === undefined) throw missingField('key');
  const key = rawKey.replace(/\$\{filename\}/g, file.filename ?? '');
  if (key === '') throw invalidArgument('User key must have a length greater than 0.', 'key', '');
  checkKey(key);
  const now = ctx.clock.now();
  const policyB64 = fields.get('policy');
  let policy: Policy | undefined;
  if (policyB64 !== undefined) {
    policy = parsePolicy(policyB64);
    if (policy.expiration <= now) throw policyDenied('Policy expired.');
    if (ctx.settings?.s3VerifySignatures) verifyPolicySignature(ctx, fields, policyB64);
    checkConditions(policy, fields, bucket.name);
  } else if (ctx.settings?.s3VerifySignatures) {
    throw accessDenied('Access Denied');
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of fields) if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
  const attrs = writeAttributes(ctx, bucket, {
    Key: key,
    ContentType: fields.get('content-type') ?? file.contentType,
    CacheControl: fields.get('cache-control'),
    ContentDisposition: fields.get('content-disposition'),
    ContentEncoding: fields.get('content-encoding'),
    Expires: fields.get('expires'),
    WebsiteRedirectLocation: fields.get('x-amz-website-redirect-location'),
    Metadata: metadata,
    StorageClass: fields.get('x-amz-storage-class'),
    ACL: fields.get('acl'),
    ServerSideEncryption: fields.get('x-amz-server-side-encryption'),
    SSEKMSKeyId: fields.get('x-amz-server-side-encryption-aws-kms-key-id'),
    SSECustomerAlgorithm: fields.get('x-amz-server-side-encryption-customer-algorithm'),
    SSECustomerKey: fields.get('x-amz-server-side-encryption-customer-key'),
    SSECustomerKeyMD5: fields.get('x-amz-server-side-encryption-customer-key-md5'),
  });
  const tagging = fields.get('tagging');
  if (tagging !== undefined) attrs.tags = parseTaggingField(tagging);
  const given = ALGORITHMS.filter((a) => fields.has(headerName(a)));
  if (given.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const algorithm: Algorithm | undefined = given[0] ?? parseAlgorithm(fields.get('x-amz-checksum-algorithm'));
  const expected = algorithm ? fields.get(headerName(algorithm)) : undefined;
  if (algorithm && expected !== undefined && !wellFormed(algorithm, expected)) throw invalidRequest(`Value for ${headerName(algorithm)} header is invalid.`);
  checkContentMd5(fields.get('content-md5'), undefined);
  checkWriteConditions(key, currentObject(ctx.state, bucket.name, key), undefined, undefined);
  const got = await ingest(ctx.state, reader.body(), { algorithms: algorithm ? [algorithm] : [], maxSize: MAX_PUT_SIZE });
  let checksum: StoredChecksum | undefined;
  try {
    // Fields after the file are ignored, as S3 does; the rest of the body is read and dropped.
    while (await reader.next()) for await (const _rest of reader.body());
    if (policy) checkLengthRange(policy, got.size);
    checkContentMd5(fields.get('content-md5'), got.md5);
    if (algorithm) {
      if (expected !== undefined && expected !== got.checksums[algorithm]) throw badChecksum(algorithm);
      checksum = { algorithm, value: got.checksums[algorithm]!, type: 'FULL_OBJECT' };
    }
  } catch (err) {
    release(ctx.state, [got.blob]);
    throw err;
  }
  const target = getBucket(ctx, input.Bucket);
  const rec = commitVersion(ctx.state, ctx.ids, target, { ...attrs, size: got.size, etag: `"${got.md5.toString('hex')}"`, segments: [got.blob], checksum });
  notifyObject(ctx, target, 'ObjectCreated:Post', rec);
  const location = `${ctx.endpoint}/${target.name}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
  const out: PostObjectOutput = { ETag: rec.etag, Location: location, VersionId: target.versioning ? shownVersionId(target, rec) : undefined };
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect) {
    let url: URL | undefined;
    try {
      url = new URL(redirect);
    } catch {
      url = undefined;
    }
    if (url) {
      url.searchParams.set('bucket', target.name);
      url.searchParams.set('key', key);
      url.searchParams.set('etag', rec.etag);
      return { ...out, StatusCode: 303, Location: url.toString() };
    }
  }
  const status = fields.get('success_action_status');
  if (status === '201') return { ...out, StatusCode: 201, Result: { Location: location, Bucket: target.name, Key: key, ETag: rec.etag } };
  return { ...out, StatusCode: status === '200' ? 200 : 204 };
}
