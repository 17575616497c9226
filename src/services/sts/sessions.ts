/**
 * Temporary credentials STS issued (ASIA...), kept across accounts by access key id so that
 * requests signed with them resolve to the identity they were issued for.
 */
import type { CallerIdentity, RequestContext, ServiceRuntime } from '../framework/define.ts';
import type { Credentials } from '../../generated/sts.ts';
import { accessKeyId, secretAccessKey } from '../iam/ids.ts';

export interface SessionRecord extends CallerIdentity {
  secretAccessKey: string;
  sessionToken: string;
  /** ms since the epoch, on kumo's clock. */
  expiration: number;
  /** assumed-role sessions cannot be chained past one hour; session tokens cannot mint more. */
  kind: 'assumed-role' | 'session' | 'federated';
}

const SESSIONS = 'sessions';

export function issue(ctx: RequestContext, identity: CallerIdentity, durationSeconds: number, kind: SessionRecord['kind']): Credentials {
  const record: SessionRecord = {
    ...identity,
    secretAccessKey: secretAccessKey(ctx.ids),
    // AWS session tokens are opaque base64 of a few hundred bytes.
    sessionToken: 'IQoJb3JpZ2luX2VjE' + ctx.ids.base64(192),
    expiration: ctx.clock.now() + durationSeconds * 1000,
    kind,
  };
  const id = accessKeyId(ctx.ids, 'ASIA');
  ctx.state.table<SessionRecord>(SESSIONS).put(id, record);
  return { AccessKeyId: id, SecretAccessKey: record.secretAccessKey, SessionToken: record.sessionToken, Expiration: new Date(record.expiration) };
}

export function session(ctx: RequestContext, id: string | undefined): SessionRecord | undefined {
  return id === undefined ? undefined : ctx.state.table<SessionRecord>(SESSIONS).get(id);
}

/**
 * The dispatcher's question: whose ASIA key is this? Expired credentials still resolve: kumo
 * does not authenticate, and a test that outlives its session should not change accounts.
 */
export function identityOfSession(id: string, rt: ServiceRuntime): CallerIdentity | undefined {
  const s = rt.state.table<SessionRecord>(SESSIONS).get(id);
  return s && { account: s.account, arn: s.arn, userId: s.userId };
}
