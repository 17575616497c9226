import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = join('test-artifacts', 'ui');

/** dist/ui from the current sources: the in-process kumo of the tests serves it. */
export function buildUiAssets(): void {
  const r = spawnSync(process.execPath, ['scripts/build-ui.mjs', 'dist/ui'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the resource browser failed');
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
  screenshot(name: string): Promise<void>;
}

/** Debian's Chromium, headless, in a fresh profile, with nothing reaching the network. */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'kumo-ui-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  page.on('dialog', (d) => void d.accept());
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
    async screenshot(name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
  };
}
