/**
 * Buckets: names (global across accounts and regions), location constraints, create, head,
 * list, delete, location.
 */
import type {
  CreateBucketOutput, CreateBucketRequest, DeleteBucketRequest, GetBucketLocationOutput, GetBucketLocationRequest,
  HeadBucketOutput, HeadBucketRequest, ListBucketsOutput, ListBucketsRequest,
} from '../../generated/s3.ts';
import { loadModel } from '../../protocol/models.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { cannedGrants, ownerOf } from './acl.ts';
import { BLOCK_ALL } from './configs.ts';
import { invalidArgument } from './errors.ts';
import { abortUploadsOf } from './multipart.ts';
import { configKey } from './keys.ts';
import { getBucket, tables, type BucketRecord, type Ownership } from './store.ts';
import { validateTags } from './tagging.ts';
import { bucketHasObjects } from './versioning.ts';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** General purpose bucket naming rules. */
function validBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (IPV4.test(name)) return false;
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p)) || RESERVED_SUFFIXES.some((s) => name.endsWith(s))) return false;
  return true;
}

let regions: Set<string> | undefined;

/** Location constraints S3 accepts (the model's enum; `EU` is eu-west-1's old name). */
function knownRegion(constraint: string): boolean {
  regions ??= new Set(loadModel('s3').shapes.BucketLocationConstraint?.enum ?? []);
  return regions.has(constraint);
}

function illegalConstraint(constraint: string | undefined): AwsError {
  return new AwsError(
    'IllegalLocationConstraintException',
    `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    400,
  );
}

/** The region a CreateBucket request puts the bucket in, by S3's location constraint rules. */
function regionFor(constraint: string | undefined, endpointRegion: string): string {
  if (constraint === undefined || constraint === '') {
    if (endpointRegion !== 'us-east-1') throw illegalConstraint(undefined);
    return 'us-east-1';
  }
  if (!knownRegion(constraint)) {
    throw new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
  }
  const region = constraint === 'EU' ? 'eu-west-1' : constraint;
  // The us-east-1 endpoint creates buckets anywhere; regional endpoints only in their region.
  if (endpointRegion !== 'us-east-1' && region !== endpointRegion) throw illegalConstraint(constraint);
  return region;
}

function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

const OWNERSHIPS: Ownership[] = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

export function CreateBucket(input: CreateBucketRequest, ctx: RequestContext): CreateBucketOutput {
  const name = input.Bucket;
  if (!validBucketName(name)) throw new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
  const conf = input.CreateBucketConfiguration;
  const region = regionFor(conf?.LocationConstraint, ctx.region);
  const buckets = tables.buckets(ctx.state);
  const existing = buckets.get(name);
  if (existing) {
    if (existing.account !== ctx.account) {
      throw new AwsError(
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        409,
        { BucketName: name },
      );
    }
    // us-east-1 answers a repeated create of one's own bucket with success (legacy behaviour).
    if (ctx.region === 'us-east-1' && existing.region === 'us-east-1') return { Location: `/${name}`, BucketArn: bucketArn(name) };
    throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: name });
  }
  const ownership = (input.ObjectOwnership ?? 'BucketOwnerEnforced') as Ownership;
  if (!OWNERSHIPS.includes(ownership)) throw invalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', ownership);
  const headerGrant = input.GrantFullControl ?? input.GrantRead ?? input.GrantReadACP ?? input.GrantWrite ?? input.GrantWriteACP;
  if (ownership === 'BucketOwnerEnforced' && ((input.ACL && input.ACL !== 'private') || headerGrant)) {
    throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
  }
  if (conf?.Tags) validateTags(conf.Tags, 50);
  const record: BucketRecord = {
    name,
    account: ctx.account,
    region,
    created: ctx.clock.now(),
    ownership,
    acl: cannedGrants(input.ACL ?? 'private', ctx.account, ctx.account),
  };
  if (input.ObjectLockEnabledForBucket) {
    record.objectLock = true;
    record.versioning = 'Enabled';
  }
  buckets.put(name, record);
  tables.configs(ctx.state).put(configKey(name, 'public-access-block'), BLOCK_ALL);
  if (conf?.Tags?.length) tables.configs(ctx.state).put(configKey(name, 'tagging'), { TagSet: conf.Tags });
  return { Location: region === 'us-east-1' ? `/${name}` : `${ctx.endpoint}/${name}/`, BucketArn: bucketArn(name) };
}

export function HeadBucket(input: HeadBucketRequest, ctx: RequestContext): HeadBucketOutput {
  const bucket = getBucket(ctx, input.Bucket);
  return { BucketRegion: bucket.region, AccessPointAlias: false, BucketArn: bucketArn(bucket.name) };
}

export function GetBucketLocation(input: GetBucketLocationRequest, ctx: RequestContext): GetBucketLocationOutput {
  const bucket = getBucket(ctx, input.Bucket);
  return { LocationConstraint: bucket.region === 'us-east-1' ? undefined : (bucket.region as GetBucketLocationOutput['LocationConstraint']) };
}

export function DeleteBucket(input: DeleteBucketRequest, ctx: RequestContext): Record<string, never> {
  const bucket = getBucket(ctx, input.Bucket);
  if (bucketHasObjects(ctx.state, bucket.name)) {
    const message = bucket.versioning
      ? 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.'
      : 'The bucket you tried to delete is not empty';
    throw new AwsError('BucketNotEmpty', message, 409, { BucketName: bucket.name });
  }
  abortUploadsOf(ctx.state, bucket.name);
  const configs = tables.configs(ctx.state);
  for (const key of [...configs.keys({ prefix: `${bucket.name}/` })]) configs.delete(key);
  tables.buckets(ctx.state).delete(bucket.name);
  return {};
}

export function ListBuckets(input: ListBucketsRequest, ctx: RequestContext): ListBucketsOutput {
  const max = input.MaxBuckets ?? 10000;
  if (max < 1 || max > 10000) throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', max);
  let after: string | undefined;
  if (input.ContinuationToken !== undefined) {
    after = Buffer.from(input.ContinuationToken, 'base64url').toString('utf8');
    if (!validBucketName(after) && !/^[a-z0-9.-]+$/.test(after)) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
  }
  const out: NonNullable<ListBucketsOutput['Buckets']> = [];
  let token: string | undefined;
  for (const [name, b] of tables.buckets(ctx.state).entries(after !== undefined ? { after } : {})) {
    if (b.account !== ctx.account) continue;
    if (input.Prefix !== undefined && !name.startsWith(input.Prefix)) continue;
    if (input.BucketRegion !== undefined && b.region !== input.BucketRegion) continue;
    if (out.length === max) {
      token = Buffer.from(out[out.length - 1]!.Name!).toString('base64url');
      break;
    }
    out.push({ Name: name, CreationDate: new Date(b.created), BucketRegion: b.region, BucketArn: bucketArn(name) });
  }
  return { Buckets: out, Owner: ownerOf(ctx.account), ContinuationToken: token, Prefix: input.Prefix };
}
