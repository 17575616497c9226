import type {
  DescribeParametersRequest, DescribeParametersResult, GetParameterHistoryRequest, GetParameterHistoryResult,
  GetParametersByPathRequest, GetParametersByPathResult, ParameterInlinePolicy, ParameterMetadata,
} from '../../generated/ssm.ts';
import type { RequestContext } from '../framework/define.ts';
import { outOfRange, parameterNotFound, validation } from './errors.ts';
import { legacyFilters, parameterFilters, underPath } from './filters.ts';
import { parseName } from './names.ts';
import { pageOf } from './paging.ts';
import { arnOf, latest, parameterOf, parameters, shownValue } from './parameters.ts';
import type { ParameterRecord, VersionRecord } from './records.ts';

function limit(given: number | undefined, max: number): number {
  const n = given ?? max;
  if (n < 1) throw outOfRange(n, 'maxResults', 'greater', 1);
  if (n > max) throw outOfRange(n, 'maxResults', 'less', max);
  return n;
}

function all(ctx: RequestContext): ParameterRecord[] {
  return [...parameters(ctx).entries()].map(([, p]) => p);
}

function policiesOf(v: VersionRecord): ParameterInlinePolicy[] {
  return v.policies.map((p) => ({ PolicyText: p.text, PolicyType: p.type, PolicyStatus: 'Pending' }));
}

export function GetParametersByPath(input: GetParametersByPathRequest, ctx: RequestContext): GetParametersByPathResult {
  const path = input.Path;
  if (!path.startsWith('/') || path.includes('//')) {
    throw validation('The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.');
  }
  const max = limit(input.MaxResults, 10);
  const keep = parameterFilters(input.ParameterFilters, true);
  const hits = all(ctx).filter((p) => underPath(p.name, path, input.Recursive ?? false) && keep(p, latest(p)));
  const page = pageOf(hits, (p) => p.name, max, input.NextToken);
  return {
    Parameters: page.items.map((p) => parameterOf(ctx, p, latest(p), input.WithDecryption)),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
}

export function DescribeParameters(input: DescribeParametersRequest, ctx: RequestContext): DescribeParametersResult {
  if (input.Filters?.length && input.ParameterFilters?.length) throw validation('You can use either Filters or ParameterFilters in a single request.');
  const max = limit(input.MaxResults, 50);
  const keepNew = parameterFilters(input.ParameterFilters, false);
  const keepOld = legacyFilters(input.Filters);
  const hits = all(ctx).filter((p) => keepNew(p, latest(p)) && keepOld(p, latest(p)));
  const page = pageOf(hits, (p) => p.name, max, input.NextToken);
  return {
    Parameters: page.items.map((p): ParameterMetadata => {
      const v = latest(p);
      return {
        Name: p.name,
        ARN: arnOf(ctx, p.name),
        Type: v.type,
        ...(v.keyId !== undefined ? { KeyId: v.keyId } : {}),
        LastModifiedDate: new Date(v.modifiedAt),
        LastModifiedUser: v.user,
        ...(v.description !== undefined ? { Description: v.description } : {}),
        ...(v.allowedPattern !== undefined ? { AllowedPattern: v.allowedPattern } : {}),
        Version: v.version,
        Tier: v.tier,
        Policies: policiesOf(v),
        DataType: v.dataType,
      };
    }),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
}

export function GetParameterHistory(input: GetParameterHistoryRequest, ctx: RequestContext): GetParameterHistoryResult {
  const max = limit(input.MaxResults, 50);
  const name = parseName(input.Name).name;
  const p = parameters(ctx).get(name);
  if (!p) throw parameterNotFound();
  const key = (v: VersionRecord) => String(v.version).padStart(3, '0');
  const page = pageOf(p.versions, key, max, input.NextToken);
  return {
    Parameters: page.items.map((v) => ({
      Name: p.name,
      Type: v.type,
      ...(v.keyId !== undefined ? { KeyId: v.keyId } : {}),
      LastModifiedDate: new Date(v.modifiedAt),
      LastModifiedUser: v.user,
      ...(v.description !== undefined ? { Description: v.description } : {}),
      Value: shownValue(ctx, p.name, v, input.WithDecryption),
      ...(v.allowedPattern !== undefined ? { AllowedPattern: v.allowedPattern } : {}),
      Version: v.version,
      Labels: v.labels,
      Tier: v.tier,
      Policies: policiesOf(v),
      DataType: v.dataType,
    })),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
}
