import { allPages, awsJson, scope } from './api.ts';
import { dataTable, formatTime, h, masked } from './dom.ts';
import { liveRegion } from './live.ts';
import type { ViewContext } from './router.ts';

interface Secret {
  Name: string;
  ARN: string;
  Description?: string;
  LastChangedDate?: number;
  RotationEnabled?: boolean;
  DeletedDate?: number;
}

export async function secretsView(ctx: ViewContext): Promise<void> {
  const list = h('div');
  ctx.el.append(h('h1', {}, 'Secrets Manager'), h('p', { class: 'lead' }, 'Values stay masked until you reveal one (GetSecretValue, AWSCURRENT).'), list);
  await liveRegion(ctx, list, () => allPages(async (NextToken) => {
    const r = await awsJson('secretsmanager', 'ListSecrets', { MaxResults: 100, NextToken, IncludePlannedDeletion: true });
    return { items: (r.SecretList ?? []) as Secret[], next: r.NextToken };
  }), (secrets) => dataTable<Secret>('Secrets', [
    { title: 'Name', cell: (s) => s.Name },
    { title: 'Description', cell: (s) => s.Description ?? '' },
    { title: 'Last changed', cell: (s) => formatTime(s.LastChangedDate) },
    { title: 'Rotation', cell: (s) => (s.DeletedDate ? 'scheduled for deletion' : s.RotationEnabled ? 'on' : 'off') },
    { title: 'Value', cell: (s) => masked(async () => {
      const v = await awsJson('secretsmanager', 'GetSecretValue', { SecretId: s.ARN });
      return v.SecretString ?? `(binary, ${atob(v.SecretBinary ?? '').length} bytes)`;
    }) },
  ], secrets, `No secrets in ${scope.account} / ${scope.region}.`));
}
