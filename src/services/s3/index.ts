/**
 * Amazon S3: buckets and their configurations, objects streamed to the blob store with
 * checksums, multipart uploads, versioning, listings by ordered range scans, presigned URLs,
 * POST uploads, bucket CORS, lifecycle rules on kumo's clock, event notifications delivered to
 * SQS, SNS, Lambda and EventBridge, and an internal API other services read and write objects with.
 */
import { defineService, type Handler } from '../framework/define.ts';
import { GetBucketAcl, GetObjectAcl, PutBucketAcl, PutObjectAcl } from './acl.ts';
import { GetObjectAttributes, RestoreObject } from './attributes.ts';
import { CreateBucket, DeleteBucket, GetBucketLocation, HeadBucket, ListBuckets } from './buckets.ts';
import {
  DeleteBucketEncryption, DeleteBucketOwnershipControls, DeleteBucketPolicy, DeleteBucketReplication, DeleteBucketWebsite,
  DeletePublicAccessBlock, GetBucketAccelerateConfiguration, GetBucketEncryption, GetBucketLogging, GetBucketOwnershipControls,
  GetBucketPolicy, GetBucketPolicyStatus, GetBucketReplication, GetBucketRequestPayment, GetBucketWebsite, GetPublicAccessBlock,
  PutBucketAccelerateConfiguration, PutBucketEncryption, PutBucketLogging, PutBucketOwnershipControls, PutBucketPolicy,
  PutBucketReplication, PutBucketRequestPayment, PutBucketWebsite, PutPublicAccessBlock,
} from './configs.ts';
import { CopyObject } from './copy.ts';
import { corsHeaders, DeleteBucketCors, GetBucketCors, PutBucketCors } from './cors.ts';
import { accessDenied } from './errors.ts';
import { DeleteBucketLifecycle, GetBucketLifecycleConfiguration, PutBucketLifecycleConfiguration, scheduleLifecycle } from './lifecycle.ts';
import { ListObjects, ListObjectsV2, ListObjectVersions } from './listing.ts';
import {
  AbortMultipartUpload, CompleteMultipartUpload, CreateMultipartUpload, ListMultipartUploads, ListParts, UploadPart, UploadPartCopy,
} from './multipart.ts';
import { s3Internal } from './internal.ts';
import { GetBucketNotificationConfiguration, PutBucketNotificationConfiguration } from './notifications.ts';
import { closeNotifier, installNotifier, notificationQueue } from './notify.ts';
import {
  GetObjectLegalHold, GetObjectLockConfiguration, GetObjectRetention, PutObjectLegalHold, PutObjectLockConfiguration, PutObjectRetention,
} from './object-lock.ts';
import { DeleteObject, DeleteObjects, GetObject, HeadObject, PutObject } from './objects.ts';
import { PostObject } from './post-object.ts';
import { checkSignature } from './sigv4.ts';
import { rebuildRefs, tables } from './store.ts';
import {
  DeleteBucketTagging, DeleteObjectTagging, GetBucketTagging, GetObjectTagging, PutBucketTagging, PutObjectTagging,
} from './tagging.ts';
import { GetBucketVersioning, PutBucketVersioning } from './versioning.ts';

const handlers: Record<string, Handler> = {
  CreateBucket, HeadBucket, ListBuckets, DeleteBucket, GetBucketLocation,
  PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects, CopyObject, PostObject,
  ListObjects, ListObjectsV2, ListObjectVersions,
  CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads,
  GetBucketVersioning, PutBucketVersioning,
  GetObjectTagging, PutObjectTagging, DeleteObjectTagging, GetBucketTagging, PutBucketTagging, DeleteBucketTagging,
  GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl,
  GetBucketCors, PutBucketCors, DeleteBucketCors,
  GetBucketLifecycleConfiguration, PutBucketLifecycleConfiguration, DeleteBucketLifecycle,
  GetBucketEncryption, PutBucketEncryption, DeleteBucketEncryption,
  GetPublicAccessBlock, PutPublicAccessBlock, DeletePublicAccessBlock,
  GetBucketOwnershipControls, PutBucketOwnershipControls, DeleteBucketOwnershipControls,
  GetBucketWebsite, PutBucketWebsite, DeleteBucketWebsite,
  GetBucketLogging, PutBucketLogging,
  GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus,
  GetBucketAccelerateConfiguration, PutBucketAccelerateConfiguration,
  GetBucketRequestPayment, PutBucketRequestPayment,
  GetBucketReplication, PutBucketReplication, DeleteBucketReplication,
  GetBucketNotificationConfiguration, PutBucketNotificationConfiguration,
  GetObjectLockConfiguration, PutObjectLockConfiguration, GetObjectRetention, PutObjectRetention, GetObjectLegalHold, PutObjectLegalHold,
  GetObjectAttributes, RestoreObject,
};

/**
 * Every operation first passes S3's authentication checks (presigned URL expiry, signatures when
 * enabled) and x-amz-expected-bucket-owner.
 */
const operations: Record<string, Handler> = Object.fromEntries(
  Object.entries(handlers).map(([name, handler]) => [name, ((input: { Bucket?: string; ExpectedBucketOwner?: string }, ctx) => {
    checkSignature(ctx);
    if (input.ExpectedBucketOwner !== undefined && input.Bucket !== undefined) {
      const bucket = tables.buckets(ctx.state).get(input.Bucket);
      if (bucket && bucket.account !== input.ExpectedBucketOwner) throw accessDenied();
    }
    return handler(input, ctx);
  }) as Handler]),
);

export default defineService({
  name: 's3',
  validation: 'none',
  operations,
  internal: s3Internal,
  init(rt) {
    rebuildRefs(rt.state);
    scheduleLifecycle(rt);
    installNotifier(rt);
  },
  close(rt) {
    closeNotifier(rt);
  },
  inspect: {
    /** Pending notification deliveries and recent outcomes (`GET /kumo/s3/notifications`). */
    notifications: (_query, rt) => {
      const q = notificationQueue(rt);
      return { pending: q?.pending ?? [], outcomes: q?.outcomes ?? [] };
    },
  },
  cors: corsHeaders,
});
