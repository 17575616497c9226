import type { ParameterTier } from '../../generated/ssm.ts';
import { AwsError } from '../framework/define.ts';
import { validation } from './errors.ts';

const STANDARD_MAX = 4096;
const ADVANCED_MAX = 8192;
const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
const POLICY_TYPES = ['Expiration', 'ExpirationNotification', 'NoChangeNotification'];

export type StoredTier = 'Standard' | 'Advanced';

/**
 * The tier a version is stored in. Intelligent-Tiering picks Standard when the value and
 * policies allow it; a parameter never moves back from Advanced to Standard.
 */
export function tierFor(asked: ParameterTier | undefined, value: string, policies: unknown[], previous: StoredTier | undefined): StoredTier {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > ADVANCED_MAX) {
    throw validation(`Advanced tier parameters support a maximum parameter value of ${ADVANCED_MAX} characters.`);
  }
  const needsAdvanced = bytes > STANDARD_MAX || policies.length > 0;
  const tier = asked ?? 'Standard';
  if (tier === 'Advanced') return 'Advanced';
  if (tier === 'Intelligent-Tiering') return needsAdvanced || previous === 'Advanced' ? 'Advanced' : 'Standard';
  if (previous === 'Advanced' && asked !== undefined) {
    throw validation('This parameter uses the advanced-parameter tier. You can\'t downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.');
  }
  if (previous === 'Advanced') return 'Advanced';
  if (bytes > STANDARD_MAX) {
    throw validation(`Standard tier parameters support a maximum parameter value of ${STANDARD_MAX} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html`);
  }
  if (policies.length > 0) throw validation('Parameter policies are supported only for advanced tier parameters.');
  return 'Standard';
}

/** Parameter policies as stored: a JSON array of typed policies (kept, not acted on). */
export function parsePolicies(text: string | undefined): { text: string; type: string }[] {
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError('InvalidPolicyTypeException', 'The policy is not valid JSON.');
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length > 10) throw new AwsError('PoliciesLimitExceededException', 'You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.');
  const seen = new Set<string>();
  return list.map((p) => {
    const type = typeof p === 'object' && p !== null ? (p as { Type?: unknown }).Type : undefined;
    if (typeof type !== 'string' || !POLICY_TYPES.includes(type)) {
      throw new AwsError('InvalidPolicyTypeException', `The following policy type is not supported: ${String(type)}. Supported policy types include: [${POLICY_TYPES.join(', ')}].`);
    }
    if (seen.has(type)) throw new AwsError('IncompatiblePolicyException', `There is a conflict in the policies specified for this parameter. You can't have two ${type} policies.`);
    seen.add(type);
    if (typeof (p as { Attributes?: unknown }).Attributes !== 'object') {
      throw new AwsError('InvalidPolicyAttributeException', `A policy attribute or its value is invalid. Policy type: ${type}.`);
    }
    return { text: JSON.stringify(p), type };
  });
}

export function checkDataType(dataType: string, value: string): void {
  if (!DATA_TYPES.includes(dataType)) throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  if (dataType === 'aws:ec2:image' && !/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(value)) {
    throw validation(`Parameter value, ${value}, is not a valid AMI ID. Valid AMI IDs have the format: ami-12345abc or ami-12345678abcdef123`);
  }
}

/** AllowedPattern is a regular expression the value must match (anchored only if the pattern says so, as AWS's examples show). */
export function checkPattern(pattern: string | undefined, value: string): void {
  if (pattern === undefined) return;
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    throw new AwsError('InvalidAllowedPatternException', `The allowed pattern ${pattern} is not a valid regular expression.`);
  }
  if (!re.test(value)) throw new AwsError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`);
}
