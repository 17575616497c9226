/**
 * Rotation: RotateSecret opens an AWSPENDING version and runs the rotation function's four
 * steps (createSecret, setSecret, testSecret, finishSecret) through the lambda service's
 * internal API, awaiting each; the function calls back into kumo over HTTP like any client.
 * Rotation schedules (AutomaticallyAfterDays, rate expressions) run on the engine clock.
 */
import type {
  CancelRotateSecretRequest, CancelRotateSecretResponse, RotateSecretRequest, RotateSecretResponse, RotationRulesType,
} from '../../generated/secretsmanager.ts';
import type { RequestContext } from '../framework/define.ts';
import type { SecretRecord } from './records.ts';
import { invalidParameter, invalidRequest } from './errors.ts';
import { liveSecret, lookup, secrets } from './names.ts';
import { clearTimer, setTimer, timerName, type TimerOwner } from './store.ts';
import { checkToken, CURRENT, moveStages, PENDING } from './versions.ts';
import { nextFire, parseSchedule, ScheduleError } from '../../events/schedule.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** What kumo's lambda service is expected to offer for invoking a function in-process. */
interface LambdaInvoker {
  invoke(caller: RequestContext, functionArn: string, payload: Buffer): Promise<{ payload?: Buffer; functionError?: string }>;
}

function invoker(ctx: RequestContext): LambdaInvoker | undefined {
  const api = ctx.services.lambda as Partial<LambdaInvoker> | undefined;
  return typeof api?.invoke === 'function' ? (api as LambdaInvoker) : undefined;
}

function noInvoker(): never {
  throw invalidRequest('kumo cannot run rotation functions: its lambda service offers no in-process invoke API, or is disabled (KUMO_SERVICES).');
}

/** When the next scheduled rotation after `now` is due: rate-based, or the next cron match (UTC). */
function nextRotation(rules: RotationRulesType | undefined, now: number): number | undefined {
  if (!rules) return undefined;
  if (rules.AutomaticallyAfterDays !== undefined) return now + rules.AutomaticallyAfterDays * DAY;
  const expr = rules.ScheduleExpression ?? '';
  const rate = /^rate\((\d+) (hours?|days?)\)$/.exec(expr);
  if (rate) return now + Number(rate[1]) * (rate[2]!.startsWith('hour') ? HOUR : DAY);
  if (!expr.startsWith('cron(')) return undefined;
  try {
    return nextFire(parseSchedule(expr), now, now);
  } catch (err) {
    if (err instanceof ScheduleError) throw invalidParameter(`Invalid ScheduleExpression: ${expr}`);
    throw err;
  }
}

function checkRules(rules: RotationRulesType | undefined): void {
  if (!rules) return;
  if (rules.AutomaticallyAfterDays !== undefined && rules.ScheduleExpression !== undefined) {
    throw invalidParameter('You can\'t specify both AutomaticallyAfterDays and ScheduleExpression.');
  }
  const days = rules.AutomaticallyAfterDays;
  if (days !== undefined && (days < 1 || days > 1000)) throw invalidParameter('The AutomaticallyAfterDays value must be between 1 and 1000.');
  const expr = rules.ScheduleExpression;
  if (expr !== undefined) {
    const rate = /^rate\((\d+) (hours?|days?)\)$/.exec(expr);
    if (!rate && !/^cron\(.+\)$/.test(expr)) throw invalidParameter(`Invalid ScheduleExpression: ${expr}`);
    if (rate && rate[2]!.startsWith('hour') && (Number(rate[1]) < 4 || Number(rate[1]) > 24)) {
      throw invalidParameter('The rotation schedule must be between 4 hours and 1000 days.');
    }
    if (rate && rate[2]!.startsWith('day') && (Number(rate[1]) < 1 || Number(rate[1]) > 1000)) {
      throw invalidParameter('The rotation schedule must be between 4 hours and 1000 days.');
    }
  }
  if (rules.Duration !== undefined) {
    const m = /^(\d+)h$/.exec(rules.Duration);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 24) throw invalidParameter('The Duration value must be between 1h and 24h.');
  }
}

/** Arms (or disarms) a secret's next scheduled rotation. */
export function scheduleRotation(ctx: TimerOwner, s: SecretRecord): void {
  const name = timerName(ctx, s.name, 'rotate');
  if (!s.rotation.enabled || s.rotation.next === undefined || s.deletedAt !== undefined) {
    clearTimer(ctx, name);
    return;
  }
  setTimer(ctx, name, s.rotation.next, (c) => {
    const now = secrets(c).get(s.name);
    if (!now?.rotation.enabled || now.arn !== s.arn || now.deletedAt !== undefined) return;
    // A failed scheduled rotation is retried at the next interval, as AWS does.
    rotate(c, now, undefined).catch(() => undefined).finally(() => {
      const after = secrets(c).get(s.name);
      const due = after && nextRotation(after.rotation.rules, c.clock.now());
      if (!after || due === undefined) return;
      const next = { ...after, rotation: { ...after.rotation, next: due } };
      secrets(c).put(after.name, next);
      scheduleRotation(c, next);
    });
  });
}

/** Opens (or reopens) the AWSPENDING version and runs the four steps; answers the version id. */
async function rotate(ctx: RequestContext, s: SecretRecord, token: string | undefined): Promise<string> {
  const lambda = invoker(ctx) ?? noInvoker();
  const lambdaArn = s.rotation.lambdaArn!;
  const pending = s.versions.find((v) => v.stages.includes(PENDING) && !v.stages.includes(CURRENT));
  if (pending && token !== undefined && pending.id !== token) {
    throw invalidRequest('A previous rotation isn\'t complete. That rotation will be reattempted.');
  }
  const versionId = token ?? pending?.id ?? ctx.ids.uuid();
  if (!s.versions.some((v) => v.id === versionId)) {
    const opened = [...s.versions, { id: versionId, stages: [], createdAt: ctx.clock.now() }];
    secrets(ctx).put(s.name, { ...s, versions: moveStages(opened, versionId, [PENDING]) });
  }
  for (const Step of STEPS) {
    const payload = Buffer.from(JSON.stringify({ Step, SecretId: s.arn, ClientRequestToken: versionId, RotationToken: ctx.ids.uuid() }));
    const r = await lambda.invoke(ctx, lambdaArn, payload);
    if (r.functionError !== undefined) {
      const detail = r.payload?.toString('utf8') ?? '';
      throw invalidRequest(`The rotation function ${lambdaArn} failed at step ${Step}: ${r.functionError} ${detail}`.trim());
    }
  }
  const done = lookup(ctx, s.arn);
  if (done) {
    const finished = done.versions.some((v) => v.id === versionId && v.stages.includes(CURRENT));
    const versions = finished ? done.versions.map((v) => (v.id === versionId ? { ...v, stages: v.stages.filter((l) => l !== PENDING) } : v)) : done.versions;
    secrets(ctx).put(done.name, { ...done, versions, rotation: { ...done.rotation, ...(finished ? { lastRotated: ctx.clock.now() } : {}) } });
  }
  return versionId;
}

export async function RotateSecret(input: RotateSecretRequest, ctx: RequestContext): Promise<RotateSecretResponse> {
  checkToken(input.ClientRequestToken);
  const s = liveSecret(ctx, input.SecretId);
  const lambdaArn = input.RotationLambdaARN ?? s.rotation.lambdaArn;
  if (lambdaArn === undefined) throw invalidRequest('No Lambda rotation function ARN is associated with this secret.');
  const rules = input.RotationRules ?? s.rotation.rules;
  checkRules(rules);
  const immediately = input.RotateImmediately ?? true;
  if (immediately && !invoker(ctx)) noInvoker();
  const due = nextRotation(rules, ctx.clock.now());
  const configured: SecretRecord = {
    ...s,
    rotation: {
      ...s.rotation, enabled: true, lambdaArn, ...(rules ? { rules } : {}),
      ...(due !== undefined ? { next: due } : {}),
    },
  };
  secrets(ctx).put(s.name, configured);
  scheduleRotation(ctx, configured);
  if (!immediately) return { ARN: s.arn, Name: s.name };
  const versionId = await rotate(ctx, configured, input.ClientRequestToken);
  return { ARN: s.arn, Name: s.name, VersionId: versionId };
}

export function CancelRotateSecret(input: CancelRotateSecretRequest, ctx: RequestContext): CancelRotateSecretResponse {
  const s = liveSecret(ctx, input.SecretId);
  const pending = s.versions.find((v) => v.stages.includes(PENDING));
  const { next: _, ...rotation } = s.rotation;
  secrets(ctx).put(s.name, { ...s, rotation: { ...rotation, enabled: false } });
  clearTimer(ctx, timerName(ctx, s.name, 'rotate'));
  return { ARN: s.arn, Name: s.name, ...(pending ? { VersionId: pending.id } : {}) };
}
