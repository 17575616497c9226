import type {
  LabelParameterVersionRequest, LabelParameterVersionResult, UnlabelParameterVersionRequest, UnlabelParameterVersionResult,
} from '../../generated/ssm.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { parameterNotFound, versionNotFound } from './errors.ts';
import { parseName } from './names.ts';
import { latest, parameters } from './parameters.ts';

const MAX_LABELS = 10;

/** AWS refuses labels that start with aws/ssm (any case) or a digit, or use other characters. */
function validLabel(label: string): boolean {
  return label.length <= 100 && /^[a-zA-Z0-9_.-]+$/.test(label) && !/^(aws|ssm)/i.test(label) && !/^\d/.test(label);
}

export function LabelParameterVersion(input: LabelParameterVersionRequest, ctx: RequestContext): LabelParameterVersionResult {
  const name = parseName(input.Name).name;
  const table = parameters(ctx);
  const p = table.get(name);
  if (!p) throw parameterNotFound(`Parameter ${name} not found.`);
  const version = input.ParameterVersion ?? latest(p).version;
  const target = p.versions.find((v) => v.version === version);
  if (!target) throw versionNotFound(version, name);
  const invalid = input.Labels.filter((l) => !validLabel(l));
  const adding = input.Labels.filter((l) => validLabel(l) && !target.labels.includes(l));
  if (target.labels.length + new Set(adding).size > MAX_LABELS) {
    throw new AwsError('ParameterVersionLabelLimitExceeded', 'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.');
  }
  const moving = new Set(adding);
  const versions = p.versions.map((v) => {
    if (v.version === version) return { ...v, labels: [...v.labels, ...moving] };
    return v.labels.some((l) => moving.has(l)) ? { ...v, labels: v.labels.filter((l) => !moving.has(l)) } : v;
  });
  table.put(name, { ...p, versions });
  return { InvalidLabels: invalid, ParameterVersion: version };
}

export function UnlabelParameterVersion(input: UnlabelParameterVersionRequest, ctx: RequestContext): UnlabelParameterVersionResult {
  const name = parseName(input.Name).name;
  const table = parameters(ctx);
  const p = table.get(name);
  if (!p) throw parameterNotFound(`Parameter ${name} not found.`);
  const target = p.versions.find((v) => v.version === input.ParameterVersion);
  if (!target) throw versionNotFound(input.ParameterVersion, name);
  const removed = input.Labels.filter((l) => target.labels.includes(l));
  const invalid = input.Labels.filter((l) => !target.labels.includes(l));
  table.put(name, { ...p, versions: p.versions.map((v) => (v === target ? { ...v, labels: v.labels.filter((l) => !removed.includes(l)) } : v)) });
  return { RemovedLabels: removed, InvalidLabels: invalid };
}
