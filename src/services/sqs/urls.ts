/** Queue URLs and ARNs. */

export interface QueueRef {
  account: string;
  region: string;
  name: string;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const AWS_HOST_REGION = /^(?:sqs|queue)\.([a-z0-9-]+)\./;

export function queueUrl(endpoint: string, account: string, name: string): string {
  return `${endpoint}/${account}/${name}`;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

export function queueArn(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:sqs:${region}:${account}:${name}`;
}

/**
 * The queue a QueueUrl names. Accepted: kumo's `http://host:port/<account>/<name>`, AWS's
 * `https://sqs.<region>.amazonaws.com/<account>/<name>` and legacy `queue.amazonaws.com`
 * hosts, LocalStack's `/queue/<region>/<account>/<name>` paths, and a bare queue name (the
 * caller's account). The region comes from the URL when it names one, else from the request.
 */
export function parseQueueUrl(url: string, account: string, region: string): QueueRef | undefined {
  if (!url.includes('/')) return url ? { account, region, name: url } : undefined;
  let path: string;
  let host = '';
  try {
    const u = new URL(url);
    path = u.pathname;
    host = u.hostname;
  } catch {
    path = url;
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length < 2) return undefined;
  const name = parts[parts.length - 1]!;
  const owner = parts[parts.length - 2]!;
  if (!ACCOUNT.test(owner)) return undefined;
  let inRegion = region;
  const hostRegion = AWS_HOST_REGION.exec(host)?.[1];
  if (hostRegion && REGION.test(hostRegion)) inRegion = hostRegion;
  const pathRegion = parts.length >= 3 ? parts[parts.length - 3]! : '';
  if (REGION.test(pathRegion)) inRegion = pathRegion;
  return { account: owner, region: inRegion, name };
}

export function parseQueueArn(arn: string): QueueRef | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs') return undefined;
  const [, , , region, account, name] = parts as [string, string, string, string, string, string];
  if (!region || !ACCOUNT.test(account) || !name) return undefined;
  return { account, region, name };
}
