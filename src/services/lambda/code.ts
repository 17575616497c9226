/** Deployment packages and layer contents: checked, hashed and kept as blobs. */
import { createHash } from 'node:crypto';
import { AwsError } from '../../protocol/aws-error.ts';
import type { BlobRef, ServiceState } from '../../state/types.ts';
import { readZipDirectory, unzippedSize, ZipError } from '../../lambda/zip.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter } from './errors.ts';
import type { CodeRef, FunctionRecord, LayerVersionRecord, VersionRecord } from './records.ts';

/** AWS's limit on a package's unzipped size (function code and layers together). */
export const MAX_UNZIPPED = 262_144_000;

export interface CodeInput {
  ZipFile?: Uint8Array;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
  ImageUri?: string;
}

/** What kumo's S3 service offers other services for reading an object's bytes. */
interface S3Reader {
  readObject(caller: RequestContext, bucket: string, key: string, versionId?: string): Promise<Buffer>;
}

/** The zip bytes a Code/Content parameter names: inline, or an object in kumo's own S3. */
async function zipBytes(ctx: RequestContext, code: CodeInput): Promise<Buffer> {
  if (code.ImageUri !== undefined) throw new AwsError('InvalidParameterValueException', 'kumo runs .zip packages only: container images (ImageUri) are not supported', 400, { Type: 'User' });
  if (code.ZipFile !== undefined) return Buffer.from(code.ZipFile);
  if (code.S3Bucket !== undefined && code.S3Key !== undefined) {
    const s3 = ctx.services.s3 as Partial<S3Reader> | undefined;
    if (!s3?.readObject) throw invalidParameter('kumo can take code from S3 only when its S3 service is enabled');
    try {
      return await s3.readObject(ctx, code.S3Bucket, code.S3Key, code.S3ObjectVersion);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      throw invalidParameter(`Error occurred while GetObject. S3 Error Code: ${err.code}. S3 Error Message: ${err.message}`);
    }
  }
  throw invalidParameter('Please provide a source for function code.');
}

/** Checks the package is a zip within AWS's limits and stores it as a blob. */
export async function storeCode(ctx: RequestContext, code: CodeInput): Promise<CodeRef> {
  const zip = await zipBytes(ctx, code);
  let size: number;
  try {
    const entries = readZipDirectory(zip);
    if (entries.some((e) => unsafePath(e.name))) throw new ZipError('entry outside the archive root');
    size = unzippedSize(entries);
  } catch (err) {
    if (!(err instanceof ZipError)) throw err;
    throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
  }
  if (size > MAX_UNZIPPED) throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED} bytes`);
  const blob = await ctx.state.blobs.write((async function* () {
    yield zip;
  })());
  return { blob, sha256: createHash('sha256').update(zip).digest('base64'), size: zip.length };
}

/** Absolute paths and `..` segments would unpack outside the function's directory (zip-slip). */
function unsafePath(name: string): boolean {
  const n = name.replace(/\\/g, '/');
  return n.startsWith('/') || /^[a-zA-Z]:/.test(n) || n.split('/').includes('..') || n.includes('\0');
}

export async function readCode(state: ServiceState, code: CodeRef): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of state.blobs.read(code.blob)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Hex content id of a package, for the executor's unpack cache. */
export function codeId(code: CodeRef): string {
  return Buffer.from(code.sha256, 'base64').toString('hex');
}

/**
 * Releases blobs nothing references any more. Code is shared between `$LATEST`, published
 * versions and (for layers) every function using them, so references are counted over the
 * whole service state; Lambda state is small, and this runs on deletes and code updates only.
 */
export function releaseUnused(state: ServiceState, candidates: BlobRef[]): void {
  if (candidates.length === 0) return;
  const used = new Set<string>();
  const addVersion = (v: VersionRecord) => {
    used.add(v.code.blob.id);
    for (const l of v.layers) used.add(l.code.blob.id);
  };
  for (const [, f] of state.table<FunctionRecord>('functions').entries()) addVersion(f.latest);
  for (const [, v] of state.table<VersionRecord>('versions').entries()) addVersion(v);
  for (const [, l] of state.table<LayerVersionRecord>('layers').entries()) used.add(l.code.blob.id);
  const seen = new Set<string>();
  for (const ref of candidates) {
    if (used.has(ref.id) || seen.has(ref.id)) continue;
    seen.add(ref.id);
    state.blobs.release(ref);
  }
}
