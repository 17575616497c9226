import { kumoGet, scope, setScope } from './api.ts';
import { h, emptyState, section } from './dom.ts';
import { liveRegion } from './live.ts';
import type { ViewContext } from './router.ts';

export interface Resources {
  defaultAccount: string;
  defaultRegion: string;
  kinds: { service: string; label: string }[];
  services: string[];
  scopes: { account: string; region: string; counts: Record<string, number> }[];
}

/** Where a count links to (services without a view of their own show no link). */
const VIEW_OF: Record<string, string> = { s3: 's3', sqs: 'sqs', dynamodb: 'dynamodb', lambda: 'lambda', secretsmanager: 'secrets', ssm: 'ssm', sns: 'events', events: 'events' };

export async function overviewView(ctx: ViewContext): Promise<void> {
  const body = h('div');
  ctx.el.append(h('h1', {}, 'Overview'), h('p', { class: 'lead' }, 'Resources kumo holds, per account and region. Select a count to browse it.'), body);
  await liveRegion(ctx, body, () => kumoGet<Resources>('/kumo/ui/api/resources'), (r) => {
    const kinds = r.kinds.filter((k) => r.scopes.some((s) => s.counts[k.service]));
    const table = r.scopes.length === 0
      ? emptyState('No resources yet. Create some with an SDK or the AWS CLI; they appear here without a reload.')
      : h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Resource counts' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Account'), h('th', { scope: 'col' }, 'Region'), kinds.map((k) => h('th', { scope: 'col', class: 'num' }, `${k.service} ${k.label}`)))),
        h('tbody', {}, r.scopes.map((s) => h('tr', { class: s.account === scope.account && s.region === scope.region ? 'current' : undefined },
          h('td', {}, s.account), h('td', {}, s.region),
          kinds.map((k) => {
            const n = s.counts[k.service] ?? 0;
            const view = VIEW_OF[k.service];
            if (!n || !view) return h('td', { class: 'num' }, String(n));
            const a = h('a', { href: `#/${view}`, 'data-count': `${k.service}` }, String(n));
            a.addEventListener('click', () => setScope(s.account, s.region));
            return h('td', { class: 'num' }, a);
          }))))));
    return [table, section('Enabled services', h('p', { class: 'services' }, r.services.join(' · ')))];
  });
}
