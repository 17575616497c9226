import type { App } from '../server/app.ts';

interface ResourceKind {
  service: string;
  table: string;
  label: string;
  /** How a key names its account and region: `account/region/...`, an ARN, or the record's own fields (S3 buckets are global names). */
  scope: 'prefix' | 'arn' | 'record';
}

/** The one table per service that holds what a user thinks of as "its resources". */
const KINDS: ResourceKind[] = [
  { service: 's3', table: 'buckets', label: 'buckets', scope: 'record' },
  { service: 'sqs', table: 'queues', label: 'queues', scope: 'prefix' },
  { service: 'dynamodb', table: 'tables', label: 'tables', scope: 'prefix' },
  { service: 'lambda', table: 'functions', label: 'functions', scope: 'prefix' },
  { service: 'secretsmanager', table: 'secrets', label: 'secrets', scope: 'prefix' },
  { service: 'ssm', table: 'parameters', label: 'parameters', scope: 'prefix' },
  { service: 'sns', table: 'topics', label: 'topics', scope: 'arn' },
  { service: 'events', table: 'rules', label: 'rules', scope: 'prefix' },
  { service: 'logs', table: 'groups', label: 'log groups', scope: 'prefix' },
  { service: 'kms', table: 'keys', label: 'keys', scope: 'prefix' },
];

export interface ScopeCounts {
  account: string;
  region: string;
  counts: Record<string, number>;
}

function scopeOf(kind: ResourceKind, key: string, value: unknown): [string, string] | undefined {
  if (kind.scope === 'record') {
    const v = value as { account?: unknown; region?: unknown };
    return typeof v?.account === 'string' && typeof v.region === 'string' ? [v.account, v.region] : undefined;
  }
  if (kind.scope === 'arn') {
    const parts = key.split(':');
    return parts.length >= 6 ? [parts[4]!, parts[3]!] : undefined;
  }
  const [account, region] = key.split('/');
  return account && region ? [account, region] : undefined;
}

/**
 * `GET /kumo/ui/api/resources`: resource counts per account and region, read straight from the
 * state tables of loaded services (a service nobody called yet has nothing to count, and
 * loading it here would create state for it).
 */
export function resourceCounts(app: App) {
  const loaded = new Set(app.host.loaded());
  const scopes = new Map<string, ScopeCounts>();
  for (const kind of KINDS) {
    if (!loaded.has(kind.service)) continue;
    const table = app.engine.service(kind.service).table<unknown>(kind.table);
    for (const [key, value] of table.entries()) {
      const scope = scopeOf(kind, key, value);
      if (!scope) continue;
      const id = scope.join('/');
      let entry = scopes.get(id);
      if (!entry) scopes.set(id, (entry = { account: scope[0], region: scope[1], counts: {} }));
      entry.counts[kind.service] = (entry.counts[kind.service] ?? 0) + 1;
    }
  }
  return {
    defaultAccount: app.config.accountId,
    defaultRegion: app.config.region,
    kinds: KINDS.map(({ service, label }) => ({ service, label })),
    services: app.host.enabledServices(),
    clock: app.engine.clock.describe(),
    scopes: [...scopes.values()].sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region)),
  };
}
