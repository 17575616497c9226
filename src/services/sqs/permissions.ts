import type { RequestContext } from '../framework/define.ts';
import type { AddPermissionRequest, RemovePermissionRequest } from '../../generated/sqs.ts';
import { invalidValue, missingParameter } from './errors.ts';
import { queueOf } from './context.ts';
import { partitionOf } from './urls.ts';
import { requireString } from './validation.ts';

/** Actions AddPermission may grant (SQS refuses the others, e.g. CreateQueue or SetQueueAttributes). */
const GRANTABLE = new Set([
  '*', 'SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl',
  'ListDeadLetterSourceQueues', 'PurgeQueue', 'ListQueueTags', 'ListMessageMoveTasks', 'StartMessageMoveTask', 'CancelMessageMoveTask',
]);
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;

interface Statement {
  Sid?: string;
  [k: string]: unknown;
}

interface Policy {
  Version?: string;
  Id?: string;
  Statement?: Statement[] | Statement;
  [k: string]: unknown;
}

function statements(p: Policy): Statement[] {
  if (!p.Statement) return [];
  return Array.isArray(p.Statement) ? p.Statement : [p.Statement];
}

/** One or many: policy documents SQS writes use a scalar for a single principal or action. */
function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0]! : values;
}

export function AddPermission(input: AddPermissionRequest, ctx: RequestContext): Record<string, never> {
  const { store, q } = queueOf(ctx, input.QueueUrl);
  const label = requireString(input.Label, 'Label');
  if (!LABEL.test(label)) throw invalidValue(label, 'Label', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  if (!input.AWSAccountIds?.length) throw missingParameter('AWSAccountId.1');
  if (!input.Actions?.length) throw missingParameter('ActionName.1');
  for (const a of input.Actions) {
    if (!GRANTABLE.has(a)) throw invalidValue(`SQS:${a}`, 'ActionName', 'Please refer to the appropriate WSDL for a list of valid actions.');
  }
  const policy: Policy = q.attr('Policy') ? (JSON.parse(q.attr('Policy')!) as Policy) : { Version: '2008-10-17', Id: `${q.arn}/SQSDefaultPolicy` };
  const list = statements(policy);
  if (list.some((s) => s.Sid === label)) throw invalidValue(label, 'Label', 'Already exists.');
  const partition = partitionOf(q.rec.region);
  list.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: oneOrMany(input.AWSAccountIds.map((id) => `arn:${partition}:iam::${id}:root`)) },
    Action: oneOrMany(input.Actions.map((a) => `SQS:${a}`)),
    Resource: q.arn,
  });
  const attrs = { ...q.rec.attrs, Policy: JSON.stringify({ ...policy, Statement: list }) };
  q.setRecord({ ...q.rec, attrs, modified: Math.floor(store.clock.now() / 1000) });
  return {};
}

export function RemovePermission(input: RemovePermissionRequest, ctx: RequestContext): Record<string, never> {
  const { store, q } = queueOf(ctx, input.QueueUrl);
  const label = requireString(input.Label, 'Label');
  const raw = q.attr('Policy');
  const policy: Policy = raw ? (JSON.parse(raw) as Policy) : {};
  const list = statements(policy);
  const rest = list.filter((s) => s.Sid !== label);
  if (rest.length === list.length) throw invalidValue(label, 'Label', "can't find label.");
  const attrs = { ...q.rec.attrs };
  if (rest.length === 0) delete attrs.Policy;
  else attrs.Policy = JSON.stringify({ ...policy, Statement: rest });
  q.setRecord({ ...q.rec, attrs, modified: Math.floor(store.clock.now() / 1000) });
  return {};
}
