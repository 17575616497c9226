import { createHash } from 'node:crypto';

/**
 * A resource-name prefix for one test in one worker: the same on every run, different for
 * different tests, test files and workers sharing a kumo. Lower-case letters, digits and
 * hyphens, at most 40 characters, so `${prefix}-suffix` is a valid S3 bucket, SQS queue or
 * DynamoDB table name.
 */
export function testNamespace(name: string, options: { worker?: string; file?: string } = {}): string {
  const worker = options.worker ?? workerId();
  const file = options.file ?? process.argv[1] ?? '';
  const hash = createHash('sha256').update(`${file}\0${name}`).digest('hex').slice(0, 8);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 20).replace(/-+$/, '') || 't';
  const w = worker.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 6) || '0';
  return `${slug}-${hash}-w${w}`;
}

/** The test runner's worker: node:test (22+), Jest, Vitest; '0' when there is none. */
export function workerId(env: NodeJS.ProcessEnv = process.env): string {
  return env.NODE_TEST_WORKER_ID ?? env.JEST_WORKER_ID ?? env.VITEST_POOL_ID ?? env.VITEST_WORKER_ID ?? '0';
}
