import { kumoGet, kumoPost } from './api.ts';
import { act, field, h, pre, section } from './dom.ts';
import { liveRegion } from './live.ts';
import type { ViewContext } from './router.ts';

interface Health {
  version: string;
  dataDir: string | null;
  durability: string;
  clock: { now: string; frozen: boolean; offsetMs: number };
  services: Record<string, { state: string; records: number }>;
}

export async function controlsView(ctx: ViewContext): Promise<void> {
  const clockBox = h('div', { 'aria-live': 'polite' });
  const info = h('div');
  ctx.el.append(
    h('h1', {}, 'Controls'),
    section('Clock', clockBox, clockForms(ctx)),
    section('Reset', resetForm(ctx)),
    section('Snapshot', snapshotForm()),
    section('kumo', info),
  );
  await Promise.all([
    liveRegion(ctx, clockBox, () => kumoGet<Health['clock']>('/kumo/clock'), (c) => h('p', { class: 'clock-now' },
      'Now ', h('strong', { 'data-testid': 'clock-now' }, c.now), c.frozen ? ' (frozen)' : '', ` — offset ${Math.round(c.offsetMs / 1000)} s from this machine's clock`)),
    liveRegion(ctx, info, () => kumoGet<Health>('/kumo/health'), (hl) => h('dl', { class: 'meta' },
      h('dt', {}, 'Version'), h('dd', {}, hl.version),
      h('dt', {}, 'Data directory'), h('dd', {}, hl.dataDir ?? '(in memory)'),
      h('dt', {}, 'Durability'), h('dd', {}, hl.durability),
      h('dt', {}, 'Loaded services'), h('dd', {}, Object.entries(hl.services).filter(([, s]) => s.state === 'running').map(([id, s]) => `${id} (${s.records})`).join(', ') || 'none'))),
  ]);
}

function clockForms(ctx: ViewContext): HTMLElement {
  const advance = h('input', { value: 'PT5M', required: true, pattern: 'P.*|\\d+', 'aria-describedby': 'advance-hint' });
  const advanceButton = h('button', { type: 'submit' }, 'Advance');
  const set = h('input', { type: 'datetime-local', step: 1 });
  const setButton = h('button', { type: 'button' }, 'Set');
  const freeze = h('button', { type: 'button' }, 'Freeze');
  const thaw = h('button', { type: 'button' }, 'Unfreeze');
  const status = h('div', { 'aria-live': 'polite' });
  const send = (button: HTMLButtonElement, body: object, done: string) => void act(button, status, async () => {
    const c = await kumoPost<{ now: string }>('/kumo/clock', body);
    await ctx.refresh();
    return `${done}: ${c.now}`;
  });
  const form = h('form', { class: 'stack', 'aria-label': 'Clock' },
    h('div', { class: 'row' }, field('Advance by', advance, 'ISO 8601 duration (PT5M, P1D) or milliseconds; due timers fire'), advanceButton),
    h('div', { class: 'row' }, field('Set to (UTC)', set), setButton),
    h('div', { class: 'toolbar' }, freeze, thaw),
    status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = advance.value.trim();
    send(advanceButton, { advance: /^\d+$/.test(v) ? Number(v) : v }, 'Advanced');
  });
  setButton.addEventListener('click', () => {
    if (set.value) send(setButton, { set: `${set.value}${set.value.length === 16 ? ':00' : ''}Z` }, 'Set');
  });
  freeze.addEventListener('click', () => send(freeze, { freeze: true }, 'Frozen'));
  thaw.addEventListener('click', () => send(thaw, { freeze: false }, 'Running'));
  return form;
}

function resetForm(ctx: ViewContext): HTMLElement {
  const service = h('input', { placeholder: 'all services', list: 'reset-services', autocomplete: 'off' });
  const list = h('datalist', { id: 'reset-services' });
  void kumoGet<Health>('/kumo/health').then((hl) => list.append(...Object.keys(hl.services).map((s) => h('option', { value: s }))));
  const button = h('button', { type: 'submit', class: 'danger' }, 'Reset');
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'row', 'aria-label': 'Reset' }, field('Service (empty for everything)', service), list, button, status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const target = service.value.trim();
    if (!confirm(target ? `Delete all ${target} state?` : 'Delete all state of every service?')) return;
    void act(button, status, async () => {
      const r = await kumoPost<{ reset: string }>(target ? `/kumo/reset/${encodeURIComponent(target)}` : '/kumo/reset');
      await ctx.refresh();
      return `Reset: ${r.reset}`;
    });
  });
  return form;
}

function snapshotForm(): HTMLElement {
  const dir = h('input', { required: true, placeholder: '/tmp/kumo-snapshot' });
  const button = h('button', { type: 'submit' }, 'Save snapshot');
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', 'aria-label': 'Snapshot' },
    h('div', { class: 'row' }, field('Directory (on the machine kumo runs on)', dir), button), status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(button, status, async () => {
      const r = await kumoPost<{ saved: string }>('/kumo/snapshot/save', { dir: dir.value });
      return `Saved to ${r.saved}`;
    });
  });
  return h('div', {}, form, h('p', { class: 'hint' }, 'Load one with ', pre('kumo snapshot load <dir>')));
}
