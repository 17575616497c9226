import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EngineClock } from '../../src/state/clock.ts';
import { createIds } from '../../src/state/ids.ts';
import { open } from './state-helpers.ts';

function frozenClock(at = 1_000_000): EngineClock {
  const clock = new EngineClock(() => undefined);
  clock.freeze(true);
  clock.set(at);
  return clock;
}

test('advance fires due timers in time order, moving the clock to each one, before resolving', async () => {
  const clock = frozenClock();
  const fired: [string, number][] = [];
  for (const [name, delay] of [['c', 300], ['a', 100], ['d', 5000], ['b', 200]] as const) {
    clock.scheduler.after(delay, () => fired.push([name, clock.now()]));
  }
  await clock.advance(1000);
  assert.deepEqual(fired, [
    ['a', 1_000_100],
    ['b', 1_000_200],
    ['c', 1_000_300],
  ]);
  assert.equal(clock.now(), 1_001_000);
  await clock.advance(4000);
  assert.deepEqual(fired.at(-1), ['d', 1_005_000]);
});

test('timers due at the same time fire in scheduling order', async () => {
  const clock = frozenClock();
  const fired: number[] = [];
  for (let i = 0; i < 20; i++) clock.scheduler.at(1_000_500, () => fired.push(i));
  await clock.advance(500);
  assert.deepEqual(fired, Array.from({ length: 20 }, (_, i) => i));
});

test('a frozen clock stands still and its timers only fire through advance or set', async () => {
  const clock = frozenClock();
  let fired = 0;
  clock.scheduler.after(5, () => fired++);
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(clock.now(), 1_000_000);
  assert.equal(fired, 0);
  clock.set(1_000_010);
  assert.equal(fired, 1, 'set() fires the timers it passes, synchronously');
  clock.scheduler.after(0, () => fired++);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(fired, 2, 'a timer already due fires even while frozen');
  const described = clock.describe();
  assert.equal(described.now, new Date(1_000_010).toISOString());
  assert.equal(described.frozen, true);
  assert.ok(Math.abs(described.offsetMs - (1_000_010 - Date.now())) < 1000);
});

test('set backwards fires nothing; unfreezing keeps the time and lets it run', async () => {
  const clock = frozenClock();
  let fired = 0;
  clock.scheduler.at(1_000_050, () => fired++);
  clock.set(500);
  assert.equal(fired, 0);
  clock.freeze(false);
  const t = clock.now();
  assert.ok(t >= 500 && t < 1000);
  assert.equal(clock.frozen, false);
  assert.ok(Math.abs(clock.describe().offsetMs - (500 - Date.now())) < 1000);
});

test('real time: an unfrozen clock fires timers by itself', async () => {
  const clock = new EngineClock(() => undefined);
  const start = clock.now();
  // kumo's timers are unref'd; this one keeps the test process alive meanwhile.
  const keepAlive = setTimeout(() => undefined, 5000);
  const at = await new Promise<number>((resolve) => clock.scheduler.after(15, () => resolve(clock.now())));
  clearTimeout(keepAlive);
  assert.ok(at - start >= 14, `fired after ${at - start} ms`);
});

test('cancelled timers never fire; order holds under many random cancels', async () => {
  const clock = frozenClock(0);
  const ids = createIds('heap');
  const fired: number[] = [];
  const handles = Array.from({ length: 2000 }, (_, i) => {
    const at = ids.bytes(2).readUInt16LE(0);
    return { i, at, handle: clock.scheduler.at(at, () => fired.push(i)) };
  });
  const kept = handles.filter(({ i }) => i % 3 !== 0);
  for (const { i, handle } of handles) if (i % 3 === 0) handle.cancel();
  await clock.advance(70_000);
  const expected = [...kept].sort((a, b) => a.at - b.at || a.i - b.i).map(({ i }) => i);
  assert.deepEqual(fired, expected);
});

test('a timer scheduled by a firing timer inside the advanced window fires in the same advance', async () => {
  const clock = frozenClock(0);
  const fired: number[] = [];
  clock.scheduler.at(10, () => {
    fired.push(clock.now());
    clock.scheduler.after(5, () => fired.push(clock.now()));
  });
  await clock.advance(100);
  assert.deepEqual(fired, [10, 15]);
});

test('a throwing timer is logged and the others still fire', async () => {
  const logged: string[] = [];
  const clock = new EngineClock((level, msg) => logged.push(`${level} ${msg}`));
  clock.freeze(true);
  let ok = false;
  clock.scheduler.after(1, () => {
    throw new Error('boom');
  });
  clock.scheduler.after(2, () => (ok = true));
  await clock.advance(5);
  assert.ok(ok);
  assert.deepEqual(logged, ['error timer callback failed']);
});

test('timers never keep the process alive', () => {
  const clockModule = fileURLToPath(new URL('../../src/state/clock.ts', import.meta.url));
  const script = `import { EngineClock } from ${JSON.stringify(clockModule)}; new EngineClock(() => {}).scheduler.after(3_600_000, () => {});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000 });
  assert.equal(r.status, 0, String(r.stderr));
});

test('reset(service) cancels the timers that service scheduled through schedulerFor', async () => {
  const e = await open();
  e.clock.freeze(true);
  const fired: string[] = [];
  e.schedulerFor('sqs').after(10, () => fired.push('sqs'));
  e.schedulerFor('sns').after(10, () => fired.push('sns'));
  e.service('sqs');
  await e.reset('sqs');
  await e.clock.advance(20);
  assert.deepEqual(fired, ['sns']);
  await e.close();
});
