import { allPages, awsJson, awsRest, scope } from './api.ts';
import { act, dataTable, emptyState, errorBox, field, formatTime, h, link, pre, replace, section } from './dom.ts';
import { liveRegion } from './live.ts';
import { href, type ViewContext } from './router.ts';

const API = '/2015-03-31/functions';

interface FunctionConfig {
  FunctionName: string;
  Runtime?: string;
  Handler?: string;
  MemorySize?: number;
  Timeout?: number;
  LastModified?: string;
  State?: string;
  PackageType?: string;
}

export async function lambdaView(ctx: ViewContext): Promise<void> {
  const [fn] = ctx.parts;
  if (fn) return functionView(ctx, fn);
  const list = h('div');
  ctx.el.append(h('h1', {}, 'Lambda functions'), list);
  await liveRegion(ctx, list, () => allPages(async (Marker) => {
    const r = await (await awsRest('lambda', 'GET', `${API}/`, { query: { MaxItems: '50', Marker } })).json();
    return { items: (r.Functions ?? []) as FunctionConfig[], next: r.NextMarker ?? undefined };
  }), (fns) => dataTable<FunctionConfig>('Functions', [
    { title: 'Name', cell: (f) => link(href('lambda', [f.FunctionName]), f.FunctionName) },
    { title: 'Runtime', cell: (f) => f.Runtime ?? f.PackageType ?? '' },
    { title: 'Memory', class: 'num', cell: (f) => `${f.MemorySize ?? ''} MB` },
    { title: 'Last modified', cell: (f) => formatTime(f.LastModified) },
  ], fns, `No functions in ${scope.account} / ${scope.region}.`));
}

async function functionView(ctx: ViewContext, name: string): Promise<void> {
  const path = `${API}/${encodeURIComponent(name)}`;
  const config = (await (await awsRest('lambda', 'GET', path)).json()).Configuration as FunctionConfig;
  const result = h('div', { 'aria-live': 'polite' });
  const logs = h('div');
  ctx.el.append(
    h('h1', {}, name),
    h('nav', { class: 'crumbs' }, link(href('lambda'), 'Functions'), ' / ', name),
    h('dl', { class: 'meta' },
      [['Runtime', config.Runtime ?? config.PackageType], ['Handler', config.Handler], ['State', config.State], ['Memory', `${config.MemorySize} MB`], ['Timeout', `${config.Timeout} s`], ['Last modified', formatTime(config.LastModified)]]
        .flatMap(([k, v]) => [h('dt', {}, k!), h('dd', {}, v ?? '')])),
    section('Invoke', invokeForm(path, result, ctx), result),
    section('Recent logs', logs),
  );
  await liveRegion(ctx, logs, () => recentLogs(name), (events) => events.length === 0
    ? emptyState('No logs yet: invoke the function.')
    : pre(events.map((e) => `${formatTime(e.timestamp)}  ${e.message.replace(/\n$/, '')}`).join('\n')));
}

/** The newest log stream's last events (the stream of the latest execution environment). */
async function recentLogs(name: string): Promise<{ timestamp: number; message: string }[]> {
  const logGroupName = `/aws/lambda/${name}`;
  try {
    const streams = await awsJson('logs', 'DescribeLogStreams', { logGroupName, orderBy: 'LastEventTime', descending: true, limit: 1 });
    const stream = streams.logStreams?.[0]?.logStreamName as string | undefined;
    if (!stream) return [];
    const r = await awsJson('logs', 'GetLogEvents', { logGroupName, logStreamName: stream, startFromHead: false, limit: 100 });
    return r.events ?? [];
  } catch (err) {
    if ((err as { code?: string }).code === 'ResourceNotFoundException') return [];
    throw err;
  }
}

function invokeForm(path: string, result: HTMLElement, ctx: ViewContext): HTMLElement {
  const payload = h('textarea', { rows: 6, spellcheck: false, class: 'code' });
  payload.value = '{}';
  const submit = h('button', { type: 'submit' }, 'Invoke');
  const status = h('span');
  const form = h('form', { class: 'stack', 'aria-label': 'Invoke' }, field('Payload (JSON)', payload), h('div', {}, submit, ' ', status));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(submit, status, async () => {
      try {
        JSON.parse(payload.value || '{}');
      } catch {
        throw new Error('The payload is not valid JSON');
      }
      try {
        const res = await awsRest('lambda', 'POST', `${path}/invocations`, {
          body: payload.value || '{}',
          headers: { 'x-amz-invocation-type': 'RequestResponse', 'x-amz-log-type': 'Tail', 'content-type': 'application/json' },
        });
        const body = await res.text();
        const error = res.headers.get('x-amz-function-error');
        const tail = res.headers.get('x-amz-log-result');
        replace(result,
          h('p', { class: error ? 'error' : 'ok', role: 'status' }, `Status ${res.status}${error ? ` — function error: ${error}` : ''}`),
          h('h3', {}, 'Response'), pre(prettyJson(body)),
          tail ? [h('h3', {}, 'Log tail'), pre(decodeBase64(tail))] : null);
        await ctx.refresh();
      } catch (err) {
        replace(result, errorBox(err));
      }
    });
  });
  return form;
}

function decodeBase64(s: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
}

function prettyJson(s: string): string {
  try {
    return JSON.stringify(JSON.parse(s), null, 2);
  } catch {
    return s;
  }
}
