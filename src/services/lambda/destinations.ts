/**
 * Delivery to the places Lambda sends invocation records, dead letters and event source mapping
 * failures: SQS queues, SNS topics, EventBridge buses (through those services' internal APIs)
 * and other functions (queued as asynchronous invocations). A destination that is missing or
 * whose service is not enabled drops the record, as AWS does after its own delivery retries.
 */
import { AwsError } from '../../protocol/aws-error.ts';
import type { Clock } from '../../state/types.ts';
import type { Caller } from './execution.ts';
import type { LambdaRuntime } from './store.ts';

type Attributes = Record<string, { DataType: string; StringValue: string }>;
type SendMessage = (caller: { clock: Clock }, queueArn: string, message: { MessageBody: string; MessageAttributes?: Attributes }, sender: string) => unknown;
type Publish = (caller: { clock: Clock; account?: string }, topicArn: string, req: { Message: string; MessageAttributes?: Attributes }) => unknown;
type PutEvent = (
  caller: { clock: Clock; account: string; region: string },
  bus: string,
  entry: { Source: string; DetailType: string; Detail: string; Resources?: string[] },
) => unknown;

export interface Delivery {
  body: string;
  /** SQS and SNS message attributes (dead letters). */
  attributes?: Attributes;
  /** EventBridge: the event's detail-type and resources. */
  detailType?: string;
  resources?: string[];
}

export type DestinationKind = 'sqs' | 'sns' | 'events' | 'lambda' | 's3';

export function destinationKind(arn: string): DestinationKind | undefined {
  const service = /^arn:aws[a-zA-Z-]*:([a-z0-9]+):/.exec(arn)?.[1];
  return service === 'sqs' || service === 'sns' || service === 'events' || service === 'lambda' || service === 's3' ? service : undefined;
}

/**
 * Sends one record to an SQS, SNS or EventBridge destination. Lambda destinations are queued by
 * the caller (async.ts), which owns the event queue. Returns false when nothing was delivered.
 */
export function deliverTo(lr: LambdaRuntime, caller: Caller, arn: string, d: Delivery): boolean {
  const services = lr.rt.services;
  try {
    switch (destinationKind(arn)) {
      case 'sqs': {
        const send = services.sqs?.sendMessage as SendMessage | undefined;
        if (!send) return false;
        send(caller, arn, d.attributes ? { MessageBody: d.body, MessageAttributes: d.attributes } : { MessageBody: d.body }, `arn:aws:sts::${caller.account}:assumed-role/lambda`);
        return true;
      }
      case 'sns': {
        const publish = services.sns?.publish as Publish | undefined;
        if (!publish) return false;
        publish({ clock: caller.clock, account: caller.account }, arn, d.attributes ? { Message: d.body, MessageAttributes: d.attributes } : { Message: d.body });
        return true;
      }
      case 'events': {
        const put = services.events?.putEvent as PutEvent | undefined;
        if (!put || !d.detailType) return false;
        put(caller, arn, { Source: 'lambda', DetailType: d.detailType, Detail: d.body, Resources: d.resources ?? [] });
        return true;
      }
      default:
        return false;
    }
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return false;
  }
}
