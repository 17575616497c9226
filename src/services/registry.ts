import type { ServiceDefinition } from './framework/define.ts';

/**
 * Services kumo implements, loaded on their first request so that startup pays for none.
 * Every other service in models/ is routed too, and answers NotImplemented in its own protocol.
 */
export const SERVICE_LOADERS: Record<string, () => Promise<{ default: ServiceDefinition }>> = {
  cloudwatch: () => import('./cloudwatch/index.ts'),
  dynamodb: () => import('./dynamodb/index.ts'),
  dynamodbstreams: () => import('./dynamodbstreams/index.ts'),
  iam: () => import('./iam/index.ts'),
  kms: () => import('./kms/index.ts'),
  events: () => import('./events/index.ts'),
  lambda: () => import('./lambda/index.ts'),
  logs: () => import('./logs/index.ts'),
  s3: () => import('./s3/index.ts'),
  secretsmanager: () => import('./secretsmanager/index.ts'),
  scheduler: () => import('./scheduler/index.ts'),
  sns: () => import('./sns/index.ts'),
  sts: () => import('./sts/index.ts'),
  sqs: () => import('./sqs/index.ts'),
  ssm: () => import('./ssm/index.ts'),
};

export const IMPLEMENTED = Object.keys(SERVICE_LOADERS).sort();
