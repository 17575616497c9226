/** Connections (auth for API destinations, secrets kept but never returned) and API destinations. */
import type {
  CreateApiDestinationRequest, CreateConnectionRequest, DeleteApiDestinationRequest, DeleteConnectionRequest, DescribeApiDestinationRequest,
  DescribeConnectionRequest, ListApiDestinationsRequest, ListConnectionsRequest, Target as RuleTarget, UpdateApiDestinationRequest,
  UpdateConnectionRequest,
} from '../../generated/events.ts';
import type { Target } from '../../events/targets.ts';
import type { RequestContext } from '../framework/define.ts';
import { alreadyExists, notFound, validation } from './errors.ts';
import { storeFor, type ApiDestinationRecord, type ConnectionRecord, type EventsStore } from './store.ts';

const arnOf = (ctx: RequestContext, kind: string, name: string) => `arn:aws:events:${ctx.region}:${ctx.account}:${kind}/${name}/${ctx.ids.uuid()}`;
const keyOf = (ctx: { account: string; region: string }, name: string) => `${ctx.account}/${ctx.region}/${name}`;

function checkAuth(type: string, auth: CreateConnectionRequest['AuthParameters']): void {
  const need = { BASIC: auth?.BasicAuthParameters, API_KEY: auth?.ApiKeyAuthParameters, OAUTH_CLIENT_CREDENTIALS: auth?.OAuthParameters }[type];
  if (!need) throw validation(`Parameter AuthParameters is not valid. Reason: ${type} authorization parameters are required for AuthorizationType ${type}.`);
}

function getConnection(ctx: RequestContext, name: string): ConnectionRecord {
  const c = storeFor(ctx).connections.get(keyOf(ctx, name));
  if (!c) throw notFound(`Failed to describe the connection(s). Connection '${name}' does not exist.`);
  return c;
}

function redacted(auth: Record<string, any>) {
  const out: Record<string, unknown> = {};
  if (auth.BasicAuthParameters) out.BasicAuthParameters = { Username: auth.BasicAuthParameters.Username };
  if (auth.ApiKeyAuthParameters) out.ApiKeyAuthParameters = { ApiKeyName: auth.ApiKeyAuthParameters.ApiKeyName };
  if (auth.OAuthParameters) {
    const o = auth.OAuthParameters;
    out.OAuthParameters = {
      AuthorizationEndpoint: o.AuthorizationEndpoint, HttpMethod: o.HttpMethod, ClientParameters: { ClientID: o.ClientParameters?.ClientID },
      ...(o.OAuthHttpParameters ? { OAuthHttpParameters: o.OAuthHttpParameters } : {}),
    };
  }
  if (auth.InvocationHttpParameters) out.InvocationHttpParameters = auth.InvocationHttpParameters;
  return out;
}

const summary = (c: ConnectionRecord) => ({
  ConnectionArn: c.arn, ConnectionState: 'AUTHORIZED', CreationTime: new Date(c.created), LastModifiedTime: new Date(c.modified), LastAuthorizedTime: new Date(c.modified),
});

export function CreateConnection(input: CreateConnectionRequest, ctx: RequestContext) {
  checkAuth(input.AuthorizationType, input.AuthParameters);
  const store = storeFor(ctx);
  if (store.connections.has(keyOf(ctx, input.Name))) throw alreadyExists(`Connection ${input.Name} already exists.`);
  const now = ctx.clock.now();
  const c: ConnectionRecord = {
    arn: arnOf(ctx, 'connection', input.Name), name: input.Name, account: ctx.account, region: ctx.region, created: now, modified: now,
    authorizationType: input.AuthorizationType, auth: input.AuthParameters as Record<string, any>,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
  };
  store.connections.put(keyOf(ctx, input.Name), c);
  return summary(c);
}

export function UpdateConnection(input: UpdateConnectionRequest, ctx: RequestContext) {
  const c = getConnection(ctx, input.Name);
  const type = input.AuthorizationType ?? c.authorizationType;
  const auth = input.AuthParameters ? { ...c.auth, ...input.AuthParameters } : c.auth;
  const next = { ...c, authorizationType: type, auth, modified: ctx.clock.now(), ...(input.Description !== undefined ? { description: input.Description } : {}) };
  storeFor(ctx).connections.put(keyOf(ctx, c.name), next);
  return summary(next);
}

export function DescribeConnection(input: DescribeConnectionRequest, ctx: RequestContext) {
  const c = getConnection(ctx, input.Name);
  return {
    ...summary(c), Name: c.name, AuthorizationType: c.authorizationType, AuthParameters: redacted(c.auth),
    SecretArn: `arn:aws:secretsmanager:${c.region}:${c.account}:secret:events!connection/${c.name}/${c.arn.split('/').pop()}`,
    ...(c.description !== undefined ? { Description: c.description } : {}),
  };
}

export function DeleteConnection(input: DeleteConnectionRequest, ctx: RequestContext) {
  const c = getConnection(ctx, input.Name);
  storeFor(ctx).connections.delete(keyOf(ctx, c.name));
  return { ...summary(c), ConnectionState: 'DELETING' };
}

export function ListConnections(input: ListConnectionsRequest, ctx: RequestContext) {
  const all = [...storeFor(ctx).connections.entries({ prefix: keyOf(ctx, '') })].map(([, c]) => c)
    .filter((c) => !input.NamePrefix || c.name.startsWith(input.NamePrefix));
  return { Connections: all.map((c) => ({ ...summary(c), Name: c.name, AuthorizationType: c.authorizationType })) };
}

function connectionByArn(store: EventsStore, arn: string): ConnectionRecord | undefined {
  for (const [, c] of store.connections.entries()) if (c.arn === arn) return c;
  return undefined;
}

function getDestination(ctx: RequestContext, name: string): ApiDestinationRecord {
  const d = storeFor(ctx).destinations.get(keyOf(ctx, name));
  if (!d) throw notFound(`Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
  return d;
}

const destSummary = (d: ApiDestinationRecord) => ({
  ApiDestinationArn: d.arn, ApiDestinationState: 'ACTIVE', CreationTime: new Date(d.created), LastModifiedTime: new Date(d.modified),
});

function checkEndpoint(url: string): void {
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw validation('InvocationEndpoint must be an HTTP or HTTPS URL.');
}

export function CreateApiDestination(input: CreateApiDestinationRequest, ctx: RequestContext) {
  const store = storeFor(ctx);
  if (!connectionByArn(store, input.ConnectionArn)) throw notFound(`Connection '${input.ConnectionArn}' does not exist.`);
  checkEndpoint(input.InvocationEndpoint);
  if (store.destinations.has(keyOf(ctx, input.Name))) throw alreadyExists(`An api-destination '${input.Name}' already exists.`);
  const now = ctx.clock.now();
  const d: ApiDestinationRecord = {
    arn: arnOf(ctx, 'api-destination', input.Name), name: input.Name, account: ctx.account, region: ctx.region, created: now, modified: now,
    connectionArn: input.ConnectionArn, endpoint: input.InvocationEndpoint, method: input.HttpMethod,
    ...(input.InvocationRateLimitPerSecond !== undefined ? { rateLimit: input.InvocationRateLimitPerSecond } : {}),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
  };
  store.destinations.put(keyOf(ctx, d.name), d);
  return destSummary(d);
}

export function UpdateApiDestination(input: UpdateApiDestinationRequest, ctx: RequestContext) {
  const d = getDestination(ctx, input.Name);
  if (input.InvocationEndpoint) checkEndpoint(input.InvocationEndpoint);
  const next: ApiDestinationRecord = {
    ...d, modified: ctx.clock.now(),
    ...(input.ConnectionArn ? { connectionArn: input.ConnectionArn } : {}), ...(input.InvocationEndpoint ? { endpoint: input.InvocationEndpoint } : {}),
    ...(input.HttpMethod ? { method: input.HttpMethod } : {}), ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.InvocationRateLimitPerSecond !== undefined ? { rateLimit: input.InvocationRateLimitPerSecond } : {}),
  };
  storeFor(ctx).destinations.put(keyOf(ctx, d.name), next);
  return destSummary(next);
}

function describeDestination(d: ApiDestinationRecord) {
  return {
    ...destSummary(d), Name: d.name, ConnectionArn: d.connectionArn, InvocationEndpoint: d.endpoint, HttpMethod: d.method,
    InvocationRateLimitPerSecond: d.rateLimit ?? 300, ...(d.description !== undefined ? { Description: d.description } : {}),
  };
}

export function DescribeApiDestination(input: DescribeApiDestinationRequest, ctx: RequestContext) {
  return describeDestination(getDestination(ctx, input.Name));
}

export function DeleteApiDestination(input: DeleteApiDestinationRequest, ctx: RequestContext) {
  storeFor(ctx).destinations.delete(keyOf(ctx, getDestination(ctx, input.Name).name));
  return {};
}

export function ListApiDestinations(input: ListApiDestinationsRequest, ctx: RequestContext) {
  const all = [...storeFor(ctx).destinations.entries({ prefix: keyOf(ctx, '') })].map(([, d]) => d)
    .filter((d) => (!input.NamePrefix || d.name.startsWith(input.NamePrefix)) && (!input.ConnectionArn || d.connectionArn === input.ConnectionArn));
  return { ApiDestinations: all.map(describeDestination) };
}

/** The HTTP call an API destination target makes: the connection's auth and parameters, then the target's. */
export function apiDestinationTarget(store: EventsStore, t: RuleTarget, input: string): Target {
  let dest: ApiDestinationRecord | undefined;
  for (const [, d] of store.destinations.entries()) if (t.Arn === d.arn || t.Arn.startsWith(`${d.arn.split('/').slice(0, 2).join('/')}/`)) dest = d;
  if (!dest) return { kind: 'unsupported', arn: t.Arn, body: input };
  const conn = connectionByArn(store, dest.connectionArn);
  const auth = conn?.auth ?? {};
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  const pathValues = [...(t.HttpParameters?.PathParameterValues ?? [])];
  const url = new URL(dest.endpoint.replace(/\*/g, () => encodeURIComponent(pathValues.shift() ?? '')));
  const inv = auth.InvocationHttpParameters ?? {};
  for (const p of inv.HeaderParameters ?? []) headers[p.Key.toLowerCase()] = p.Value;
  for (const p of inv.QueryStringParameters ?? []) url.searchParams.set(p.Key, p.Value);
  for (const [k, v] of Object.entries(t.HttpParameters?.HeaderParameters ?? {})) headers[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(t.HttpParameters?.QueryStringParameters ?? {})) url.searchParams.set(k, v);
  if (auth.BasicAuthParameters) {
    headers.authorization = `Basic ${Buffer.from(`${auth.BasicAuthParameters.Username}:${auth.BasicAuthParameters.Password}`).toString('base64')}`;
  }
  if (auth.ApiKeyAuthParameters) headers[auth.ApiKeyAuthParameters.ApiKeyName.toLowerCase()] = auth.ApiKeyAuthParameters.ApiKeyValue;
  const o = auth.OAuthParameters;
  const pairs = (list: Array<{ Key: string; Value: string }> | undefined) => list ? Object.fromEntries(list.map((p) => [p.Key, p.Value])) : undefined;
  return {
    kind: 'http', url: url.toString(), method: dest.method, headers, body: input,
    ...(o ? {
      oauth: {
        url: o.AuthorizationEndpoint, method: o.HttpMethod, clientId: o.ClientParameters.ClientID, clientSecret: o.ClientParameters.ClientSecret,
        headers: pairs(o.OAuthHttpParameters?.HeaderParameters), query: pairs(o.OAuthHttpParameters?.QueryStringParameters), body: pairs(o.OAuthHttpParameters?.BodyParameters),
      },
    } : {}),
  };
}
