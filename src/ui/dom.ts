type Child = Node | string | number | false | null | undefined;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/** A DOM element: `on*` attributes become listeners, booleans toggle attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

export function replace(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

export function emptyState(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

export function errorBox(err: unknown): HTMLElement {
  const e = err as { code?: string; message?: string; status?: number };
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, e.code ?? 'Error'), e.status ? ` (HTTP ${e.status})` : '', ': ', e.message ?? String(err));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function formatTime(value: string | number | undefined): string {
  if (value === undefined || value === '') return '';
  const d = typeof value === 'number' ? new Date(value < 1e11 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export interface Column<T> {
  title: string;
  cell: (row: T) => Child | Child[];
  class?: string;
}

const PAGE_SIZE = 25;

/** A table of rows with Previous/Next paging (the page survives live refreshes of the same list). */
export function dataTable<T>(label: string, columns: Column<T>[], rows: T[], empty: string, page = { index: 0 }): HTMLElement {
  if (rows.length === 0) return emptyState(empty);
  const pages = Math.ceil(rows.length / PAGE_SIZE);
  page.index = Math.min(page.index, pages - 1);
  const wrap = h('div', { class: 'table-wrap' });
  const draw = () => {
    const start = page.index * PAGE_SIZE;
    const body = rows.slice(start, start + PAGE_SIZE).map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.class }, c.cell(r)))));
    const table = h('table', { 'aria-label': label },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.title)))),
      h('tbody', {}, body));
    const pager = pages > 1
      ? h('nav', { class: 'pager', 'aria-label': `${label} pages` },
        h('button', { type: 'button', disabled: page.index === 0, onclick: () => { page.index--; draw(); } }, '‹ Previous'),
        h('span', {}, `Page ${page.index + 1} of ${pages} (${rows.length})`),
        h('button', { type: 'button', disabled: page.index >= pages - 1, onclick: () => { page.index++; draw(); } }, 'Next ›'))
      : h('p', { class: 'count' }, `${rows.length} ${rows.length === 1 ? 'item' : 'items'}`);
    replace(wrap, h('div', { class: 'scroll' }, table), pager);
  };
  draw();
  return wrap;
}

export function section(title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h('section', {}, h('h2', {}, title), ...children);
}

export function pre(value: unknown): HTMLElement {
  return h('pre', { class: 'json', tabindex: 0 }, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', {}, hint) : null);
}

/** Runs an action from a button: disables it meanwhile and reports the outcome in `status`. */
export async function act(button: HTMLButtonElement | null, status: HTMLElement, fn: () => Promise<string | void>): Promise<void> {
  if (button) button.disabled = true;
  replace(status, h('span', { class: 'busy' }, 'Working…'));
  try {
    const message = await fn();
    replace(status, message ? h('span', { class: 'ok', role: 'status' }, message) : '');
  } catch (err) {
    replace(status, errorBox(err));
  } finally {
    if (button) button.disabled = false;
  }
}

export function link(href: string, text: string): HTMLAnchorElement {
  return h('a', { href }, text);
}

export function masked(reveal: () => Promise<string>): HTMLElement {
  const out = h('span', { class: 'masked' }, '••••••••');
  const button = h('button', { type: 'button', class: 'small' }, 'Reveal');
  let shown = false;
  button.addEventListener('click', async () => {
    if (shown) {
      replace(out, '••••••••');
      out.className = 'masked';
      button.textContent = 'Reveal';
      shown = false;
      return;
    }
    button.disabled = true;
    try {
      replace(out, h('code', { class: 'revealed' }, await reveal()));
      out.className = '';
      button.textContent = 'Hide';
      shown = true;
    } catch (err) {
      replace(out, errorBox(err));
    } finally {
      button.disabled = false;
    }
  });
  return h('span', { class: 'secret' }, out, ' ', button);
}
