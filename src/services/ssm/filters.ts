import type { ParameterStringFilter, ParametersFilter } from '../../generated/ssm.ts';
import { invalidFilterKey, invalidFilterOption, invalidFilterValue, validation } from './errors.ts';
import type { ParameterRecord, VersionRecord } from './records.ts';

export type Predicate = (p: ParameterRecord, v: VersionRecord) => boolean;

const KEY = /^(tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$/;

function optionsFor(key: string): string[] {
  if (key === 'Path') return ['Recursive', 'OneLevel'];
  if (key === 'Name') return ['Equals', 'BeginsWith', 'Contains'];
  if (key === 'Tier' || key === 'Label' || key === 'DataType') return ['Equals'];
  return ['Equals', 'BeginsWith'];
}

function matches(option: string, actual: string | undefined, values: string[]): boolean {
  if (actual === undefined) return false;
  if (option === 'BeginsWith') return values.some((v) => actual.startsWith(v));
  if (option === 'Contains') return values.some((v) => actual.includes(v));
  return values.includes(actual);
}

function withSlash(name: string): string {
  return name.startsWith('/') ? name : `/${name}`;
}

/** Whether `name` lies under `path`, directly (OneLevel) or at any depth (Recursive). */
export function underPath(name: string, path: string, recursive: boolean): boolean {
  const base = path.endsWith('/') ? path : `${path}/`;
  if (!name.startsWith(base)) return false;
  return recursive || !name.slice(base.length).includes('/');
}

/**
 * ParameterFilters as a predicate. `byPath` is GetParametersByPath, which allows only Type,
 * KeyId, Label and tag filters; DescribeParameters allows every key but Label.
 */
export function parameterFilters(filters: ParameterStringFilter[] | undefined, byPath: boolean): Predicate {
  const preds: Predicate[] = [];
  const seen = new Set<string>();
  for (const f of filters ?? []) {
    const key = f.Key;
    if (!KEY.test(key)) throw invalidFilterKey(`The following filter key is not valid: ${key}. Valid filter keys include: [Path, Name, Type, KeyId, Tier, DataType].`);
    if (byPath && ['Name', 'Path', 'Tier', 'DataType'].includes(key)) {
      throw invalidFilterKey(`The following filter key is not valid: ${key}. Valid filter keys include: [Type, KeyId].`);
    }
    if (!byPath && key === 'Label') {
      throw invalidFilterKey('The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].');
    }
    if (seen.has(key)) throw invalidFilterKey(`The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`);
    seen.add(key);
    const option = f.Option ?? (key === 'Path' ? 'OneLevel' : 'Equals');
    const allowed = optionsFor(key);
    if (!allowed.includes(option)) {
      throw invalidFilterOption(`The following filter option is not valid: ${option}. Valid options include: [${allowed.join(', ')}].`);
    }
    const values = f.Values ?? [];
    if (values.length === 0) throw invalidFilterValue(`The following filter values are missing : null for filter key ${key}.`);
    if (key === 'Type') {
      for (const v of values) {
        if (!['String', 'StringList', 'SecureString'].includes(v)) {
          throw invalidFilterValue(`The following filter value is not valid: ${v}. Valid values include: [String, StringList, SecureString].`);
        }
      }
    }
    if (key === 'Tier') {
      for (const v of values) {
        if (!['Standard', 'Advanced', 'Intelligent-Tiering'].includes(v)) {
          throw invalidFilterValue(`The following filter value is not valid: ${v}. Valid values include: [Standard, Advanced, Intelligent-Tiering].`);
        }
      }
    }
    if (key === 'Path') {
      for (const v of values) if (!v.startsWith('/')) throw validation(`The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/".`);
      preds.push((p) => values.some((v) => v === '/' ? option === 'Recursive' || !p.name.slice(1).includes('/') : underPath(withSlash(p.name), v, option === 'Recursive')));
    } else if (key === 'Name') {
      const vs = option === 'Contains' ? values : values.map(withSlash);
      preds.push((p) => matches(option, option === 'Contains' ? p.name : withSlash(p.name), vs));
    } else if (key === 'Type') preds.push((_p, v) => matches(option, v.type, values));
    else if (key === 'KeyId') preds.push((_p, v) => matches(option, v.keyId, values));
    else if (key === 'Tier') preds.push((_p, v) => values.includes(v.tier));
    else if (key === 'DataType') preds.push((_p, v) => values.includes(v.dataType));
    else if (key === 'Label') preds.push((p) => p.versions.some((v) => v.labels.some((l) => values.includes(l))));
    else {
      const tag = key.slice(4);
      preds.push((p) => p.tags.some((t) => t.Key === tag && matches(option, t.Value, values)));
    }
  }
  return (p, v) => preds.every((pred) => pred(p, v));
}

/** DescribeParameters' older Filters: Name (prefix), Type, KeyId. */
export function legacyFilters(filters: ParametersFilter[] | undefined): Predicate {
  const preds: Predicate[] = (filters ?? []).map((f) => {
    if (f.Key === 'Name') return (p) => f.Values.some((v) => p.name.startsWith(v));
    if (f.Key === 'Type') return (_p, v) => f.Values.includes(v.type);
    return (_p, v) => v.keyId !== undefined && f.Values.includes(v.keyId);
  });
  return (p, v) => preds.every((pred) => pred(p, v));
}
