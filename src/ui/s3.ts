import { awsRest, elements, text, xml } from './api.ts';
import { act, dataTable, errorBox, field, formatBytes, formatTime, h, link, replace, section } from './dom.ts';
import { liveRegion } from './live.ts';
import { href, type ViewContext } from './router.ts';

const PAGE = 100;

function objectPath(bucket: string, key = ''): string {
  return `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export async function s3View(ctx: ViewContext): Promise<void> {
  const [bucket] = ctx.parts;
  if (bucket) return bucketView(ctx, bucket);
  const list = h('div');
  ctx.el.append(h('h1', {}, 'S3 buckets'), list);
  await liveRegion(ctx, list, async () => {
    const doc = await xml(await awsRest('s3', 'GET', '/'));
    return elements(doc, 'Bucket').map((b) => ({ name: text(b, 'Name'), created: text(b, 'CreationDate'), region: text(b, 'BucketRegion') }));
  }, (buckets) => dataTable('Buckets', [
    { title: 'Name', cell: (b) => link(href('s3', [b.name]), b.name) },
    { title: 'Region', cell: (b) => b.region },
    { title: 'Created', cell: (b) => formatTime(b.created) },
  ], buckets, 'No buckets. Create one with `aws s3 mb s3://name --endpoint-url …`.'));
}

interface Listing {
  prefixes: string[];
  objects: { key: string; size: number; modified: string; etag: string }[];
  next?: string;
}

async function bucketView(ctx: ViewContext, bucket: string): Promise<void> {
  const prefix = ctx.params.get('prefix') ?? '';
  const token = ctx.params.get('token') ?? undefined;
  const crumbs: Node[] = [link(href('s3'), 'Buckets'), document.createTextNode(' / '), link(href('s3', [bucket]), bucket)];
  let acc = '';
  for (const part of prefix.split('/').filter(Boolean)) {
    acc += part + '/';
    crumbs.push(document.createTextNode(' / '), link(href('s3', [bucket], { prefix: acc }), part));
  }
  const list = h('div');
  const details = h('div', { 'aria-live': 'polite' });
  ctx.el.append(h('h1', {}, bucket), h('nav', { class: 'crumbs', 'aria-label': 'Prefix' }, crumbs), uploadForm(bucket, prefix, ctx), list, details);
  await liveRegion(ctx, list, async (): Promise<Listing> => {
    const doc = await xml(await awsRest('s3', 'GET', objectPath(bucket), { query: { 'list-type': '2', delimiter: '/', prefix, 'max-keys': String(PAGE), 'continuation-token': token } }));
    return {
      prefixes: elements(doc, 'CommonPrefixes').map((p) => text(p, 'Prefix')),
      objects: elements(doc, 'Contents').map((c) => ({ key: text(c, 'Key'), size: Number(text(c, 'Size')), modified: text(c, 'LastModified'), etag: text(c, 'ETag') })),
      next: text(doc, 'IsTruncated') === 'true' ? text(doc, 'NextContinuationToken') : undefined,
    };
  }, (l) => {
    const rows = [...l.prefixes.map((p) => ({ prefix: p })), ...l.objects.map((o) => ({ object: o }))];
    const table = dataTable<(typeof rows)[number]>('Objects', [
      { title: 'Name', cell: (r) => 'prefix' in r ? link(href('s3', [bucket], { prefix: r.prefix! }), r.prefix!.slice(prefix.length)) : r.object!.key.slice(prefix.length) },
      { title: 'Size', class: 'num', cell: (r) => 'object' in r ? formatBytes(r.object!.size) : '' },
      { title: 'Last modified', cell: (r) => 'object' in r ? formatTime(r.object!.modified) : '' },
      { title: 'Actions', cell: (r) => 'object' in r ? objectActions(bucket, r.object!.key, details, ctx) : '' },
    ], rows, prefix ? 'Nothing under this prefix.' : 'This bucket is empty.');
    const more = l.next ? h('p', {}, link(href('s3', [bucket], { prefix, token: l.next }), `Next ${PAGE} keys ›`)) : null;
    const back = token ? h('p', {}, link(href('s3', [bucket], { prefix }), '‹ First keys')) : null;
    return [table, h('div', { class: 'pager' }, back, more)];
  });
}

function objectActions(bucket: string, key: string, details: HTMLElement, ctx: ViewContext): HTMLElement {
  const status = h('span');
  const info = h('button', { type: 'button', class: 'small' }, 'Details');
  info.addEventListener('click', () => void showDetails(bucket, key, details));
  const download = h('button', { type: 'button', class: 'small' }, 'Download');
  download.addEventListener('click', () => void act(download, status, async () => {
    const blob = await (await awsRest('s3', 'GET', objectPath(bucket, key))).blob();
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: key.split('/').pop() || 'object' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }));
  const del = h('button', { type: 'button', class: 'small danger' }, 'Delete');
  del.addEventListener('click', () => {
    if (!confirm(`Delete s3://${bucket}/${key}?`)) return;
    void act(del, status, async () => {
      await awsRest('s3', 'DELETE', objectPath(bucket, key));
      await ctx.refresh();
      return 'Deleted';
    });
  });
  return h('span', { class: 'actions' }, info, download, del, status);
}

async function showDetails(bucket: string, key: string, details: HTMLElement): Promise<void> {
  try {
    const res = await awsRest('s3', 'HEAD', objectPath(bucket, key));
    const rows: [string, string][] = [];
    res.headers.forEach((value, name) => {
      if (/^(content-|etag|last-modified|x-amz-(meta-|version-id|storage-class|server-side|checksum|object-lock|tagging-count))/.test(name)) rows.push([name, value]);
    });
    rows.sort((a, b) => a[0].localeCompare(b[0]));
    replace(details, section(`Object ${key}`, h('dl', { class: 'meta' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))));
    details.querySelector('h2')?.setAttribute('tabindex', '-1');
    (details.querySelector('h2') as HTMLElement | null)?.focus();
  } catch (err) {
    replace(details, errorBox(err));
  }
}

function uploadForm(bucket: string, prefix: string, ctx: ViewContext): HTMLElement {
  const file = h('input', { type: 'file', required: true });
  const status = h('span', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Upload');
  const form = h('form', { class: 'inline', 'aria-label': 'Upload' }, field(`Upload to ${prefix || '/'}`, file), submit, status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    void act(submit, status, async () => {
      await awsRest('s3', 'PUT', objectPath(bucket, prefix + f.name), { body: f, headers: { 'content-type': f.type || 'application/octet-stream' } });
      form.reset();
      await ctx.refresh();
      return `Uploaded ${f.name}`;
    });
  });
  return form;
}
