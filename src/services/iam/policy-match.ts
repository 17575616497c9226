/** Wildcard matching as IAM does it: `*` any run of characters, `?` exactly one. */

const cache = new Map<string, RegExp>();

function globRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const key = (ignoreCase ? 'i:' : 's:') + pattern;
  let re = cache.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (cache.size > 10_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return globRegExp(pattern, ignoreCase).test(value);
}

/** Actions compare case-insensitively (`s3:getobject` = `S3:GetObject`). */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

/**
 * ARNs compare field by field (partition, service, region, account); the resource part may
 * hold colons of its own. Wildcards never cross a field boundary except in the resource.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return globMatch(pattern, arn);
  for (let i = 0; i < 5; i++) if (!globMatch(p[i]!, a[i]!)) return false;
  return globMatch(p[5]!, a[5]!);
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * Replaces policy variables (`${aws:username}`, `${*}`, `${?}`, `${$}`) from single-valued
 * context keys. Undefined when a variable has no value: the element then matches nothing.
 */
export function substituteVariables(text: string, lookup: (key: string) => string | undefined): string | undefined {
  if (!text.includes('${')) return text;
  let unresolved = false;
  const out = text.replace(/\$\{([^}]+)\}/g, (_m, raw: string) => {
    const [name, fallback] = raw.split(/\s*,\s*/) as [string, string | undefined];
    if (name === '*') return '*';
    if (name === '?') return '?';
    if (name === '$') return '$';
    const value = lookup(name.toLowerCase());
    if (value !== undefined) return value;
    if (fallback !== undefined && /^'.*'$/.test(fallback)) return fallback.slice(1, -1);
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : out;
}
