import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENTS_DEFAULT, nextDelay, SNS_HTTP_DEFAULT, SNS_MANAGED } from '../../src/events/policy.ts';
import { nextFire, parseSchedule, ScheduleError, tzOffset } from '../../src/events/schedule.ts';

const at = (iso: string) => Date.parse(iso);
const next = (expr: string, after: string, tz?: string) => {
  const t = nextFire(parseSchedule(expr, true), at(after), at(after), tz);
  return t === undefined ? undefined : new Date(t).toISOString();
};

test('rate expressions count from the anchor', () => {
  const s = parseSchedule('rate(5 minutes)');
  assert.equal(nextFire(s, 1000, 1000), 1000 + 300_000);
  assert.equal(nextFire(s, 1000 + 300_000, 1000), 1000 + 600_000);
  assert.throws(() => parseSchedule('rate(1 minutes)'), ScheduleError);
  assert.throws(() => parseSchedule('rate(2 minute)'), ScheduleError);
  assert.throws(() => parseSchedule('rate(0 days)'), ScheduleError);
});

test('cron: lists, ranges, steps, names, L, W and #', () => {
  assert.equal(next('cron(0 12 * * ? *)', '2024-03-01T12:00:00Z'), '2024-03-02T12:00:00.000Z');
  assert.equal(next('cron(0/15 * * * ? *)', '2024-03-01T12:07:00Z'), '2024-03-01T12:15:00.000Z');
  assert.equal(next('cron(0 9 ? * MON-FRI *)', '2024-03-01T10:00:00Z'), '2024-03-04T09:00:00.000Z');
  assert.equal(next('cron(0 0 L * ? *)', '2024-02-10T00:00:00Z'), '2024-02-29T00:00:00.000Z');
  assert.equal(next('cron(0 0 15W * ? *)', '2024-06-01T00:00:00Z'), '2024-06-14T00:00:00.000Z', 'the 15th is a Saturday');
  assert.equal(next('cron(0 0 ? * 6#3 *)', '2024-03-01T00:00:00Z'), '2024-03-15T00:00:00.000Z', 'third Friday');
  assert.equal(next('cron(0 0 ? * 2L *)', '2024-03-01T00:00:00Z'), '2024-03-25T00:00:00.000Z', 'last Monday');
  assert.equal(next('cron(30 1 1 JAN ? 2030)', '2024-03-01T00:00:00Z'), '2030-01-01T01:30:00.000Z');
  assert.equal(next('cron(0 0 1 1 ? 2020)', '2024-03-01T00:00:00Z'), undefined);
  assert.throws(() => parseSchedule('cron(0 12 * * * *)'), ScheduleError, 'one of day-of-month and day-of-week must be ?');
  assert.throws(() => parseSchedule('cron(61 * * * ? *)'), ScheduleError);
  assert.throws(() => parseSchedule('cron(0 12 * *)'), ScheduleError);
});

test('time zones, including daylight saving changes', () => {
  assert.equal(tzOffset(at('2024-07-01T00:00:00Z'), 'America/New_York'), -4 * 3_600_000);
  assert.equal(tzOffset(at('2024-01-01T00:00:00Z'), 'America/New_York'), -5 * 3_600_000);
  assert.equal(next('cron(0 9 * * ? *)', '2024-03-09T00:00:00Z', 'America/New_York'), '2024-03-09T14:00:00.000Z');
  assert.equal(next('cron(0 9 * * ? *)', '2024-03-09T15:00:00Z', 'America/New_York'), '2024-03-10T13:00:00.000Z', 'after the spring change');
  assert.equal(next('at(2030-05-01T08:00:00)', '2024-01-01T00:00:00Z', 'Asia/Tokyo'), '2030-04-30T23:00:00.000Z');
  assert.equal(next('at(2020-05-01T08:00:00)', '2024-01-01T00:00:00Z'), undefined);
});

test('retry delays follow AWS policies', () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => nextDelay(SNS_HTTP_DEFAULT, n, 0)), [20_000, 20_000, 20_000, undefined]);
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => nextDelay(SNS_MANAGED, n, 0)), [0, 0, 0, 1000, 1000]);
  assert.equal(nextDelay(SNS_MANAGED, 6, 0), 1000);
  assert.equal(nextDelay(SNS_MANAGED, 15, 0), 20_000);
  assert.equal(nextDelay(SNS_MANAGED, 100_015, 0), 20_000);
  assert.equal(nextDelay(SNS_MANAGED, 100_016, 0), undefined);
  assert.equal(nextDelay(EVENTS_DEFAULT, 1, 0), 1000);
  assert.equal(nextDelay(EVENTS_DEFAULT, 186, 0), undefined);
  assert.equal(nextDelay({ kind: 'age', maxRetries: 185, maxAgeSeconds: 60 }, 3, 59_000), undefined, 'the event is too old');
});
