import type {
  DeleteParameterRequest, DeleteParametersRequest, DeleteParametersResult, GetParameterRequest, GetParameterResult,
  GetParametersRequest, GetParametersResult, Parameter, PutParameterRequest, PutParameterResult,
} from '../../generated/ssm.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { alreadyExists, parameterNotFound, validation, versionNotFound } from './errors.ts';
import { DEFAULT_KEY, decryptValue, encryptValue } from './kms.ts';
import { checkNewName, parameterArn, parseName } from './names.ts';
import { PARAMETERS, type ParameterRecord, type VersionRecord } from './records.ts';
import { checkTags } from './tags.ts';
import { checkDataType, checkPattern, parsePolicies, tierFor } from './values.ts';

const MAX_VERSIONS = 100;

export function parameters(ctx: RequestContext) {
  return ctx.table<ParameterRecord>(PARAMETERS);
}

export function arnOf(ctx: RequestContext, name: string): string {
  return parameterArn(ctx.account, ctx.region, name);
}

export function latest(p: ParameterRecord): VersionRecord {
  return p.versions[p.versions.length - 1]!;
}

/** The value a caller sees: SecureStrings decrypted only when asked, else their ciphertext. */
export function shownValue(ctx: RequestContext, name: string, v: VersionRecord, decrypt: boolean | undefined): string {
  return v.type === 'SecureString' && decrypt ? decryptValue(ctx, v.value, arnOf(ctx, name)) : v.value;
}

export function PutParameter(input: PutParameterRequest, ctx: RequestContext): PutParameterResult {
  const name = input.Name;
  const table = parameters(ctx);
  const existing = table.get(name);
  if (!existing) checkNewName(name);
  if (input.Overwrite && input.Tags?.length) {
    throw validation('Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
  }
  if (existing && !input.Overwrite) throw alreadyExists();
  const prev = existing && latest(existing);
  const type = input.Type ?? prev?.type;
  if (!type) throw validation('A parameter type is required when you create a parameter.');
  if (input.KeyId !== undefined && type !== 'SecureString') throw validation('KeyId is required for SecureString type parameter only.');
  if (input.Value.length === 0) {
    throw validation('1 validation error detected: Value \'\' at \'value\' failed to satisfy constraint: Member must have length greater than or equal to 1.');
  }
  const allowedPattern = input.AllowedPattern ?? prev?.allowedPattern;
  checkPattern(allowedPattern, input.Value);
  const dataType = input.DataType ?? prev?.dataType ?? 'text';
  checkDataType(dataType, input.Value);
  const policies = input.Policies !== undefined ? parsePolicies(input.Policies) : prev?.policies ?? [];
  const tier = tierFor(input.Tier, input.Value, policies, prev?.tier);
  const version = (prev?.version ?? 0) + 1;
  const keyId = type === 'SecureString' ? input.KeyId ?? (prev?.type === 'SecureString' ? prev.keyId : undefined) ?? DEFAULT_KEY : undefined;
  const stored = keyId === undefined ? input.Value : encryptValue(ctx, keyId, input.Value, arnOf(ctx, name));
  const description = input.Description ?? prev?.description;
  const rec: VersionRecord = {
    version, type, value: stored, tier, policies, dataType, labels: [], modifiedAt: ctx.clock.now(), user: `arn:aws:iam::${ctx.account}:root`,
    ...(description !== undefined ? { description } : {}),
    ...(allowedPattern !== undefined ? { allowedPattern } : {}),
    ...(keyId !== undefined ? { keyId } : {}),
  };
  let versions = [...(existing?.versions ?? []), rec];
  if (versions.length > MAX_VERSIONS) {
    const oldest = versions[0]!;
    if (oldest.labels.length > 0) {
      throw new AwsError('ParameterMaxVersionLimitExceeded', `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`);
    }
    versions = versions.slice(1);
  }
  table.put(name, { name, versions, tags: existing ? existing.tags : checkTags(input.Tags ?? []) });
  return { Version: version, Tier: tier };
}

/** The version a name (with an optional `:version` or `:label` selector) points at. */
function select(ctx: RequestContext, given: string): { p: ParameterRecord; v: VersionRecord; selector?: string } | undefined {
  const ref = parseName(given);
  const p = parameters(ctx).get(ref.name);
  if (!p) return undefined;
  if (ref.selector === undefined) return { p, v: latest(p) };
  if (/^\d+$/.test(ref.selector)) {
    const v = p.versions.find((x) => x.version === Number(ref.selector));
    if (!v) throw versionNotFound(ref.selector, ref.name);
    return { p, v, selector: `:${ref.selector}` };
  }
  const v = p.versions.find((x) => x.labels.includes(ref.selector!));
  return v ? { p, v, selector: `:${ref.selector}` } : undefined;
}

export function parameterOf(ctx: RequestContext, p: ParameterRecord, v: VersionRecord, decrypt: boolean | undefined, selector?: string): Parameter {
  return {
    Name: p.name,
    Type: v.type,
    Value: shownValue(ctx, p.name, v, decrypt),
    Version: v.version,
    ...(selector !== undefined ? { Selector: selector } : {}),
    LastModifiedDate: new Date(v.modifiedAt),
    ARN: arnOf(ctx, p.name),
    DataType: v.dataType,
  };
}

export function GetParameter(input: GetParameterRequest, ctx: RequestContext): GetParameterResult {
  const hit = select(ctx, input.Name);
  if (!hit) throw parameterNotFound();
  return { Parameter: parameterOf(ctx, hit.p, hit.v, input.WithDecryption, hit.selector) };
}

export function GetParameters(input: GetParametersRequest, ctx: RequestContext): GetParametersResult {
  const found: Parameter[] = [];
  const invalid: string[] = [];
  for (const name of new Set(input.Names)) {
    let hit: ReturnType<typeof select>;
    try {
      hit = select(ctx, name);
    } catch (err) {
      if (err instanceof AwsError && err.code === 'ParameterVersionNotFound') hit = undefined;
      else throw err;
    }
    if (hit) found.push(parameterOf(ctx, hit.p, hit.v, input.WithDecryption, hit.selector));
    else invalid.push(name);
  }
  return { Parameters: found, InvalidParameters: invalid };
}

export function DeleteParameter(input: DeleteParameterRequest, ctx: RequestContext): Record<string, never> {
  if (!parameters(ctx).delete(parseName(input.Name).name)) throw parameterNotFound();
  return {};
}

export function DeleteParameters(input: DeleteParametersRequest, ctx: RequestContext): DeleteParametersResult {
  const deleted: string[] = [];
  const invalid: string[] = [];
  for (const name of new Set(input.Names)) (parameters(ctx).delete(parseName(name).name) ? deleted : invalid).push(name);
  return { DeletedParameters: deleted, InvalidParameters: invalid };
}
