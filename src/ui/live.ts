import { errorBox, h, replace } from './dom.ts';
import type { ViewContext } from './router.ts';

/**
 * A part of a page that reloads with live refresh; it is redrawn only when its data changed,
 * so focus and paging survive refreshes that find nothing new.
 */
export async function liveRegion<T>(ctx: ViewContext, container: HTMLElement, load: () => Promise<T>, render: (data: T) => Node | Node[]): Promise<void> {
  let last: string | undefined;
  const run = async () => {
    try {
      const data = await load();
      const key = JSON.stringify(data);
      if (key === last) return;
      last = key;
      const out = render(data);
      replace(container, ...(Array.isArray(out) ? out : [out]));
    } catch (err) {
      last = undefined;
      replace(container, errorBox(err));
    }
  };
  replace(container, h('p', { class: 'busy' }, 'Loading…'));
  ctx.live(run);
  await run();
}
