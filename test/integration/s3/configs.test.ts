import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateBucketCommand, DeleteBucketCorsCommand, DeleteBucketEncryptionCommand, DeleteBucketOwnershipControlsCommand, DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand, DeleteObjectCommand, DeletePublicAccessBlockCommand, GetBucketAccelerateConfigurationCommand, GetBucketAclCommand,
  GetBucketCorsCommand, GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketLoggingCommand,
  GetBucketNotificationConfigurationCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketPolicyStatusCommand,
  GetBucketRequestPaymentCommand, GetBucketTaggingCommand, GetBucketWebsiteCommand, GetObjectAclCommand, GetObjectCommand,
  GetObjectLegalHoldCommand, GetObjectLockConfigurationCommand, GetObjectRetentionCommand, GetPublicAccessBlockCommand, HeadObjectCommand,
  PutBucketAccelerateConfigurationCommand, PutBucketAclCommand, PutBucketCorsCommand, PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand, PutBucketLoggingCommand, PutBucketNotificationConfigurationCommand, PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand, PutBucketRequestPaymentCommand, PutBucketTaggingCommand, PutBucketWebsiteCommand, PutObjectAclCommand, PutObjectCommand,
  PutObjectLegalHoldCommand, PutObjectLockConfigurationCommand, PutObjectRetentionCommand, PutPublicAccessBlockCommand, RestoreObjectCommand,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../helpers/kumo.ts';
import { rejects, s3Harness, text } from './setup.ts';

const h = s3Harness();

test('bucket tagging: NoSuchTagSet until set, limits, delete', async () => {
  const b = await h.bucket();
  await rejects(h.s3.send(new GetBucketTaggingCommand({ Bucket: b })), 'NoSuchTagSet', 'The TagSet does not exist');
  await h.s3.send(new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: [{ Key: 'team', Value: 'storage' }] } }));
  assert.deepEqual((await h.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet, [{ Key: 'team', Value: 'storage' }]);
  await rejects(h.s3.send(new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: [{ Key: 'k'.repeat(129), Value: 'v' }] } })), 'InvalidTag',
    'The TagKey you have provided is too long, max 128');
  await h.s3.send(new DeleteBucketTaggingCommand({ Bucket: b }));
  await rejects(h.s3.send(new GetBucketTaggingCommand({ Bucket: b })), 'NoSuchTagSet');
});

test('bucket policy: stored verbatim, validated, public status', async () => {
  const b = await h.bucket();
  await rejects(h.s3.send(new GetBucketPolicyCommand({ Bucket: b })), 'NoSuchBucketPolicy', 'The bucket policy does not exist');
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }] });
  await h.s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: policy }));
  assert.equal((await h.s3.send(new GetBucketPolicyCommand({ Bucket: b }))).Policy, policy);
  assert.equal((await h.s3.send(new GetBucketPolicyStatusCommand({ Bucket: b }))).PolicyStatus!.IsPublic, true);
  await rejects(h.s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: 'not json' })), 'MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'");
  await rejects(h.s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: '{"Version":"2012-10-17"}' })), 'MalformedPolicy', 'Missing required field Statement');
  await h.s3.send(new DeleteBucketPolicyCommand({ Bucket: b }));
  await rejects(h.s3.send(new GetBucketPolicyCommand({ Bucket: b })), 'NoSuchBucketPolicy');
});

test('CORS configuration: stored, validated, deleted', async () => {
  const b = await h.bucket();
  await rejects(h.s3.send(new GetBucketCorsCommand({ Bucket: b })), 'NoSuchCORSConfiguration', 'The CORS configuration does not exist');
  const rules = [{ AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://app.example'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 300 }];
  await h.s3.send(new PutBucketCorsCommand({ Bucket: b, CORSConfiguration: { CORSRules: rules } }));
  assert.deepEqual((await h.s3.send(new GetBucketCorsCommand({ Bucket: b }))).CORSRules, rules);
  await rejects(h.s3.send(new PutBucketCorsCommand({ Bucket: b, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['PATCH'], AllowedOrigins: ['*'] }] } })),
    'InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH');
  await h.s3.send(new DeleteBucketCorsCommand({ Bucket: b }));
  await rejects(h.s3.send(new GetBucketCorsCommand({ Bucket: b })), 'NoSuchCORSConfiguration');
});

test('lifecycle configuration: stored with ids, validated', async () => {
  const b = await h.bucket();
  await rejects(h.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b })), 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist');
  await h.s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket: b,
    LifecycleConfiguration: { Rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }, { Status: 'Disabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }] },
  }));
  const got = await h.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b }));
  assert.equal(got.Rules!.length, 2);
  assert.deepEqual(got.Rules![0], { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } });
  assert.ok(got.Rules![1]!.ID);
  await rejects(h.s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket: b, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Filter: {}, Expiration: { Days: 0 } }] },
  })), 'InvalidArgument', "'Days' for Expiration action must be a positive integer");
  await rejects(h.s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket: b, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Filter: {} }] },
  })), 'InvalidRequest', 'At least one action needs to be specified in a rule');
});

test('default encryption: SSE-S3 until configured, applied to new objects', async () => {
  const b = await h.bucket();
  const initial = await h.s3.send(new GetBucketEncryptionCommand({ Bucket: b }));
  assert.equal(initial.ServerSideEncryptionConfiguration!.Rules![0]!.ApplyServerSideEncryptionByDefault!.SSEAlgorithm, 'AES256');
  await h.s3.send(new PutBucketEncryptionCommand({
    Bucket: b,
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:000000000000:key/k1' }, BucketKeyEnabled: true }] },
  }));
  const put = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }));
  assert.equal(put.ServerSideEncryption, 'aws:kms');
  assert.equal(put.SSEKMSKeyId, 'arn:aws:kms:us-east-1:000000000000:key/k1');
  assert.equal(put.BucketKeyEnabled, true);
  await h.s3.send(new DeleteBucketEncryptionCommand({ Bucket: b }));
  assert.equal((await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k2', Body: 'x' }))).ServerSideEncryption, 'AES256');
});

test('public access block: all blocked for new buckets, settable, deletable', async () => {
  const b = await h.bucket();
  assert.deepEqual((await h.s3.send(new GetPublicAccessBlockCommand({ Bucket: b }))).PublicAccessBlockConfiguration,
    { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  await h.s3.send(new PutPublicAccessBlockCommand({ Bucket: b, PublicAccessBlockConfiguration: { BlockPublicAcls: false, BlockPublicPolicy: true } }));
  assert.deepEqual((await h.s3.send(new GetPublicAccessBlockCommand({ Bucket: b }))).PublicAccessBlockConfiguration,
    { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false });
  await h.s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
  await rejects(h.s3.send(new GetPublicAccessBlockCommand({ Bucket: b })), 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
});

test('ownership controls and ACLs: enforced owners refuse ACLs, others store them', async () => {
  const b = await h.bucket();
  assert.equal((await h.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: b }))).OwnershipControls!.Rules![0]!.ObjectOwnership, 'BucketOwnerEnforced');
  const acl = await h.s3.send(new GetBucketAclCommand({ Bucket: b }));
  assert.equal(acl.Grants!.length, 1);
  assert.equal(acl.Grants![0]!.Permission, 'FULL_CONTROL');
  assert.equal(acl.Grants![0]!.Grantee!.ID, acl.Owner!.ID);
  await rejects(h.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'public-read' })), 'AccessControlListNotSupported', 'The bucket does not allow ACLs');
  await rejects(h.s3.send(new CreateBucketCommand({ Bucket: h.name(), ACL: 'public-read' })), 'InvalidBucketAclWithObjectOwnership');
  await h.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: b, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
  await h.s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'public-read' }));
  const grants = (await h.s3.send(new GetBucketAclCommand({ Bucket: b }))).Grants!;
  assert.ok(grants.some((g) => g.Grantee!.URI === 'http://acs.amazonaws.com/groups/global/AllUsers' && g.Permission === 'READ'));
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'o', Body: 'x', ACL: 'authenticated-read' }));
  const objectAcl = await h.s3.send(new GetObjectAclCommand({ Bucket: b, Key: 'o' }));
  assert.ok(objectAcl.Grants!.some((g) => g.Grantee!.URI === 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers'));
  await h.s3.send(new PutObjectAclCommand({ Bucket: b, Key: 'o', ACL: 'private' }));
  assert.equal((await h.s3.send(new GetObjectAclCommand({ Bucket: b, Key: 'o' }))).Grants!.length, 1);
  await h.s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: b }));
  await rejects(h.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: b })), 'OwnershipControlsNotFoundError');
});

test('website, logging, accelerate and request payment configurations', async () => {
  const b = await h.bucket();
  await rejects(h.s3.send(new GetBucketWebsiteCommand({ Bucket: b })), 'NoSuchWebsiteConfiguration');
  await h.s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } } }));
  const site = await h.s3.send(new GetBucketWebsiteCommand({ Bucket: b }));
  assert.equal(site.IndexDocument!.Suffix, 'index.html');
  assert.equal(site.ErrorDocument!.Key, 'error.html');
  await rejects(h.s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: { ErrorDocument: { Key: 'e' } } })), 'InvalidArgument');
  assert.equal((await h.s3.send(new GetBucketLoggingCommand({ Bucket: b }))).LoggingEnabled, undefined);
  const target = await h.bucket();
  await h.s3.send(new PutBucketLoggingCommand({ Bucket: b, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: 'logs/' } } }));
  assert.deepEqual((await h.s3.send(new GetBucketLoggingCommand({ Bucket: b }))).LoggingEnabled, { TargetBucket: target, TargetPrefix: 'logs/' });
  await rejects(h.s3.send(new PutBucketLoggingCommand({ Bucket: b, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: h.name('none'), TargetPrefix: '' } } })),
    'InvalidTargetBucketForLogging');
  await h.s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: b, AccelerateConfiguration: { Status: 'Enabled' } }));
  assert.equal((await h.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: b }))).Status, 'Enabled');
  assert.equal((await h.s3.send(new GetBucketRequestPaymentCommand({ Bucket: b }))).Payer, 'BucketOwner');
  await h.s3.send(new PutBucketRequestPaymentCommand({ Bucket: b, RequestPaymentConfiguration: { Payer: 'Requester' } }));
  assert.equal((await h.s3.send(new GetBucketRequestPaymentCommand({ Bucket: b }))).Payer, 'Requester');
});

test('notification configuration: validated and stored', async () => {
  const b = await h.bucket();
  assert.deepEqual(Object.keys(await h.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }))).filter((k) => k !== '$metadata'), []);
  const QueueArn = 'arn:aws:sqs:us-east-1:000000000000:events';
  const sqs = new SQSClient(clientConfig(h.kumo.endpoint));
  await sqs.send(new CreateQueueCommand({ QueueName: 'events' }));
  sqs.destroy();
  await h.s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: b,
    NotificationConfiguration: {
      QueueConfigurations: [{ Id: 'q', QueueArn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } } }],
      EventBridgeConfiguration: {},
    },
  }));
  const got = await h.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
  assert.deepEqual(got.QueueConfigurations, [{ Id: 'q', QueueArn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }] } } }]);
  assert.deepEqual(got.EventBridgeConfiguration, {});
  await rejects(h.s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: b, NotificationConfiguration: { QueueConfigurations: [{ QueueArn, Events: ['s3:ObjectExploded' as 's3:ObjectCreated:*'] }] },
  })), 'InvalidArgument', 'The event is not supported for notifications');
  await rejects(h.s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: b, NotificationConfiguration: { TopicConfigurations: [{ TopicArn: 'arn:aws:sqs:us-east-1:000000000000:q', Events: ['s3:ObjectCreated:*'] }] },
  })), 'InvalidArgument', 'The ARN is not well formed');
});

test('object lock: configuration, retention, legal hold and deletes they refuse', async () => {
  const b = h.name();
  await h.s3.send(new CreateBucketCommand({ Bucket: b, ObjectLockEnabledForBucket: true }));
  assert.equal((await h.s3.send(new GetObjectLockConfigurationCommand({ Bucket: b }))).ObjectLockConfiguration!.ObjectLockEnabled, 'Enabled');
  await h.s3.send(new PutObjectLockConfigurationCommand({
    Bucket: b, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } },
  }));
  const put = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'locked', Body: 'x' }));
  const retention = await h.s3.send(new GetObjectRetentionCommand({ Bucket: b, Key: 'locked' }));
  assert.equal(retention.Retention!.Mode, 'GOVERNANCE');
  await rejects(h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'locked', VersionId: put.VersionId })), 'AccessDenied');
  await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'locked', VersionId: put.VersionId, BypassGovernanceRetention: true }));
  const held = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'held', Body: 'x' }));
  await h.s3.send(new PutObjectRetentionCommand({ Bucket: b, Key: 'held', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() + 1000) }, BypassGovernanceRetention: true }));
  await h.s3.send(new PutObjectLegalHoldCommand({ Bucket: b, Key: 'held', LegalHold: { Status: 'ON' } }));
  assert.equal((await h.s3.send(new GetObjectLegalHoldCommand({ Bucket: b, Key: 'held' }))).LegalHold!.Status, 'ON');
  await rejects(h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'held', VersionId: held.VersionId, BypassGovernanceRetention: true })), 'AccessDenied');
  const plain = await h.bucket();
  await rejects(h.s3.send(new GetObjectLockConfigurationCommand({ Bucket: plain })), 'ObjectLockConfigurationNotFoundError',
    'Object Lock configuration does not exist for this bucket');
});

test('restore applies to archived objects only; archived objects cannot be read until restored', async () => {
  const b = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'cold', Body: 'frozen', StorageClass: 'GLACIER' }));
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'warm', Body: 'x' }));
  await rejects(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'cold' })), 'InvalidObjectState', "The operation is not valid for the object's storage class");
  await rejects(h.s3.send(new RestoreObjectCommand({ Bucket: b, Key: 'warm', RestoreRequest: { Days: 1 } })), 'InvalidObjectState');
  const restored = await h.s3.send(new RestoreObjectCommand({ Bucket: b, Key: 'cold', RestoreRequest: { Days: 2 } }));
  assert.equal(restored.$metadata.httpStatusCode, 202);
  assert.match((await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'cold' }))).Restore!, /^ongoing-request="false", expiry-date="/);
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'cold' }))).Body), 'frozen');
  const again = await h.s3.send(new RestoreObjectCommand({ Bucket: b, Key: 'cold', RestoreRequest: { Days: 3 } }));
  assert.equal(again.$metadata.httpStatusCode, 200);
});
