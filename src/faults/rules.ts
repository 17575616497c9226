import { loadModel, serviceIndex } from '../protocol/models.ts';
import { parseDelay, type DelaySpec } from './delay.ts';
import { FaultRuleError } from './rule-error.ts';

/** Shorthand errors whose code and status depend on the service and protocol (see presets.ts). */
export type ErrorPreset = 'throttle' | 'internal' | 'unavailable';

export interface ErrorSpec {
  code: string;
  message?: string;
  /** undefined: the model's status for that error shape, else 400. */
  status?: number;
}

export interface RuleMatch {
  service?: string[];
  operation?: string[];
  account?: string[];
  region?: string[];
  /** Globs (`*` = any run of characters) over the resources the input names; see resources.ts. */
  resource?: string[];
  method?: string[];
  /** Globs over the request path as the client sent it. */
  path?: string[];
}

export interface RateLimit {
  /** Tokens added per second of engine time. */
  rate: number;
  /** Bucket capacity; the bucket starts full. */
  burst: number;
}

/** A validated rule. `source` is what the user wrote, echoed back by GET /kumo/faults. */
export interface FaultRule {
  id: string;
  match: RuleMatch;
  error?: ErrorPreset | ErrorSpec;
  delay?: DelaySpec;
  reset?: true;
  truncate?: { fraction: number };
  rateLimit?: RateLimit;
  probability?: number;
  times?: number;
  after: number;
  from?: number;
  until?: number;
  source: Record<string, unknown>;
}


export const RULE_ID = /^[A-Za-z0-9._-]{1,128}$/;
const MATCH_KEYS = ['service', 'operation', 'account', 'region', 'resource', 'method', 'path'];
const RULE_KEYS = ['id', 'match', 'error', 'delay', 'reset', 'truncate', 'rateLimit', 'probability', 'times', 'after', 'from', 'until'];
const PRESETS: readonly string[] = ['throttle', 'internal', 'unavailable'];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function unknownKeys(obj: Record<string, unknown>, known: string[], where: string): void {
  const extra = Object.keys(obj).find((k) => !known.includes(k));
  if (extra !== undefined) throw new FaultRuleError(where ? `${where}.${extra}` : extra, `unknown field; expected one of ${known.join(', ')}`);
}

function strings(v: unknown, field: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || !list.every((s) => typeof s === 'string' && s !== '')) {
    throw new FaultRuleError(field, 'must be a non-empty string or a list of them');
  }
  return list as string[];
}

function count(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new FaultRuleError(field, 'must be a non-negative integer');
  return v;
}

function fraction(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new FaultRuleError(field, 'must be a number between 0 and 1');
  return v;
}

function instant(v: unknown, field: string): number {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new FaultRuleError(field, 'must be an ISO 8601 time');
  return t;
}

function parseMatch(raw: unknown): RuleMatch {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new FaultRuleError('match', 'must be an object');
  unknownKeys(raw, MATCH_KEYS, 'match');
  const m: RuleMatch = {};
  for (const key of MATCH_KEYS) {
    if (raw[key] !== undefined) m[key as keyof RuleMatch] = strings(raw[key], `match.${key}`);
  }
  if (m.service) {
    const known = new Set(serviceIndex().map((s) => s.id));
    const bad = m.service.find((s) => !known.has(s));
    if (bad !== undefined) throw new FaultRuleError('match.service', `unknown service ${JSON.stringify(bad)} (use model ids such as dynamodb, sqs, s3)`);
  }
  if (m.operation) {
    if (!m.service) throw new FaultRuleError('match.operation', 'needs match.service to say which service the operation belongs to');
    const services = m.service;
    const bad = m.operation.find((op) => !services.some((s) => Object.hasOwn(loadModel(s).operations, op)));
    if (bad !== undefined) throw new FaultRuleError('match.operation', `unknown operation ${JSON.stringify(bad)} for ${services.join(', ')}`);
  }
  if (m.method) m.method = m.method.map((x) => x.toUpperCase());
  return m;
}

function parseError(raw: unknown): ErrorPreset | ErrorSpec {
  if (typeof raw === 'string') {
    if (!PRESETS.includes(raw)) throw new FaultRuleError('error', `must be ${PRESETS.join(', ')} or an object {code, message, status}`);
    return raw as ErrorPreset;
  }
  if (!isObject(raw)) throw new FaultRuleError('error', `must be ${PRESETS.join(', ')} or an object {code, message, status}`);
  unknownKeys(raw, ['code', 'message', 'status'], 'error');
  if (typeof raw.code !== 'string' || !/^[A-Za-z0-9_.:#-]{1,128}$/.test(raw.code)) {
    throw new FaultRuleError('error.code', 'must be an error code such as ThrottlingException');
  }
  const spec: ErrorSpec = { code: raw.code };
  if (raw.message !== undefined) {
    if (typeof raw.message !== 'string') throw new FaultRuleError('error.message', 'must be a string');
    spec.message = raw.message;
  }
  if (raw.status !== undefined) {
    if (typeof raw.status !== 'number' || !Number.isInteger(raw.status) || raw.status < 400 || raw.status > 599) {
      throw new FaultRuleError('error.status', 'must be an HTTP error status (400-599)');
    }
    spec.status = raw.status;
  }
  return spec;
}

function parseRateLimit(raw: unknown): RateLimit {
  if (!isObject(raw)) throw new FaultRuleError('rateLimit', 'must be an object {rate, burst}');
  unknownKeys(raw, ['rate', 'burst'], 'rateLimit');
  if (typeof raw.rate !== 'number' || !Number.isFinite(raw.rate) || raw.rate < 0) {
    throw new FaultRuleError('rateLimit.rate', 'must be a non-negative number of requests per second');
  }
  const burst = raw.burst === undefined ? Math.max(1, Math.ceil(raw.rate)) : count(raw.burst, 'rateLimit.burst');
  return { rate: raw.rate, burst };
}

/** Validates one rule; `id` comes from the URL (PUT) or the rule itself (file). */
export function parseRule(id: string, raw: unknown): FaultRule {
  if (!isObject(raw)) throw new FaultRuleError('rule', 'must be a JSON object');
  unknownKeys(raw, RULE_KEYS, '');
  if (!RULE_ID.test(id)) throw new FaultRuleError('id', 'must be 1-128 characters of A-Z a-z 0-9 . _ -');
  if (raw.id !== undefined && raw.id !== id) throw new FaultRuleError('id', `does not match the id in the path (${id})`);
  const rule: FaultRule = { id, match: parseMatch(raw.match), after: 0, source: { ...raw, id } };
  if (raw.error !== undefined) rule.error = parseError(raw.error);
  if (raw.delay !== undefined) rule.delay = parseDelay(raw.delay);
  if (raw.reset !== undefined) {
    if (raw.reset !== true && raw.reset !== false) throw new FaultRuleError('reset', 'must be true or false');
    if (raw.reset) rule.reset = true;
  }
  if (raw.truncate !== undefined) {
    if (raw.truncate === true) rule.truncate = { fraction: 0.5 };
    else if (isObject(raw.truncate)) {
      unknownKeys(raw.truncate, ['fraction'], 'truncate');
      const kept = raw.truncate.fraction === undefined ? 0.5 : fraction(raw.truncate.fraction, 'truncate.fraction');
      if (kept === 1) throw new FaultRuleError('truncate.fraction', 'must be below 1 (1 would send the whole body)');
      rule.truncate = { fraction: kept };
    } else if (raw.truncate !== false) throw new FaultRuleError('truncate', 'must be true or an object {fraction}');
  }
  const outcomes = [rule.error && 'error', rule.reset && 'reset', rule.truncate && 'truncate'].filter(Boolean);
  if (outcomes.length > 1) throw new FaultRuleError(String(outcomes[1]), `cannot be combined with ${outcomes[0]}: a request ends one way`);
  if (raw.rateLimit !== undefined) rule.rateLimit = parseRateLimit(raw.rateLimit);
  if (outcomes.length === 0 && !rule.delay) {
    if (!rule.rateLimit) throw new FaultRuleError('rule', 'needs an action: error, delay, reset or truncate (or a rateLimit)');
    rule.error = 'throttle';
  }
  if (raw.probability !== undefined) rule.probability = fraction(raw.probability, 'probability');
  if (raw.times !== undefined) rule.times = count(raw.times, 'times');
  if (raw.after !== undefined) rule.after = count(raw.after, 'after');
  if (raw.from !== undefined) rule.from = instant(raw.from, 'from');
  if (raw.until !== undefined) rule.until = instant(raw.until, 'until');
  if (rule.from !== undefined && rule.until !== undefined && rule.until <= rule.from) {
    throw new FaultRuleError('until', 'must be later than from');
  }
  return rule;
}

/** A rules document: a list of rules with ids, or `{rules: [...]}`. */
export function parseRules(doc: unknown): FaultRule[] {
  const list = isObject(doc) && Object.keys(doc).length === 1 && 'rules' in doc ? doc.rules : doc;
  if (!Array.isArray(list)) throw new FaultRuleError('rules', 'must be a list of rules (or an object {rules: [...]})');
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const id = isObject(raw) ? raw.id : undefined;
    if (typeof id !== 'string') throw new FaultRuleError(`rules[${i}].id`, 'is required (a string)');
    if (seen.has(id)) throw new FaultRuleError(`rules[${i}].id`, `duplicate id ${JSON.stringify(id)}`);
    seen.add(id);
    try {
      return parseRule(id, raw);
    } catch (err) {
      if (err instanceof FaultRuleError) throw new FaultRuleError(`rules[${i}].${err.field}`, err.detail);
      throw err;
    }
  });
}
