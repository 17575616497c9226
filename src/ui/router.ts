import { errorBox, replace } from './dom.ts';

export interface ViewContext {
  el: HTMLElement;
  /** Path segments after the view's name, decoded (`#/s3/my-bucket` → `['my-bucket']`). */
  parts: string[];
  params: URLSearchParams;
  /** Registers a reload for live refresh; dropped when the user navigates away. */
  live(reload: () => Promise<void>): void;
  /** Reloads the page's live parts now (after an action changed what they show). */
  refresh(): Promise<void>;
}

export type View = (ctx: ViewContext) => Promise<void> | void;

export function href(view: string, parts: string[] = [], params: Record<string, string> = {}): string {
  const q = new URLSearchParams(params).toString();
  return `#/${[view, ...parts].map(encodeURIComponent).join('/')}${q ? `?${q}` : ''}`;
}

export class Router {
  private reloads: (() => Promise<void>)[] = [];
  private generation = 0;

  constructor(private readonly views: Record<string, View>, private readonly main: HTMLElement, private readonly onRoute: (view: string) => void) {
    window.addEventListener('hashchange', () => void this.show());
  }

  async show(): Promise<void> {
    const raw = location.hash.replace(/^#\/?/, '');
    const q = raw.indexOf('?');
    const path = q >= 0 ? raw.slice(0, q) : raw;
    const [name = '', ...parts] = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const view = this.views[name] ? name : '';
    const generation = ++this.generation;
    const reloads: (() => Promise<void>)[] = [];
    this.reloads = reloads;
    this.onRoute(view);
    const el = document.createElement('div');
    replace(this.main, el);
    try {
      await this.views[view]!({
        el,
        parts,
        params: new URLSearchParams(q >= 0 ? raw.slice(q + 1) : ''),
        live: (reload) => {
          if (generation === this.generation) reloads.push(reload);
        },
        refresh: async () => {
          await Promise.all(reloads.map((r) => r()));
        },
      });
    } catch (err) {
      replace(el, errorBox(err));
    }
    const heading = el.querySelector('h1');
    if (heading && generation === this.generation && document.activeElement?.closest('nav.views')) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }

  async refresh(): Promise<void> {
    await Promise.all(this.reloads.map((r) => r()));
  }
}
