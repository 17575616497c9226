import { allPages, awsJson, kumoGet, scope } from './api.ts';
import { act, dataTable, field, formatTime, h, link, pre, replace, section } from './dom.ts';
import { liveRegion } from './live.ts';
import { href, type ViewContext } from './router.ts';

const nameOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

interface Peeked {
  MessageId: string;
  Body: string;
  State: string;
  VisibleAt: string;
  Attributes: Record<string, string>;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

export async function sqsView(ctx: ViewContext): Promise<void> {
  const [queue] = ctx.parts;
  if (queue) return queueView(ctx, queue);
  const list = h('div');
  ctx.el.append(h('h1', {}, 'SQS queues'), list);
  await liveRegion(ctx, list, async () => {
    const urls = await allPages(async (NextToken) => {
      const r = await awsJson('sqs', 'ListQueues', { MaxResults: 1000, NextToken });
      return { items: (r.QueueUrls ?? []) as string[], next: r.NextToken };
    });
    return Promise.all(urls.map(async (url) => {
      const a = await awsJson('sqs', 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] })
        .then((r) => r.Attributes as Record<string, string>, () => ({} as Record<string, string>));
      return { url, visible: a.ApproximateNumberOfMessages ?? '?', inflight: a.ApproximateNumberOfMessagesNotVisible ?? '?', delayed: a.ApproximateNumberOfMessagesDelayed ?? '?' };
    }));
  }, (queues) => dataTable('Queues', [
    { title: 'Name', cell: (q) => link(href('sqs', [nameOf(q.url)]), nameOf(q.url)) },
    { title: 'Visible', class: 'num', cell: (q) => q.visible },
    { title: 'In flight', class: 'num', cell: (q) => q.inflight },
    { title: 'Delayed', class: 'num', cell: (q) => q.delayed },
  ], queues, `No queues in ${scope.account} / ${scope.region}.`));
}

async function queueView(ctx: ViewContext, name: string): Promise<void> {
  const { QueueUrl: url } = await awsJson('sqs', 'GetQueueUrl', { QueueName: name });
  const attrs = h('div');
  const messages = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  ctx.el.append(
    h('h1', {}, name),
    h('nav', { class: 'crumbs' }, link(href('sqs'), 'Queues'), ' / ', name),
    h('p', { class: 'lead' }, h('code', {}, url)),
    h('div', { class: 'toolbar' }, purgeButton(url, status, ctx), redriveArea(url, status, ctx)),
    status,
    section('Send a message', sendForm(url, name.endsWith('.fifo'), ctx)),
    section('Messages', h('p', { class: 'hint' }, 'Peeking does not receive: visibility and receive counts stay as they are.'), messages),
    section('Attributes', attrs),
  );
  await Promise.all([
    liveRegion(ctx, messages, () => kumoGet<{ Messages: Peeked[] }>('/kumo/sqs/messages', { QueueUrl: url, Region: scope.region }), (r) =>
      dataTable<Peeked>('Messages', [
        { title: 'Message id', cell: (m) => h('code', {}, m.MessageId) },
        { title: 'State', cell: (m) => h('span', { class: `state state-${m.State}` }, m.State) },
        { title: 'Sent', cell: (m) => formatTime(Number(m.Attributes.SentTimestamp)) },
        { title: 'Receives', class: 'num', cell: (m) => m.Attributes.ApproximateReceiveCount ?? '0' },
        { title: 'Body', class: 'body', cell: (m) => h('details', {}, h('summary', {}, m.Body.length > 80 ? m.Body.slice(0, 80) + '…' : m.Body || '(empty)'), pre(prettyJson(m.Body)), m.MessageAttributes ? pre(m.MessageAttributes) : null) },
      ], r.Messages, 'The queue is empty.')),
    liveRegion(ctx, attrs, async () => (await awsJson('sqs', 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).Attributes as Record<string, string>, (a) =>
      h('dl', { class: 'meta' }, Object.keys(a).sort().flatMap((k) => [h('dt', {}, k), h('dd', {}, k.endsWith('Timestamp') ? formatTime(Number(a[k])) : k === 'RedrivePolicy' || k === 'Policy' || k === 'RedriveAllowPolicy' ? pre(prettyJson(a[k]!)) : a[k]!)]))),
  ]);
}

function prettyJson(s: string): string {
  try {
    return JSON.stringify(JSON.parse(s), null, 2);
  } catch {
    return s;
  }
}

function purgeButton(url: string, status: HTMLElement, ctx: ViewContext): HTMLElement {
  const b = h('button', { type: 'button', class: 'danger' }, 'Purge');
  b.addEventListener('click', () => {
    if (!confirm(`Delete every message in ${nameOf(url)}?`)) return;
    void act(b, status, async () => {
      await awsJson('sqs', 'PurgeQueue', { QueueUrl: url });
      await ctx.refresh();
      return 'Purge requested';
    });
  });
  return b;
}

/** Shown for dead-letter queues: moves their messages back to the queues they came from. */
function redriveArea(url: string, status: HTMLElement, ctx: ViewContext): HTMLElement {
  const area = h('span');
  void (async () => {
    const sources = await awsJson('sqs', 'ListDeadLetterSourceQueues', { QueueUrl: url }).catch(() => ({ queueUrls: [] }));
    const list = (sources.queueUrls ?? []) as string[];
    if (list.length === 0) return;
    const { Attributes } = await awsJson('sqs', 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn'] });
    const b = h('button', { type: 'button' }, 'Redrive to source');
    const tasks = h('div');
    b.addEventListener('click', () => void act(b, status, async () => {
      await awsJson('sqs', 'StartMessageMoveTask', { SourceArn: Attributes.QueueArn });
      await ctx.refresh();
      return `Redrive started to ${list.map(nameOf).join(', ')}`;
    }));
    replace(area, b, h('span', { class: 'hint' }, ` Dead-letter queue of ${list.map(nameOf).join(', ')}`), tasks);
    await liveRegion(ctx, tasks, async () => (await awsJson('sqs', 'ListMessageMoveTasks', { SourceArn: Attributes.QueueArn, MaxResults: 10 })).Results as MoveTask[],
      (results) => results.length === 0 ? [] : dataTable<MoveTask>('Redrive tasks', [
        { title: 'Started', cell: (t) => formatTime(t.StartedTimestamp) },
        { title: 'Status', cell: (t) => h('span', { class: `state state-${t.Status.toLowerCase()}` }, t.Status) },
        { title: 'Moved', class: 'num', cell: (t) => `${t.ApproximateNumberOfMessagesMoved} of ${t.ApproximateNumberOfMessagesToMove}` },
        { title: 'Failure', cell: (t) => t.FailureReason ?? '' },
      ], results, ''));
  })();
  return area;
}

interface MoveTask {
  Status: string;
  StartedTimestamp: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove: number;
  FailureReason?: string;
}

function sendForm(url: string, fifo: boolean, ctx: ViewContext): HTMLElement {
  const body = h('textarea', { rows: 3, required: true, spellcheck: false });
  const delay = h('input', { type: 'number', min: 0, max: 900, value: 0 });
  const group = h('input', { required: fifo });
  const dedup = h('input');
  const submit = h('button', { type: 'submit' }, 'Send');
  const status = h('span', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', 'aria-label': 'Send a message' },
    field('Body', body),
    fifo ? [field('Message group id', group), field('Deduplication id', dedup, 'Needed unless content-based deduplication is on')] : field('Delay (seconds)', delay),
    h('div', {}, submit, ' ', status));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(submit, status, async () => {
      const input: Record<string, unknown> = { QueueUrl: url, MessageBody: body.value };
      if (fifo) {
        input.MessageGroupId = group.value;
        if (dedup.value) input.MessageDeduplicationId = dedup.value;
      } else if (Number(delay.value)) input.DelaySeconds = Number(delay.value);
      const r = await awsJson('sqs', 'SendMessage', input);
      body.value = '';
      await ctx.refresh();
      return `Sent ${r.MessageId}`;
    });
  });
  return form;
}
