import { AwsError } from '../framework/define.ts';
import { validation } from './errors.ts';

const MAX_LEVELS = 15;
const CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const ARN = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\d{12}):parameter(\/.*)$/;

const PREFIX_TEXT = 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).';
const PATH_TEXT = 'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; '
  + 'each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

/** Checks a name a parameter is created under, with AWS's messages for each rule. */
export function checkNewName(name: string): void {
  const isPath = name.includes('/');
  const bare = name.replace(/^\//, '').toLowerCase();
  if (name.toLowerCase().startsWith('/aws/') || (isPath && bare.startsWith('aws/'))) {
    throw new AwsError('AccessDeniedException', `No access to reserved parameter name: ${name}.`);
  }
  if (bare.startsWith('aws') || bare.startsWith('ssm')) throw validation(isPath ? PATH_TEXT : PREFIX_TEXT);
  if (!CHARS.test(name) || name.includes('//') || name.endsWith('/')) throw validation(PATH_TEXT);
  if (isPath && !name.startsWith('/')) throw validation('Parameter name must be a fully qualified name.');
  if (name.split('/').length - (name.startsWith('/') ? 1 : 0) > MAX_LEVELS) {
    throw new AwsError(
      'HierarchyLevelLimitExceededException',
      `A hierarchy can have a maximum of ${MAX_LEVELS} levels. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html`,
    );
  }
  if (name.length > 1011) throw validation('Parameter name: the name can have a maximum of 1011 characters, including the hierarchy.');
}

export function parameterArn(account: string, region: string, name: string): string {
  return `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

/** A Name parameter as given: a name or an ARN, optionally with a `:version` or `:label` selector. */
export interface NameRef {
  name: string;
  selector?: string;
}

export function parseName(given: string): NameRef {
  let rest = given;
  const arn = ARN.exec(given);
  if (arn) {
    const path = arn[3]!;
    // An ARN's resource drops the leading slash of a name that has none.
    rest = path.slice(1).includes('/') ? path : path.slice(1);
  }
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return { name: rest };
  return { name: rest.slice(0, colon), selector: rest.slice(colon + 1) };
}
