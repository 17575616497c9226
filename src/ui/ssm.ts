import { allPages, awsJson, scope } from './api.ts';
import { dataTable, formatTime, h, masked } from './dom.ts';
import { liveRegion } from './live.ts';
import type { ViewContext } from './router.ts';

interface Parameter {
  Name: string;
  Type: string;
  Version: number;
  LastModifiedDate?: number;
  Tier?: string;
}

export async function ssmView(ctx: ViewContext): Promise<void> {
  const list = h('div');
  ctx.el.append(h('h1', {}, 'SSM parameters'), h('p', { class: 'lead' }, 'Values stay masked until you reveal one (SecureString values are decrypted).'), list);
  await liveRegion(ctx, list, () => allPages(async (NextToken) => {
    const r = await awsJson('ssm', 'DescribeParameters', { MaxResults: 50, NextToken });
    return { items: (r.Parameters ?? []) as Parameter[], next: r.NextToken };
  }), (params) => dataTable<Parameter>('Parameters', [
    { title: 'Name', cell: (p) => p.Name },
    { title: 'Type', cell: (p) => p.Type },
    { title: 'Version', class: 'num', cell: (p) => p.Version },
    { title: 'Last modified', cell: (p) => formatTime(p.LastModifiedDate) },
    { title: 'Value', cell: (p) => masked(async () => (await awsJson('ssm', 'GetParameter', { Name: p.Name, WithDecryption: true })).Parameter.Value) },
  ], params, `No parameters in ${scope.account} / ${scope.region}.`));
}
