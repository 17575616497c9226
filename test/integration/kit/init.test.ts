import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startKumo } from '../../../src/index.ts';
import { waitFor } from '../../../src/testing/index.ts';

test('KUMO_INIT_DIR scripts run after ready, in order, with the endpoint; status in /_localstack/init and /kumo/health', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-init-'));
  const ready = join(dir, 'ready.d');
  await mkdir(ready);
  const out = join(dir, 'out');
  await writeFile(join(ready, '01-env.sh'), `echo "sh $AWS_ENDPOINT_URL $AWS_REGION $AWS_ACCESS_KEY_ID $1 $0" >> "${out}"\n`);
  await writeFile(join(ready, '02-health.mjs'), `import { appendFileSync } from 'node:fs';\nconst h = await (await fetch(process.env.AWS_ENDPOINT_URL + '/health')).json();\nappendFileSync(${JSON.stringify(out)}, 'mjs ' + h.status + '\\n');\n`);
  await writeFile(join(ready, '03-fail.sh'), 'echo failing >&2\nexit 3\n');
  await writeFile(join(ready, "04 odd; name $(x).sh"), `echo "odd ran" >> "${out}"\n`);
  await writeFile(join(ready, 'README.txt'), 'not a script');
  const logs: string[] = [];
  const kumo = await startKumo({ port: 0, logLevel: 'info', initDir: dir, region: 'eu-west-1', logWriter: (l) => logs.push(l) });
  try {
    const init = await waitFor(async () => {
      const body = (await (await fetch(kumo.endpoint + '/_localstack/init')).json()) as any;
      return body.completed.READY ? body : undefined;
    }, { log: false, description: 'init scripts done' });
    assert.deepEqual(init.scripts, [
      { stage: 'READY', name: '01-env.sh', state: 'SUCCESSFUL' },
      { stage: 'READY', name: '02-health.mjs', state: 'SUCCESSFUL' },
      { stage: 'READY', name: '03-fail.sh', state: 'ERROR' },
      { stage: 'READY', name: '04 odd; name $(x).sh', state: 'SUCCESSFUL' },
    ]);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    assert.equal(lines[0], `sh ${kumo.endpoint} eu-west-1 ${process.env.AWS_ACCESS_KEY_ID ?? 'test'}  ${join(ready, '01-env.sh')}`);
    assert.deepEqual(lines.slice(1), ['mjs healthy', 'odd ran']);
    const health = (await (await fetch(kumo.endpoint + '/kumo/health')).json()) as any;
    assert.equal(health.init.done, true);
    assert.equal(health.init.scripts[2].exitCode, 3);
    assert.ok(logs.some((l) => l.includes('failing') && l.includes('03-fail.sh')));
  } finally {
    await kumo.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('without KUMO_INIT_DIR, /_localstack/init reports READY with no scripts', async () => {
  const kumo = await startKumo({ port: 0, logLevel: 'warn' });
  try {
    assert.deepEqual(await (await fetch(kumo.endpoint + '/_localstack/init')).json(), { completed: { BOOT: true, START: true, READY: true, SHUTDOWN: false }, scripts: [] });
    assert.equal(((await (await fetch(kumo.endpoint + '/kumo/health')).json()) as any).init, null);
  } finally {
    await kumo.stop();
  }
});
