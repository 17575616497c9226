import type { ProtocolName, ServiceIndexEntry } from '../protocol/model-types.ts';
import type { CredentialScope } from './credentials.ts';

export interface RouteInput {
  method: string;
  path: string;
  headers: Record<string, string>;
  hostname: string;
  scope: CredentialScope | undefined;
}

export interface Route {
  service: string;
  protocol: ProtocolName;
  /** Set for RPC protocols whose operation the path or header names (json target, cbor path). */
  operation?: string;
  /** S3 virtual-host requests are rewritten to path style: `/bucket/key`. */
  path: string;
}

const CBOR_PATH = /^\/service\/([^/]+)\/operation\/([^/?]+)$/;
const FORM = 'application/x-www-form-urlencoded';

/**
 * Decides which service and protocol a request is for, cheapest signal first. Built once from
 * models/index.json; never loads a model.
 */
export class Router {
  private readonly byTarget = new Map<string, ServiceIndexEntry>();
  private readonly bySmithy = new Map<string, ServiceIndexEntry>();
  private readonly bySigning = new Map<string, ServiceIndexEntry[]>();
  private readonly byId = new Map<string, ServiceIndexEntry>();

  constructor(entries: ServiceIndexEntry[], private readonly preferred: (id: string) => boolean) {
    for (const e of entries) {
      this.byId.set(e.id, e);
      if (e.targetPrefix && !this.byTarget.has(e.targetPrefix)) this.byTarget.set(e.targetPrefix, e);
      if (e.smithyName) this.bySmithy.set(e.smithyName, e);
      const list = this.bySigning.get(e.signingName) ?? [];
      list.push(e);
      this.bySigning.set(e.signingName, list);
    }
    // Where several services share a signing name, the ones kumo implements win.
    for (const list of this.bySigning.values()) list.sort((a, b) => Number(this.preferred(b.id)) - Number(this.preferred(a.id)));
  }

  entry(id: string): ServiceIndexEntry | undefined {
    return this.byId.get(id);
  }

  /** Candidates in order; the dispatcher takes the first whose model has a matching operation. */
  route(req: RouteInput): Route[] {
    const target = req.headers['x-amz-target'];
    if (target) {
      const dot = target.lastIndexOf('.');
      const e = dot > 0 ? this.byTarget.get(target.slice(0, dot)) : undefined;
      if (e) {
        const protocol = e.protocols.includes('json') ? 'json' : e.protocols[0]!;
        return [{ service: e.id, protocol, operation: target.slice(dot + 1), path: req.path }];
      }
    }
    const cbor = CBOR_PATH.exec(req.path);
    if (cbor && req.method === 'POST') {
      const e = this.bySmithy.get(cbor[1]!);
      if (e) return [{ service: e.id, protocol: 'smithy-rpc-v2-cbor', operation: decodeURIComponent(cbor[2]!), path: req.path }];
    }
    const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith(FORM);
    const candidates = req.scope ? this.bySigning.get(req.scope.service) ?? [] : [];
    const routes: Route[] = [];
    for (const e of candidates) routes.push(this.routeFor(e, req, isForm));
    if (routes.length === 0) {
      // Unsigned requests: presigned-less curl, browsers, S3 virtual hosts.
      if (isForm) {
        for (const e of this.byId.values()) {
          if (this.preferred(e.id) && (e.protocols.includes('query') || e.protocols.includes('ec2'))) routes.push(this.routeFor(e, req, true));
        }
      }
      const s3 = this.byId.get('s3');
      if (s3) routes.push(this.routeFor(s3, req, false));
    }
    return routes;
  }

  private routeFor(e: ServiceIndexEntry, req: RouteInput, isForm: boolean): Route {
    let protocol: ProtocolName = e.protocols[0]!;
    if (isForm) protocol = e.protocols.find((p) => p === 'query' || p === 'ec2') ?? protocol;
    else if (req.headers['smithy-protocol'] === 'rpc-v2-cbor' && e.protocols.includes('smithy-rpc-v2-cbor')) protocol = 'smithy-rpc-v2-cbor';
    else if (protocol === 'query' || protocol === 'ec2' || protocol === 'smithy-rpc-v2-cbor') {
      protocol = e.protocols.find((p) => p === 'json') ?? protocol;
    }
    const path = e.id === 's3' ? s3PathStyle(req.hostname, req.path) : req.path;
    return { service: e.id, protocol, path };
  }
}

/**
 * `bucket.s3.anything` and `bucket.localhost` are virtual-host requests; kumo's REST matcher
 * works on path style, so the bucket moves into the path.
 */
export function s3PathStyle(hostname: string, path: string): string {
  const bucket = virtualHostBucket(hostname);
  return bucket ? `/${bucket}${path === '/' ? '' : path}` : path;
}

export function virtualHostBucket(hostname: string): string | undefined {
  const host = hostname.toLowerCase();
  const i = host.indexOf('.s3.');
  if (i > 0) return host.slice(0, i);
  if (host.endsWith('.s3-website.localhost')) return host.slice(0, -'.s3-website.localhost'.length);
  if (host.endsWith('.localhost') && !host.startsWith('s3.')) {
    const bucket = host.slice(0, -'.localhost'.length);
    if (bucket && bucket !== 's3') return bucket;
  }
  return undefined;
}
