import type { RequestContext } from '../framework/define.ts';
import { invalidParameter, invalidRequest, notFound, resourceExists } from './errors.ts';
import { seal, unseal } from './kms.ts';
import type { SecretRecord, StoredValue, VersionRecord } from './records.ts';

export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';
export const PENDING = 'AWSPENDING';

const MAX_SIZE = 65536;
/** AWS keeps deprecated versions (no staging labels) up to about 100 in all. */
const MAX_VERSIONS = 100;

export interface GivenValue {
  SecretString?: string;
  SecretBinary?: Uint8Array;
}

export function plainOf(given: GivenValue): { kind: StoredValue['kind']; plain: Buffer } | undefined {
  if (given.SecretString !== undefined && given.SecretBinary !== undefined) {
    throw invalidParameter('You can\'t specify both a binary secret value and a string secret value in the same secret.');
  }
  const plain = given.SecretString !== undefined ? Buffer.from(given.SecretString, 'utf8') : given.SecretBinary !== undefined ? Buffer.from(given.SecretBinary) : undefined;
  if (plain === undefined) return undefined;
  if (plain.length > MAX_SIZE) throw invalidParameter('The secret value exceeds the maximum allowed size of 65536 bytes.');
  return { kind: given.SecretString !== undefined ? 'string' : 'binary', plain };
}

export function versionWithStage(s: SecretRecord, stage: string): VersionRecord | undefined {
  return s.versions.find((v) => v.stages.includes(stage));
}

/**
 * Attaches `stages` to version `id` (taking them from whichever version had them); moving
 * AWSCURRENT hands AWSPREVIOUS to the version it left.
 */
export function moveStages(versions: VersionRecord[], id: string, stages: string[]): VersionRecord[] {
  const oldCurrent = stages.includes(CURRENT) ? versions.find((v) => v.stages.includes(CURRENT) && v.id !== id) : undefined;
  return versions.map((v) => {
    let labels = v.id === id ? [...new Set([...v.stages, ...stages])] : v.stages.filter((l) => !stages.includes(l));
    if (oldCurrent) {
      labels = labels.filter((l) => l !== PREVIOUS);
      if (v.id === oldCurrent.id) labels = [...labels, PREVIOUS];
    }
    return labels.length === v.stages.length && labels.every((l, i) => l === v.stages[i]) ? v : { ...v, stages: labels };
  });
}

/** Drops the oldest deprecated versions beyond AWS's limit. */
export function trim(versions: VersionRecord[]): VersionRecord[] {
  let extra = versions.length - MAX_VERSIONS;
  if (extra <= 0) return versions;
  return versions.filter((v) => v.stages.length > 0 || extra-- <= 0);
}

function sameValue(ctx: RequestContext, s: SecretRecord, v: VersionRecord, kind: StoredValue['kind'] | undefined, plain: Buffer | undefined): boolean {
  if (!v.value || plain === undefined) return !v.value && plain === undefined;
  return v.value.kind === kind && unseal(ctx, s.arn, v.id, v.value).equals(plain);
}

/**
 * Adds a version for `given` under `token` (or a new id). A token that names an existing
 * version with the same value is a retry and changes nothing; with another value it fails,
 * since versions are immutable.
 */
export function addVersion(
  ctx: RequestContext, s: SecretRecord, token: string | undefined, given: GivenValue, stages: string[],
): { secret: SecretRecord; versionId: string; created: boolean } {
  const value = plainOf(given);
  const id = token ?? ctx.ids.uuid();
  const existing = s.versions.find((v) => v.id === id);
  if (existing && !existing.value && value) {
    // The version RotateSecret opened for the rotation function gets its value now.
    const sealed = seal(ctx, s.kmsKeyId, s.arn, id, value.kind, value.plain);
    const filled = s.versions.map((v) => (v.id === id ? { ...v, value: sealed.value, ...(sealed.keyArn ? { keyArn: sealed.keyArn } : {}) } : v));
    return { secret: { ...s, versions: moveStages(filled, id, stages), changedAt: ctx.clock.now() }, versionId: id, created: true };
  }
  if (existing) {
    if (!sameValue(ctx, s, existing, value?.kind, value?.plain)) {
      throw resourceExists('You can\'t modify an existing version, you can only create a new version.');
    }
    return { secret: s, versionId: id, created: false };
  }
  const sealed = value ? seal(ctx, s.kmsKeyId, s.arn, id, value.kind, value.plain) : undefined;
  const now = ctx.clock.now();
  const v: VersionRecord = { id, stages: [], createdAt: now, ...(sealed ? { value: sealed.value } : {}), ...(sealed?.keyArn ? { keyArn: sealed.keyArn } : {}) };
  const versions = trim(moveStages([...s.versions, v], id, stages));
  return { secret: { ...s, versions, changedAt: now }, versionId: id, created: true };
}

export function checkToken(token: string | undefined): void {
  if (token !== undefined && (token.length < 32 || token.length > 64)) {
    throw invalidParameter('ClientRequestToken must be 32-64 characters long.');
  }
}

/** The version GetSecretValue reads: by VersionId and/or VersionStage, AWSCURRENT by default. */
export function pickVersion(s: SecretRecord, versionId: string | undefined, stage: string | undefined): VersionRecord {
  if (versionId !== undefined) {
    const v = s.versions.find((x) => x.id === versionId);
    if (!v) throw notFound(`Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
    if (stage !== undefined && !v.stages.includes(stage)) throw invalidRequest('You provided a VersionStage that is not associated to the provided VersionId.');
    return v;
  }
  const label = stage ?? CURRENT;
  const v = versionWithStage(s, label);
  if (!v) throw notFound(`Secrets Manager can't find the specified secret value for staging label: ${label}`);
  return v;
}

export function valueOf(ctx: RequestContext, s: SecretRecord, v: VersionRecord): { SecretString?: string; SecretBinary?: Buffer } {
  if (!v.value) throw notFound(`Secrets Manager can't find the specified secret value for VersionId: ${v.id}`);
  const plain = unseal(ctx, s.arn, v.id, v.value);
  return v.value.kind === 'string' ? { SecretString: plain.toString('utf8') } : { SecretBinary: plain };
}
