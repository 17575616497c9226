/**
 * Which requests are for a function URL: `<url-id>.lambda-url.<region>.<kumo's host>` as Lambda
 * issues them, or `/kumo/lambda-url/<url-id>/...` on kumo's own host where wildcard names do
 * not resolve. Kept apart from the service so the server can ask without loading it.
 */

export interface FunctionUrlTarget {
  urlId: string;
  /** The request path the function sees. */
  path: string;
}

const HOST = /^([a-z0-9]{32})\.lambda-url\.[a-z0-9-]+\./;
const PATH_PREFIX = '/kumo/lambda-url/';

export function functionUrlTarget(hostname: string, path: string): FunctionUrlTarget | undefined {
  const host = HOST.exec(hostname.toLowerCase());
  if (host) return { urlId: host[1]!, path };
  if (!path.startsWith(PATH_PREFIX)) return undefined;
  const rest = path.slice(PATH_PREFIX.length);
  const slash = rest.indexOf('/');
  const urlId = slash < 0 ? rest : rest.slice(0, slash);
  return /^[a-z0-9]{32}$/.test(urlId) ? { urlId, path: slash < 0 ? '/' : rest.slice(slash) } : undefined;
}
