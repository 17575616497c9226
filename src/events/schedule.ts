/**
 * Schedule expressions shared by EventBridge rules and EventBridge Scheduler: `rate(5 minutes)`,
 * `cron(0 12 ? * MON-FRI *)` (AWS's six fields, with L, W and #) and Scheduler's
 * `at(2030-01-01T00:00:00)`, evaluated in a time zone through Intl.
 */

export class ScheduleError extends Error {}

export type Schedule =
  | { kind: 'rate'; ms: number }
  | { kind: 'at'; local: Fields }
  | { kind: 'cron'; cron: Cron };

interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number> | undefined;
  /** A day matches when this says so (day-of-month or day-of-week, the other being `?`). */
  day: (y: number, mo: number, d: number) => boolean;
}

const UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export function parseSchedule(expr: string, allowAt = false): Schedule {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expr);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!;
    if (n <= 0) throw new ScheduleError('The rate must be greater than 0.');
    if ((n === 1) !== !unit.endsWith('s')) throw new ScheduleError(`Invalid unit for the rate: use ${n === 1 ? 'a singular' : 'a plural'} unit`);
    return { kind: 'rate', ms: n * UNITS[unit]! };
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expr);
  if (at && allowAt) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    return { kind: 'at', local: { y, mo, d, h, mi, s } };
  }
  const cron = /^cron\((.*)\)$/.exec(expr);
  if (cron) return { kind: 'cron', cron: parseCron(cron[1]!.trim()) };
  throw new ScheduleError('Parameter ScheduleExpression is not valid.');
}

function parseCron(text: string): Cron {
  const parts = text.split(/\s+/);
  if (parts.length !== 6) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
  const [min, hour, dom, mon, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
  const minutes = field(min, 0, 59);
  const hours = field(hour, 0, 23);
  const months = field(mon, 1, 12, MONTHS, 1);
  const years = year === '*' ? undefined : field(year, 1970, 2199);
  const day = dom === '?' ? dayOfWeek(dow) : dayOfMonth(dom);
  return { minutes, hours, months, years, day };
}

function field(text: string, lo: number, hi: number, names?: string[], base = 0): Set<number> {
  const out = new Set<number>();
  const num = (s: string) => {
    const i = names ? names.indexOf(s.toUpperCase()) : -1;
    const n = i >= 0 ? i + base : Number(s);
    if (!/^\d+$/.test(s) && i < 0) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
    if (n < lo || n > hi) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleError('Parameter ScheduleExpression is not valid.');
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [lo, hi];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [from, to] = [num(a), num(b)];
    } else {
      from = num(range);
      to = stepText === undefined ? from : hi;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function daysIn(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function weekday(y: number, mo: number, d: number): number {
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
}

function dayOfMonth(text: string): Cron['day'] {
  if (text === 'L') return (y, mo, d) => d === daysIn(y, mo);
  const w = /^(\d+)W$/.exec(text);
  if (w) {
    const target = Number(w[1]);
    return (y, mo, d) => nearestWeekday(y, mo, Math.min(target, daysIn(y, mo))) === d;
  }
  const set = field(text, 1, 31);
  return (_y, _mo, d) => set.has(d);
}

/** `15W`: the weekday nearest the 15th, never crossing into another month. */
function nearestWeekday(y: number, mo: number, d: number): number {
  const wd = weekday(y, mo, d);
  if (wd === 6) return d === 1 ? 3 : d - 1;
  if (wd === 0) return d === daysIn(y, mo) ? d - 2 : d + 1;
  return d;
}

function dayOfWeek(text: string): Cron['day'] {
  const nth = /^([1-7]|[A-Za-z]{3})#([1-5])$/.exec(text);
  if (nth) {
    const wd = dowNumber(nth[1]!);
    const n = Number(nth[2]);
    return (y, mo, d) => weekday(y, mo, d) === wd && Math.ceil(d / 7) === n;
  }
  const last = /^([1-7]|[A-Za-z]{3})L$/.exec(text);
  if (last) {
    const wd = dowNumber(last[1]!);
    return (y, mo, d) => weekday(y, mo, d) === wd && d + 7 > daysIn(y, mo);
  }
  if (text === 'L') return (y, mo, d) => weekday(y, mo, d) === 6;
  const set = field(text, 1, 7, DAYS, 1);
  return (y, mo, d) => set.has(weekday(y, mo, d) + 1);
}

function dowNumber(s: string): number {
  const i = DAYS.indexOf(s.toUpperCase());
  if (i >= 0) return i;
  return Number(s) - 1;
}

/** Milliseconds to add to UTC to get the wall-clock time in `tz` at instant `ts`. */
export function tzOffset(ts: number, tz: string): number {
  if (tz === 'UTC') return 0;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(ts));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ts / 1000) * 1000;
}

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The instant a wall-clock time in `tz` denotes (times skipped by DST move forward). */
export function zonedToUtc(f: Fields, tz: string): number {
  const wall = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  let utc = wall - tzOffset(wall, tz);
  utc = wall - tzOffset(utc, tz);
  return utc;
}

function localFields(ts: number, tz: string): Fields {
  const d = new Date(ts + tzOffset(ts, tz));
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
}

/**
 * The first firing strictly after `after` (ms), or undefined when there is none. Rates count
 * from `anchor` (rule creation, schedule start).
 */
export function nextFire(s: Schedule, after: number, anchor: number, tz = 'UTC'): number | undefined {
  if (s.kind === 'rate') {
    if (after < anchor) return anchor + s.ms;
    return anchor + (Math.floor((after - anchor) / s.ms) + 1) * s.ms;
  }
  if (s.kind === 'at') {
    const t = zonedToUtc(s.local, tz);
    return t > after ? t : undefined;
  }
  const c = s.cron;
  const start = localFields(after, tz);
  const minutes = [...c.minutes].sort((a, b) => a - b);
  const hours = [...c.hours].sort((a, b) => a - b);
  let day = Date.UTC(start.y, start.mo - 1, start.d);
  for (let i = 0; i < 366 * 6; i++, day += 86_400_000) {
    const dt = new Date(day);
    const y = dt.getUTCFullYear();
    const mo = dt.getUTCMonth() + 1;
    const d = dt.getUTCDate();
    if (c.years && !c.years.has(y)) continue;
    if (!c.months.has(mo) || !c.day(y, mo, d)) continue;
    for (const h of hours) {
      for (const mi of minutes) {
        const t = zonedToUtc({ y, mo, d, h, mi, s: 0 }, tz);
        if (t > after) return t;
      }
    }
  }
  return undefined;
}
