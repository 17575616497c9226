import type {
  DeleteDashboardsInput, GetDashboardInput, GetDashboardOutput, ListDashboardsInput, ListDashboardsOutput, PutDashboardInput, PutDashboardOutput,
} from '../../generated/cloudwatch.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { invalidNextToken } from './errors.ts';
import { tagsToMap } from './alarms.ts';
import { scopeOf, type Scope } from './store.ts';

/** Dashboards are stored as given (their body must be a JSON object) and never rendered. */

export function dashboardArn(scope: Scope, name: string): string {
  return `arn:aws:cloudwatch::${scope.account}:dashboard/${name}`;
}

function invalidBody(message: string, dataPath = ''): AwsError {
  return new AwsError('DashboardInvalidInputError', 'The dashboard body is invalid, there are 1 validation errors: ' + JSON.stringify([{ dataPath, message }]), 400, {
    dashboardValidationMessages: [{ DataPath: dataPath, Message: message }],
  });
}

export function PutDashboard(input: PutDashboardInput, ctx: RequestContext): PutDashboardOutput {
  const scope = scopeOf(ctx);
  let body: unknown;
  try {
    body = JSON.parse(input.DashboardBody);
  } catch {
    throw invalidBody('Should be a valid JSON object');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidBody('Should be an object');
  const widgets = (body as { widgets?: unknown }).widgets;
  if (widgets !== undefined && !Array.isArray(widgets)) throw invalidBody('Should be an array', '/widgets');
  const existing = scope.dashboards.get(input.DashboardName);
  scope.dashboards.put(input.DashboardName, {
    name: input.DashboardName, body: input.DashboardBody, modified: ctx.clock.now(), tags: tagsToMap(input.Tags, existing?.tags),
  });
  return { DashboardValidationMessages: [] };
}

function notFound(name: string): AwsError {
  return new AwsError('DashboardNotFoundError', `Dashboard ${name} does not exist`, 404);
}

export function GetDashboard(input: GetDashboardInput, ctx: RequestContext): GetDashboardOutput {
  const scope = scopeOf(ctx);
  const d = scope.dashboards.get(input.DashboardName);
  if (!d) throw notFound(input.DashboardName);
  return { DashboardName: d.name, DashboardBody: d.body, DashboardArn: dashboardArn(scope, d.name) };
}

export function ListDashboards(input: ListDashboardsInput, ctx: RequestContext): ListDashboardsOutput {
  const scope = scopeOf(ctx);
  const all = [...scope.dashboards.entries({ prefix: input.DashboardNamePrefix ?? '' })].map(([, d]) => ({
    DashboardName: d.name, DashboardArn: dashboardArn(scope, d.name), LastModified: new Date(d.modified), Size: Buffer.byteLength(d.body),
  }));
  let start = 0;
  if (input.NextToken !== undefined) {
    start = Number(Buffer.from(input.NextToken, 'base64url').toString());
    if (!Number.isInteger(start) || start < 0) throw invalidNextToken();
  }
  const page = all.slice(start, start + 1000);
  return start + 1000 < all.length ? { DashboardEntries: page, NextToken: Buffer.from(String(start + 1000)).toString('base64url') } : { DashboardEntries: page };
}

export function DeleteDashboards(input: DeleteDashboardsInput, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const missing = input.DashboardNames.find((n) => !scope.dashboards.has(n));
  if (missing !== undefined) throw notFound(missing);
  for (const n of input.DashboardNames) scope.dashboards.delete(n);
  return {};
}
