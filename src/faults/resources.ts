/**
 * Input members that name the resource an operation acts on, across services. Their values
 * (and the short names inside ARNs and queue URLs) are what `match.resource` globs are tried on.
 */
const RESOURCE_MEMBERS = [
  'QueueUrl', 'QueueName', 'TableName', 'GlobalTableName', 'IndexName', 'StreamArn', 'FunctionName',
  'TopicArn', 'SubscriptionArn', 'TargetArn', 'SecretId', 'KeyId', 'Name', 'Names', 'ResourceArn',
  'logGroupName', 'logGroupIdentifier', 'logStreamName', 'StateMachineArn', 'RoleName', 'UserName',
  'StreamName', 'EventBusName', 'Namespace', 'AliasName', 'Bucket',
];

/** The resources a request names: `bucket` and `bucket/key` for S3, the queue URL, name and ARN for SQS, and so on. */
export function resourcesOf(input: Record<string, unknown>, service: string, region: string): string[] {
  const out: string[] = [];
  for (const member of RESOURCE_MEMBERS) {
    const value = input[member];
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' && v !== '') addNamed(out, v, service, region);
    }
  }
  if (typeof input.Bucket === 'string' && typeof input.Key === 'string') out.push(`${input.Bucket}/${input.Key}`);
  return out;
}

function addNamed(out: string[], value: string, service: string, region: string): void {
  out.push(value);
  if (value.startsWith('arn:')) {
    const short = /[:/]([^:/]+)$/.exec(value)?.[1];
    if (short) out.push(short);
    return;
  }
  // Queue URLs end in /<account>/<name>.
  const url = /^https?:\/\/[^/]+\/(\d{12})\/([^/?#]+)$/.exec(value);
  if (url) out.push(url[2]!, `arn:aws:${service}:${region}:${url[1]}:${url[2]}`);
}

/** `*` matches any run of characters (including none); everything else matches itself. */
export function globMatch(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = value.indexOf(parts[i]!, at);
    if (found < 0 || found + parts[i]!.length > end) return false;
    at = found + parts[i]!.length;
  }
  return true;
}
