import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Kumo } from '../../src/index.ts';
import { startTestKumo } from '../helpers/kumo.ts';
import { buildUiAssets } from './ui-browser.ts';

let kumo: Kumo;
before(async () => {
  buildUiAssets();
  kumo = await startTestKumo();
});
after(() => kumo?.stop());

test('the resource browser ships under 150 KB compressed, all from the package', () => {
  const files = readdirSync('dist/ui');
  const total = files.reduce((n, f) => n + gzipSync(readFileSync(join('dist/ui', f))).length, 0);
  assert.ok(total < 150 * 1024, `${total} bytes gzipped`);
  for (const f of files) assert.doesNotMatch(readFileSync(join('dist/ui', f), 'utf8'), /https?:\/\/(?!localhost|127\.0\.0\.1|www\.w3\.org)[a-z]/i, `${f} refers to the network`);
});

test('hashed assets are immutable, the page revalidates with its ETag', async () => {
  const page = await fetch(`${kumo.endpoint}/kumo/ui`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  const html = await page.text();
  const etag = page.headers.get('etag')!;
  assert.equal((await fetch(`${kumo.endpoint}/kumo/ui`, { headers: { 'if-none-match': etag } })).status, 304);
  const script = /src="(\/kumo\/ui\/app-[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(script, 'the page names its hashed script');
  const js = await fetch(`${kumo.endpoint}${script}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  await js.arrayBuffer();
});
