/**
 * What a target receives: the whole event, `Input` (fixed JSON), `InputPath` (a JSONPath into
 * the event) or `InputTransformer` (values picked by InputPathsMap, placed into InputTemplate).
 */
import type { Target } from '../../generated/events.ts';
import { validation } from './errors.ts';

/** `$.detail.items[0].id`-style paths: dotted members and array indexes. */
export function jsonPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$.') && !path.startsWith('$[')) return undefined;
  const steps = path.slice(1).match(/\.[^.[\]]+|\[\d+\]|\['[^']*'\]/g) ?? [];
  let cur: unknown = value;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const key = s.startsWith('.') ? s.slice(1) : s.startsWith("['") ? s.slice(2, -2) : Number(s.slice(1, -1));
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export function checkPath(path: string, what: string): void {
  if (!/^\$((\.[^.[\]\s]+)|(\[\d+\])|(\['[^']*'\]))*$/.test(path)) throw validation(`${what} is not a valid JSON path: ${path}`);
}

export function checkTransformer(t: NonNullable<Target['InputTransformer']>): void {
  const names = Object.keys(t.InputPathsMap ?? {});
  if (names.length > 100) throw validation('InputPathsMap can have at most 100 entries.');
  for (const [name, path] of Object.entries(t.InputPathsMap ?? {})) {
    if (name.startsWith('aws.events.')) throw validation(`InputTransformer variable ${name} is reserved.`);
    checkPath(path, `InputPathsMap value for ${name}`);
  }
  for (const m of t.InputTemplate.matchAll(/<([^<>\s]+)>/g)) {
    const v = m[1]!;
    if (!names.includes(v) && !v.startsWith('aws.events.')) throw validation(`InputTemplate for target contains invalid placeholder ${v}.`);
  }
}

export interface Reserved {
  ruleArn: string;
  ruleName: string;
  ingestionTime: number;
}

export function targetInput(t: Target, event: Record<string, unknown>, reserved: Reserved): string {
  if (t.Input !== undefined) return t.Input;
  if (t.InputPath !== undefined) return JSON.stringify(jsonPath(event, t.InputPath) ?? null);
  if (t.InputTransformer) return applyTemplate(t.InputTransformer, event, reserved);
  return JSON.stringify(event);
}

function applyTemplate(t: NonNullable<Target['InputTransformer']>, event: Record<string, unknown>, r: Reserved): string {
  const values: Record<string, unknown> = {
    'aws.events.rule-arn': r.ruleArn,
    'aws.events.rule-name': r.ruleName,
    'aws.events.event.ingestion-time': new Date(r.ingestionTime).toISOString(),
    'aws.events.event': event,
    'aws.events.event.json': event,
  };
  for (const [name, path] of Object.entries(t.InputPathsMap ?? {})) values[name] = jsonPath(event, path);
  const template = t.InputTemplate;
  const json = /^\s*[{["]/.test(template);
  let out = '';
  let last = 0;
  for (const m of template.matchAll(/<([^<>\s]+)>/g)) {
    const name = m[1]!;
    if (!(name in values)) continue;
    const before = template.slice(last, m.index);
    out += before;
    last = m.index! + m[0].length;
    const v = values[name];
    if (json && insideString(template, m.index!)) {
      // Inside quotes a string goes in escaped, anything else as its JSON text escaped likewise.
      out += typeof v === 'string' ? JSON.stringify(v).slice(1, -1) : JSON.stringify(JSON.stringify(v ?? null)).slice(1, -1);
    } else if (json) {
      out += JSON.stringify(v ?? null);
    } else {
      out += typeof v === 'string' ? v : JSON.stringify(v ?? null);
    }
  }
  return out + template.slice(last);
}

function insideString(text: string, at: number): boolean {
  let inside = false;
  for (let i = 0; i < at; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}
