import { AwsError } from '../protocol/aws-error.ts';
import type { ErrorPreset, ErrorSpec } from './rules.ts';

type Preset = [code: string, status: number, message: string];

const RATE_EXCEEDED = 'Rate exceeded';

/**
 * What each service answers when it throttles, fails or is unavailable, as AWS SDKs classify
 * them: the codes are in the SDKs' throttling lists, the 5xx statuses in their transient lists.
 */
const BY_SERVICE: Record<string, Partial<Record<ErrorPreset, Preset>>> = {
  dynamodb: {
    throttle: ['ProvisionedThroughputExceededException', 400, 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.'],
    internal: ['InternalServerError', 500, 'Internal server error'],
  },
  s3: { throttle: ['SlowDown', 503, 'Please reduce your request rate.'] },
  sqs: { throttle: ['RequestThrottled', 400, 'Request is throttled.'] },
  lambda: { throttle: ['TooManyRequestsException', 429, RATE_EXCEEDED] },
};

const XML_INTERNAL: Preset = ['InternalError', 500, 'We encountered an internal error. Please try again.'];
const UNAVAILABLE: Preset = ['ServiceUnavailable', 503, 'Service is unable to handle request.'];

const BY_PROTOCOL: Record<string, Record<ErrorPreset, Preset>> = {
  query: { throttle: ['Throttling', 400, RATE_EXCEEDED], internal: XML_INTERNAL, unavailable: UNAVAILABLE },
  ec2: { throttle: ['RequestLimitExceeded', 503, 'Request limit exceeded.'], internal: XML_INTERNAL, unavailable: UNAVAILABLE },
  'rest-xml': { throttle: ['Throttling', 400, RATE_EXCEEDED], internal: XML_INTERNAL, unavailable: UNAVAILABLE },
};

const JSON_FAMILY: Record<ErrorPreset, Preset> = {
  throttle: ['ThrottlingException', 400, RATE_EXCEEDED],
  internal: ['InternalFailure', 500, 'The request processing has failed because of an unknown error, exception or failure.'],
  unavailable: ['ServiceUnavailableException', 503, 'Service is unable to handle request.'],
};

/** The AwsError a rule injects, for a request of `service` in `protocol`. */
export function injectedError(spec: ErrorPreset | ErrorSpec, service: string, protocol: string, ruleId: string): AwsError {
  if (typeof spec !== 'string') {
    return new AwsError(spec.code, spec.message ?? `Injected by kumo fault rule ${ruleId}`, spec.status ?? 400);
  }
  const [code, status, message] = BY_SERVICE[service]?.[spec] ?? BY_PROTOCOL[protocol]?.[spec] ?? JSON_FAMILY[spec];
  return new AwsError(code, message, status);
}
