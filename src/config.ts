import { isIP } from 'node:net';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Durability = 'fsync' | 'process';

export interface KumoConfig {
  host: string;
  port: number;
  dataDir?: string;
  durability: Durability;
  logLevel: LogLevel;
  seed?: string;
  accountId: string;
  region: string;
  /** undefined = every registered service. */
  services?: string[];
  /** With a data dir: services that persist (default all); the rest stay in memory. */
  persistServices?: string[];
  initDir?: string;
  /** Fault injection rules loaded at startup (KUMO_FAULTS, JSON or YAML). */
  faults?: string;
  /** Fixture file applied at startup (KUMO_FIXTURES). */
  fixtures?: string;
  /** A different version of that fixture was applied to the data dir before: apply on top, or refuse to start. */
  fixturesStale?: 'reapply' | 'refuse';
  lambdaExecutor?: string;
  /** Extra allowed browser origins (`*` allows any). */
  corsOrigins: string[];
  /** Extra host names accepted in `Host` when bound to loopback. */
  allowedHosts: string[];
  /** Verify SigV4 signatures of S3 presigned URLs and POST uploads against `s3Credentials`. */
  s3VerifySignatures: boolean;
  /** Secret access key by access key id. */
  s3Credentials: Record<string, string>;
}

/** One row per setting: env var, CLI flag, description (the README's table is generated from the same facts). */
export const SETTINGS = [
  ['KUMO_HOST', 'host', 'Address to bind (127.0.0.1; use 0.0.0.0 inside a container).'],
  ['KUMO_PORT', 'port', 'Port (4566; 0 picks a free port and prints it).'],
  ['KUMO_DATA_DIR', 'data-dir', 'Persist state in this directory (default: memory only).'],
  ['KUMO_DURABILITY', 'durability', 'fsync (default) or process.'],
  ['KUMO_LOG_LEVEL', 'log-level', 'debug | info | warn | error (info).'],
  ['KUMO_SEED', 'seed', 'Makes generated ids and fault injection decisions reproducible.'],
  ['KUMO_ACCOUNT_ID', 'account-id', 'Default account (000000000000).'],
  ['KUMO_REGION', 'region', 'Default region (us-east-1).'],
  ['KUMO_SERVICES', 'services', 'Comma list of services to enable (default all).'],
  ['KUMO_PERSIST_SERVICES', 'persist-services', 'With a data dir: comma list of services that persist (default all).'],
  ['KUMO_INIT_DIR', 'init-dir', 'Directory of init scripts run when ready.'],
  ['KUMO_FAULTS', 'faults', 'File (JSON or YAML) of fault injection rules loaded at startup (docs/faults.md).'],
  ['KUMO_FIXTURES', 'fixtures', 'Fixture file (JSON or YAML) applied at startup, idempotently.'],
  ['KUMO_FIXTURES_STALE', 'fixtures-stale', 'reapply (default) or refuse when the data dir holds another version of the fixture.'],
  ['KUMO_LAMBDA_EXECUTOR', 'lambda-executor', 'How Lambda functions run (local).'],
  ['KUMO_CORS_ORIGINS', 'cors-origins', 'Comma list of extra browser origins allowed (localhost origins always are).'],
  ['KUMO_ALLOWED_HOSTS', 'allowed-hosts', 'Comma list of extra Host names accepted when bound to loopback.'],
  ['KUMO_S3_VERIFY_SIGNATURES', 's3-verify-signatures', '1: verify signatures of S3 presigned URLs and POST uploads (expiry is always checked).'],
  ['KUMO_S3_CREDENTIALS', 's3-credentials', 'Comma list of ACCESS_KEY_ID:SECRET_ACCESS_KEY that S3 signatures are verified against.'],
] as const;

export class ConfigError extends Error {}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Builds the configuration from env vars, overridden by CLI flags (same names, kebab-case). */
export function loadConfig(env: NodeJS.ProcessEnv, flags: Record<string, string | undefined> = {}): KumoConfig {
  const get = (envName: string, flag: string): string | undefined => flags[flag] ?? env[envName] ?? undefined;
  const portRaw = get('KUMO_PORT', 'port') ?? '4566';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid port: ${portRaw}`);
  const host = get('KUMO_HOST', 'host') ?? '127.0.0.1';
  if (host !== 'localhost' && isIP(host) === 0) throw new ConfigError(`invalid host (an IP address or localhost): ${host}`);
  const durability = get('KUMO_DURABILITY', 'durability') ?? 'fsync';
  if (durability !== 'fsync' && durability !== 'process') throw new ConfigError(`invalid durability (fsync|process): ${durability}`);
  const logLevel = get('KUMO_LOG_LEVEL', 'log-level') ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new ConfigError(`invalid log level: ${logLevel}`);
  const accountId = get('KUMO_ACCOUNT_ID', 'account-id') ?? '000000000000';
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`invalid account id (12 digits): ${accountId}`);
  const region = get('KUMO_REGION', 'region') ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new ConfigError(`invalid region: ${region}`);
  const dataDir = get('KUMO_DATA_DIR', 'data-dir') || undefined;
  const fixturesStale = get('KUMO_FIXTURES_STALE', 'fixtures-stale') || 'reapply';
  if (fixturesStale !== 'reapply' && fixturesStale !== 'refuse') throw new ConfigError(`invalid KUMO_FIXTURES_STALE (reapply|refuse): ${fixturesStale}`);
  const verifyRaw = (get('KUMO_S3_VERIFY_SIGNATURES', 's3-verify-signatures') ?? '0').trim().toLowerCase();
  if (!['0', '1', 'true', 'false', ''].includes(verifyRaw)) throw new ConfigError(`invalid KUMO_S3_VERIFY_SIGNATURES (0|1): ${verifyRaw}`);
  const s3VerifySignatures = verifyRaw === '1' || verifyRaw === 'true';
  const s3Credentials = credentials(list(get('KUMO_S3_CREDENTIALS', 's3-credentials')) ?? []);
  if (s3VerifySignatures && Object.keys(s3Credentials).length === 0) {
    throw new ConfigError('KUMO_S3_VERIFY_SIGNATURES=1 needs KUMO_S3_CREDENTIALS (ACCESS_KEY_ID:SECRET_ACCESS_KEY,...) to verify against');
  }
  return {
    host,
    port,
    dataDir,
    durability,
    logLevel: logLevel as LogLevel,
    seed: get('KUMO_SEED', 'seed') || undefined,
    accountId,
    region,
    services: list(get('KUMO_SERVICES', 'services')),
    persistServices: list(get('KUMO_PERSIST_SERVICES', 'persist-services')),
    initDir: get('KUMO_INIT_DIR', 'init-dir') || undefined,
    faults: get('KUMO_FAULTS', 'faults') || undefined,
    fixtures: get('KUMO_FIXTURES', 'fixtures') || undefined,
    fixturesStale: fixturesStale as 'reapply' | 'refuse',
    lambdaExecutor: get('KUMO_LAMBDA_EXECUTOR', 'lambda-executor') || undefined,
    corsOrigins: list(get('KUMO_CORS_ORIGINS', 'cors-origins')) ?? [],
    allowedHosts: list(get('KUMO_ALLOWED_HOSTS', 'allowed-hosts')) ?? [],
    s3VerifySignatures,
    s3Credentials,
  };
}

/** `AKID:SECRET` pairs; secrets may contain `:` but never `,`. */
function credentials(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) throw new ConfigError(`invalid KUMO_S3_CREDENTIALS entry (ACCESS_KEY_ID:SECRET_ACCESS_KEY): ${pair.slice(0, Math.max(colon, 0))}:...`);
    out[pair.slice(0, colon)] = pair.slice(colon + 1);
  }
  return out;
}
