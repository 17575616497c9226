import type { ControlRequest } from '../control/handler.ts';
import type { RawResponse } from '../protocol/types.ts';
import { readBody } from '../server/http-io.ts';
import type { FaultInjector } from './injector.ts';
import { FaultRuleError } from './rule-error.ts';
import { parseRule, RULE_ID } from './rules.ts';

const BASE = '/kumo/faults';
/** Path segments that are endpoints, so they cannot be rule ids. */
const RESERVED = new Set(['history', 'reset']);

export function isFaultsPath(path: string): boolean {
  return path === BASE || path.startsWith(`${BASE}/`);
}

function json(status: number, body: unknown): RawResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) + '\n' };
}

function problem(status: number, error: string, message: string): RawResponse {
  return json(status, { error, message });
}

/** /kumo/faults: list, put, get and delete rules by id, reset, and the history of fired faults. */
export async function handleFaults(faults: FaultInjector, req: ControlRequest): Promise<RawResponse> {
  const path = req.path.replace(/\/+$/, '');
  const { method } = req;
  if (path === BASE && method === 'GET') return json(200, { rules: faults.list(), active: faults.active() });
  if (path === `${BASE}/history` && method === 'GET') {
    const rule = new URLSearchParams(req.query).get('rule');
    return json(200, { events: faults.history.list().filter((e) => rule === null || e.rule === rule) });
  }
  if (path === `${BASE}/reset` && method === 'POST') {
    const body = await jsonBody(req);
    if (body instanceof BodyError) return problem(body.status, body.code, body.message);
    faults.clear();
    return json(200, { reset: 'faults' });
  }
  if (path.startsWith(`${BASE}/`) && ['GET', 'PUT', 'DELETE'].includes(method)) {
    const id = path.slice(BASE.length + 1);
    if (!RULE_ID.test(id) || RESERVED.has(id)) {
      return problem(400, 'InvalidRequest', `id: must be 1-128 characters of A-Z a-z 0-9 . _ - and not ${[...RESERVED].join(' or ')}`);
    }
    if (method === 'GET') {
      const rule = faults.get(id);
      return rule ? json(200, rule) : problem(404, 'NotFound', `No fault rule ${id}`);
    }
    const body = await jsonBody(req);
    if (body instanceof BodyError) return problem(body.status, body.code, body.message);
    if (method === 'DELETE') return faults.delete(id) ? json(200, { deleted: id }) : problem(404, 'NotFound', `No fault rule ${id}`);
    if (body === undefined) return problem(400, 'InvalidRequest', 'rule: a JSON object body is required');
    try {
      faults.put(parseRule(id, body));
    } catch (err) {
      if (err instanceof FaultRuleError) return problem(400, 'InvalidFaultRule', err.message);
      throw err;
    }
    return json(200, faults.get(id));
  }
  return problem(404, 'NotFound', `No kumo control endpoint ${method} ${req.path}`);
}

class BodyError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** State-changing calls need a JSON content type: a page's plain form post cannot make one. */
async function jsonBody(req: ControlRequest): Promise<unknown | BodyError> {
  const raw = await readBody(req.body, 1024 * 1024);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return new BodyError(415, 'UnsupportedMediaType', 'kumo control endpoints take Content-Type: application/json');
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return new BodyError(400, 'InvalidRequest', 'body: not valid JSON');
  }
}
