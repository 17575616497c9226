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
  lambdaExecutor?: string;
  /** Extra allowed browser origins (`*` allows any). */
  corsOrigins: string[];
  /** Extra host names accepted in `Host` when bound to loopback. */
  allowedHosts: string[];
}

/** One row per setting: env var, CLI flag, description (the README's table is generated from the same facts). */
export const SETTINGS = [
  ['KUMO_HOST', 'host', 'Address to bind (127.0.0.1; use 0.0.0.0 inside a container).'],
  ['KUMO_PORT', 'port', 'Port (4566; 0 picks a free port and prints it).'],
  ['KUMO_DATA_DIR', 'data-dir', 'Persist state in this directory (default: memory only).'],
  ['KUMO_DURABILITY', 'durability', 'fsync (default) or process.'],
  ['KUMO_LOG_LEVEL', 'log-level', 'debug | info | warn | error (info).'],
  ['KUMO_SEED', 'seed', 'Makes generated ids reproducible.'],
  ['KUMO_ACCOUNT_ID', 'account-id', 'Default account (000000000000).'],
  ['KUMO_REGION', 'region', 'Default region (us-east-1).'],
  ['KUMO_SERVICES', 'services', 'Comma list of services to enable (default all).'],
  ['KUMO_PERSIST_SERVICES', 'persist-services', 'With a data dir: comma list of services that persist (default all).'],
  ['KUMO_INIT_DIR', 'init-dir', 'Directory of init scripts run when ready.'],
  ['KUMO_LAMBDA_EXECUTOR', 'lambda-executor', 'How Lambda functions run (local).'],
  ['KUMO_CORS_ORIGINS', 'cors-origins', 'Comma list of extra browser origins allowed (localhost origins always are).'],
  ['KUMO_ALLOWED_HOSTS', 'allowed-hosts', 'Comma list of extra Host names accepted when bound to loopback.'],
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
    lambdaExecutor: get('KUMO_LAMBDA_EXECUTOR', 'lambda-executor') || undefined,
    corsOrigins: list(get('KUMO_CORS_ORIGINS', 'cors-origins')) ?? [],
    allowedHosts: list(get('KUMO_ALLOWED_HOSTS', 'allowed-hosts')) ?? [],
  };
}
