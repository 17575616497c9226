import { isIP } from 'node:net';

/**
 * Browser safety. A web page a developer happens to visit must not drive kumo:
 * - `Origin` must be a local origin or one the user allowed (checked always);
 * - `Host` must be a local name when kumo listens on loopback (DNS rebinding), any `Host`
 *   being fine when bound to a routable address (containers: `kumo:4566`).
 */
export class BrowserGuard {
  private readonly anyOrigin: boolean;
  private readonly origins: Set<string>;
  private readonly hosts: Set<string>;
  /** Verdicts by Host name: clients send the same few names on every request. */
  private readonly hostVerdicts = new Map<string, boolean>();

  constructor(private readonly bindHost: string, corsOrigins: string[], allowedHosts: string[]) {
    this.anyOrigin = corsOrigins.includes('*');
    this.origins = new Set(corsOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));
    this.hosts = new Set(allowedHosts.map((h) => h.toLowerCase()));
  }

  get checksHost(): boolean {
    return isLoopback(this.bindHost);
  }

  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined || this.anyOrigin) return true;
    const o = origin.toLowerCase();
    if (this.origins.has(o)) return true;
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return isLocalName(url.hostname);
  }

  hostAllowed(hostname: string): boolean {
    let allowed = this.hostVerdicts.get(hostname);
    if (allowed === undefined) {
      allowed = this.judgeHost(hostname);
      if (this.hostVerdicts.size >= HOST_VERDICTS) this.hostVerdicts.clear();
      this.hostVerdicts.set(hostname, allowed);
    }
    return allowed;
  }

  private judgeHost(hostname: string): boolean {
    if (!this.checksHost) return true;
    const h = hostname.toLowerCase();
    return isLocalName(h) || this.hosts.has(h) || [...this.hosts].some((allowed) => h.endsWith('.' + allowed));
  }
}

/** Bucket virtual hosts make many names; past this many the verdicts start over. */
const HOST_VERDICTS = 1024;

/** Names that can only mean this machine (and bucket virtual hosts below them). */
export function isLocalName(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === 'localhost.localstack.cloud' || h.endsWith('.localhost.localstack.cloud')) return true;
  return isLoopback(h);
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

export const EXPOSED_HEADERS = [
  'x-amz-request-id', 'x-amzn-requestid', 'x-amz-id-2', 'etag', 'x-amz-version-id', 'x-amz-delete-marker',
  'x-amzn-errortype', 'x-amzn-query-error', 'x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-sha1',
  'x-amz-checksum-sha256', 'x-amz-checksum-crc64nvme', 'x-amz-server-side-encryption', 'content-length', 'date',
].join(', ');

/** Answer to a CORS preflight from an allowed origin. */
export function preflightHeaders(origin: string, requestHeaders: string | undefined, method: string | undefined): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': method ? `${method}, GET, PUT, POST, DELETE, HEAD, PATCH` : 'GET, PUT, POST, DELETE, HEAD, PATCH',
    'access-control-allow-headers': requestHeaders ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-max-age': '600',
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'Origin',
  };
}
