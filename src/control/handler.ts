import type { Readable } from 'node:stream';
import { AwsError } from '../protocol/aws-error.ts';
import type { RawResponse } from '../protocol/types.ts';
import type { App } from '../server/app.ts';
import { InspectionFile } from '../services/framework/define.ts';
import { readBody } from '../server/http-io.ts';
import { parseDuration } from './duration.ts';
import { handleFaults, isFaultsPath } from '../faults/control.ts';
import { applyFixture } from '../fixtures/apply.ts';
import { FixtureError } from '../fixtures/errors.ts';
import { initStatus, localstackInit } from '../init/scripts.ts';
import { handleUi, isUiPath } from './ui-serve.ts';

export interface ControlRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: AsyncIterable<Buffer | Uint8Array> | Readable;
}

const PREFIXES = ['/kumo/', '/_localstack/', '/moto-api/'];

export function isControlPath(path: string): boolean {
  return path === '/health' || path === '/kumo' || PREFIXES.some((p) => path.startsWith(p));
}

class ControlError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function json(status: number, body: unknown): RawResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) + '\n' };
}

/** kumo's own endpoints: health, reset, clock, snapshots (JSON in, JSON out). */
export async function handleControl(app: App, req: ControlRequest): Promise<RawResponse> {
  try {
    return await route(app, req);
  } catch (err) {
    if (err instanceof ControlError) return json(err.status, { error: err.code, message: err.message });
    throw err;
  }
}

async function route(app: App, req: ControlRequest): Promise<RawResponse> {
  const { method, path } = req;
  if (isFaultsPath(path)) return handleFaults(app.faults, req);
  if (isUiPath(path)) return handleUi(app, method, path, req.headers);
  const key = `${method} ${path.replace(/\/+$/, '') || '/'}`;
  switch (key) {
    case 'GET /health':
    case 'HEAD /health':
      return json(200, { status: 'healthy' });
    case 'GET /kumo/health':
      return json(200, health(app));
    case 'GET /_localstack/health':
      return json(200, localstackHealth(app));
    case 'POST /kumo/reset':
      await bodyJson(req, true);
      await reset(app);
      return json(200, { reset: 'all' });
    case 'POST /_localstack/state/reset':
    case 'POST /moto-api/reset':
      await reset(app);
      return json(200, { reset: 'all' });
    case 'GET /kumo/clock':
      return json(200, app.engine.clock.describe());
    case 'POST /kumo/clock':
      return json(200, await clock(app, await bodyJson(req, true)));
    case 'POST /kumo/snapshot/save':
      return json(200, await snapshot(app, 'save', await bodyJson(req, true)));
    case 'POST /kumo/snapshot/load':
      return json(200, await snapshot(app, 'load', await bodyJson(req, true)));
    case 'POST /kumo/fixtures':
      return json(200, await fixtures(app, await bodyJson(req, false)));
    case 'GET /_localstack/init':
      return json(200, localstackInit(app));
  }
  const resetOne = /^\/kumo\/reset\/([a-z0-9-]+)$/.exec(path);
  if (resetOne && method === 'POST') {
    await bodyJson(req, true);
    const service = resetOne[1]!;
    if (!app.host.enabled(service)) throw new ControlError(404, 'UnknownService', `kumo has no enabled service named ${service}`);
    await reset(app, service);
    return json(200, { reset: service });
  }
  const inspect = /^\/kumo\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(path);
  if (inspect && method === 'GET') return inspectService(app, SERVICE_ALIASES[inspect[1]!] ?? inspect[1]!, inspect[2]!, req.query);
  throw new ControlError(404, 'NotFound', `No kumo control endpoint ${method} ${path}`);
}

/** State-changing calls need a JSON content type: a page's plain form post cannot make one. */
async function bodyJson(req: ControlRequest, optional: boolean): Promise<Record<string, unknown>> {
  const raw = await readBody(req.body, 1024 * 1024);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ControlError(415, 'UnsupportedMediaType', 'kumo control endpoints take Content-Type: application/json');
  }
  if (raw.length === 0) {
    if (optional) return {};
    throw new ControlError(400, 'InvalidRequest', 'A JSON object body is required');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ControlError(400, 'InvalidRequest', 'The body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ControlError(400, 'InvalidRequest', 'The body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Names other emulators use in inspection paths (`/kumo/eventbridge/delivered-events`). */
const SERVICE_ALIASES: Record<string, string> = { eventbridge: 'events' };

async function inspectService(app: App, service: string, route: string, query: string): Promise<RawResponse> {
  const def = await app.host.definition(service);
  const fn = def?.inspect?.[route];
  if (!def || !fn) throw new ControlError(404, 'NotFound', `No kumo inspection endpoint /kumo/${service}/${route}`);
  try {
    const value = await fn(new URLSearchParams(query), app.host.runtime(def));
    // A few routes act (SNS subscription confirmation links): answer only once that is durable.
    await app.engine.sync();
    if (value instanceof InspectionFile) return { status: 200, headers: { 'content-type': value.contentType }, body: value.body };
    return json(200, value);
  } catch (err) {
    if (err instanceof AwsError) throw new ControlError(err.status, err.code, err.message);
    throw err;
  }
}

async function reset(app: App, service?: string): Promise<void> {
  await app.engine.reset(service);
  await app.host.reinit(service);
}

function health(app: App) {
  const stats = app.engine.stats();
  const loaded = new Set(app.host.loaded());
  const services: Record<string, { state: string; records: number }> = {};
  for (const id of app.host.enabledServices()) {
    services[id] = { state: loaded.has(id) ? 'running' : 'available', records: stats.services[id]?.records ?? 0 };
  }
  return {
    status: 'healthy',
    version: app.version,
    endpoint: app.endpoint,
    dataDir: stats.dataDir ?? null,
    durability: stats.dataDir ? stats.durability : 'memory',
    persistedServices: stats.dataDir ? app.config.persistServices ?? 'all' : [],
    seed: stats.seed ?? null,
    faults: { active: app.faults.active() },
    clock: app.engine.clock.describe(),
    init: initStatus(app) ?? null,
    services,
  };
}

function localstackHealth(app: App) {
  const loaded = new Set(app.host.loaded());
  const services: Record<string, string> = {};
  for (const id of app.host.enabledServices()) services[id] = loaded.has(id) ? 'running' : 'available';
  return { services, edition: 'community', version: `kumo-${app.version}` };
}

async function clock(app: App, body: Record<string, unknown>) {
  const c = app.engine.clock;
  const keys = Object.keys(body);
  const known = ['set', 'advance', 'freeze'];
  const unknown = keys.filter((k) => !known.includes(k));
  if (unknown.length) throw new ControlError(400, 'InvalidRequest', `Unknown clock field(s): ${unknown.join(', ')}; use set, advance or freeze`);
  if ('freeze' in body) {
    if (typeof body.freeze !== 'boolean') throw new ControlError(400, 'InvalidRequest', '"freeze" must be true or false');
  }
  let setTo: number | undefined;
  if ('set' in body) {
    setTo = typeof body.set === 'string' ? Date.parse(body.set) : typeof body.set === 'number' ? body.set : NaN;
    if (!Number.isFinite(setTo)) throw new ControlError(400, 'InvalidRequest', '"set" must be an ISO 8601 time or epoch milliseconds');
  }
  let advance: number | undefined;
  if ('advance' in body) {
    advance = parseDuration(body.advance);
    if (advance === undefined) throw new ControlError(400, 'InvalidRequest', '"advance" must be an ISO 8601 duration (PT5M) or non-negative milliseconds');
  }
  if (typeof body.freeze === 'boolean') c.freeze(body.freeze);
  if (setTo !== undefined) c.set(setTo);
  if (advance !== undefined) await c.advance(advance);
  return c.describe();
}

async function snapshot(app: App, action: 'save' | 'load', body: Record<string, unknown>) {
  const dir = body.dir;
  if (typeof dir !== 'string' || dir === '') throw new ControlError(400, 'InvalidRequest', '"dir" (a directory path) is required');
  try {
    if (action === 'save') await app.engine.saveSnapshot(dir);
    else {
      await app.engine.loadSnapshot(dir);
      await app.host.reinit();
      // Services with state in the snapshot must be live: IAM/STS resolve access keys from it.
      await app.host.loadAll();
    }
  } catch (err) {
    if (err instanceof Error && (err as { userError?: boolean }).userError) throw new ControlError(400, 'InvalidSnapshot', err.message);
    throw err;
  }
  return { [action === 'save' ? 'saved' : 'loaded']: dir };
}

/** `{source, fixture}`: a fixture document the caller read (and inlined files of); applied atomically. */
async function fixtures(app: App, body: Record<string, unknown>) {
  const source = typeof body.source === 'string' && body.source !== '' ? body.source : 'request';
  try {
    return await applyFixture(app, source, body.fixture);
  } catch (err) {
    if (err instanceof FixtureError) throw new ControlError(400, 'InvalidFixture', err.message);
    throw err;
  }
}
