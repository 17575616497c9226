/**
 * Model-driven input validation with AWS's own messages.
 *
 * Coral style (json, rest-json, cbor services):
 *   `2 validation errors detected: Value null at 'queueName' failed to satisfy constraint:
 *    Member must not be null; Value '0' at 'limit' failed to satisfy constraint: Member must
 *    have value greater than or equal to 1`
 * Paths use lower-camel member names, `list.1.member.field` inside lists; sensitive values are
 * not echoed (`Value at 'password' ...`). Constraints on list items and map keys are reported
 * once for the whole collection, listing every constraint of the item shape.
 * Query style (query/ec2 services): a missing required member is `MissingParameter`, other
 * violations the Coral message under `ValidationError`.
 *
 * Checks are compiled once per shape and subtrees that can never fail are skipped, so a request
 * costs a walk over the constrained part of its input only.
 */
import { AwsError } from './aws-error.ts';
import type { ServiceModel, Shape, ShapeRef } from './model-types.ts';
import { isNumericType } from './values.ts';

export type ValidationStyle = 'coral' | 'query';

interface ScalarRule {
  /** Every constraint's description, in Coral's order (used for collection-level messages). */
  descriptions: string[];
  /** Descriptions of the constraints a value violates. */
  violations(value: unknown): string[];
}

interface MemberCheck {
  name: string;
  /** Wire name, for query-style MissingParameter messages. */
  wire: string;
  /** Lower-camel path segment, for Coral messages. */
  path: string;
  required: boolean;
  shape: Shape;
}

const scalarRules = new WeakMap<Shape, ScalarRule | null>();
const memberChecks = new WeakMap<Shape, MemberCheck[]>();
const reachesChecks = new WeakMap<Shape, boolean>();
const patterns = new Map<string, RegExp | null>();

export function validateInput(model: ServiceModel, inputRef: ShapeRef | undefined, input: Record<string, unknown>, style: ValidationStyle): void {
  if (!inputRef) return;
  const shape = model.shapes[inputRef.shape];
  if (!shape || !hasChecks(model, shape)) return;
  const ctx: Walk = { model, style, errors: [], missing: undefined };
  try {
    walk(ctx, shape, input, '');
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    ctx.errors.push('Request is nested too deeply');
  }
  if (ctx.missing !== undefined) {
    throw new AwsError('MissingParameter', `The request must contain the parameter ${ctx.missing}.`, 400);
  }
  const n = ctx.errors.length;
  if (n === 0) return;
  const message = `${n} validation error${n === 1 ? '' : 's'} detected: ${ctx.errors.join('; ')}`;
  throw new AwsError(style === 'query' ? 'ValidationError' : 'ValidationException', message, 400);
}

interface Walk {
  model: ServiceModel;
  style: ValidationStyle;
  errors: string[];
  /** Query style: the first missing required parameter. */
  missing: string | undefined;
}

function walk(ctx: Walk, shape: Shape, value: unknown, path: string): void {
  switch (shape.type) {
    case 'structure':
      if (!shape.document && typeof value === 'object' && value !== null) walkStructure(ctx, shape, value as Record<string, unknown>, path);
      return;
    case 'list':
      if (Array.isArray(value)) walkList(ctx, shape, value, path);
      return;
    case 'map':
      if (typeof value === 'object' && value !== null) walkMap(ctx, shape, value as Record<string, unknown>, path);
      return;
    default: {
      const rule = scalarRule(shape);
      if (!rule) return;
      for (const violation of rule.violations(value)) report(ctx, shape, value, path, violation);
    }
  }
}

function walkStructure(ctx: Walk, shape: Shape, value: Record<string, unknown>, path: string): void {
  for (const m of checksOf(ctx.model, shape)) {
    const v = value[m.name];
    const memberPath = path ? `${path}.${m.path}` : m.path;
    if (v === undefined || v === null) {
      if (!m.required) continue;
      if (ctx.style === 'query') ctx.missing ??= m.wire;
      else ctx.errors.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    walk(ctx, m.shape, v, memberPath);
  }
}

function walkList(ctx: Walk, shape: Shape, value: unknown[], path: string): void {
  for (const violation of countViolations(shape, value.length)) report(ctx, shape, value, path, violation);
  const item = ctx.model.shapes[shape.member!.shape]!;
  const rule = scalarRule(item);
  if (rule) {
    if (value.some((v) => v === null || v === undefined || rule.violations(v).length > 0)) {
      report(ctx, shape, value, path, `Member must satisfy constraint: [${[...rule.descriptions, 'Member must not be null'].join(', ')}]`);
    }
  } else if (hasChecks(ctx.model, item)) {
    for (let i = 0; i < value.length; i++) {
      if (value[i] !== null && value[i] !== undefined) walk(ctx, item, value[i], `${path}.${i + 1}.member`);
    }
  }
}

function walkMap(ctx: Walk, shape: Shape, value: Record<string, unknown>, path: string): void {
  const keys = Object.keys(value);
  for (const violation of countViolations(shape, keys.length)) report(ctx, shape, value, path, violation);
  const keyRule = scalarRule(ctx.model.shapes[shape.key!.shape]!);
  if (keyRule && keys.some((k) => keyRule.violations(k).length > 0)) {
    report(ctx, shape, value, path, `Map keys must satisfy constraint: [${[...keyRule.descriptions, 'Member must not be null'].join(', ')}]`);
  }
  const valueShape = ctx.model.shapes[shape.value!.shape]!;
  const valueRule = scalarRule(valueShape);
  if (valueRule) {
    if (keys.some((k) => value[k] !== null && value[k] !== undefined && valueRule.violations(value[k]).length > 0)) {
      report(ctx, shape, value, path, `Map value must satisfy constraint: [${valueRule.descriptions.join(', ')}]`);
    }
  } else if (hasChecks(ctx.model, valueShape)) {
    for (const k of keys) {
      if (value[k] !== null && value[k] !== undefined) walk(ctx, valueShape, value[k], `${path}.${k}.member`);
    }
  }
}

function report(ctx: Walk, shape: Shape, value: unknown, path: string, violation: string): void {
  const shown = shape.sensitive ? 'Value' : `Value '${display(value)}'`;
  ctx.errors.push(`${shown} at '${path}' failed to satisfy constraint: ${violation}`);
}

/** Values as Coral prints them: Java's toString of the deserialized value. */
function display(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (Array.isArray(value)) return `[${value.map(display).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${display(v)}`).join(', ')}}`;
  }
  return String(value);
}

function countViolations(shape: Shape, count: number): string[] {
  const out: string[] = [];
  if (shape.max !== undefined && count > shape.max) out.push(`Member must have length less than or equal to ${shape.max}`);
  if (shape.min !== undefined && count < shape.min) out.push(`Member must have length greater than or equal to ${shape.min}`);
  return out;
}

// ---- compilation ----

function checksOf(model: ServiceModel, shape: Shape): MemberCheck[] {
  let checks = memberChecks.get(shape);
  if (!checks) {
    const required = new Set(shape.required ?? []);
    checks = [];
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const target = model.shapes[ref.shape];
      if (!target) continue;
      if (!required.has(name) && !hasChecks(model, target)) continue;
      checks.push({ name, wire: ref.locationName ?? name, path: lowerFirst(name), required: required.has(name), shape: target });
    }
    memberChecks.set(shape, checks);
  }
  return checks;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function ownChecks(shape: Shape): boolean {
  switch (shape.type) {
    case 'structure': return !shape.document && (shape.required?.length ?? 0) > 0;
    case 'list':
    case 'map': return shape.min !== undefined || shape.max !== undefined;
    default: return scalarRule(shape) !== null;
  }
}

function children(model: ServiceModel, shape: Shape): Shape[] {
  const refs: ShapeRef[] =
    shape.type === 'structure' ? Object.values(shape.members ?? {})
      : shape.type === 'list' ? [shape.member!]
        : shape.type === 'map' ? [shape.key!, shape.value!]
          : [];
  const out: Shape[] = [];
  for (const ref of refs) {
    const s = model.shapes[ref.shape];
    if (s) out.push(s);
  }
  return out;
}

/** Whether anything under a shape can fail validation: a walk over the shapes reachable from it. */
function hasChecks(model: ServiceModel, shape: Shape): boolean {
  const cached = reachesChecks.get(shape);
  if (cached !== undefined) return cached;
  const seen = new Set<Shape>([shape]);
  const stack = [shape];
  let found = false;
  while (stack.length && !found) {
    const s = stack.pop()!;
    if (ownChecks(s)) found = true;
    else {
      for (const c of children(model, s)) {
        if (!seen.has(c)) {
          seen.add(c);
          stack.push(c);
        }
      }
    }
  }
  reachesChecks.set(shape, found);
  return found;
}

function scalarRule(shape: Shape): ScalarRule | null {
  let rule = scalarRules.get(shape);
  if (rule === undefined) {
    rule = compileScalar(shape);
    scalarRules.set(shape, rule);
  }
  return rule;
}

type Check = { description: string; fails(value: unknown): boolean };

function compileScalar(shape: Shape): ScalarRule | null {
  const checks: Check[] = [];
  const { min, max } = shape;
  if (shape.type === 'string' || shape.type === 'blob') {
    const length = (v: unknown): number | undefined =>
      typeof v === 'string' ? v.length : Buffer.isBuffer(v) ? v.length : undefined;
    if (max !== undefined) checks.push({ description: `Member must have length less than or equal to ${max}`, fails: (v) => (length(v) ?? 0) > max });
    if (min !== undefined) checks.push({ description: `Member must have length greater than or equal to ${min}`, fails: (v) => (length(v) ?? min) < min });
  } else if (isNumericType(shape.type)) {
    if (max !== undefined) checks.push({ description: `Member must have value less than or equal to ${max}`, fails: (v) => typeof v === 'number' && v > max });
    if (min !== undefined) checks.push({ description: `Member must have value greater than or equal to ${min}`, fails: (v) => typeof v === 'number' && v < min });
  }
  if (shape.type === 'string' && shape.pattern !== undefined) {
    const re = compilePattern(shape.pattern);
    if (re) checks.push({ description: `Member must satisfy regular expression pattern: ${shape.pattern}`, fails: (v) => typeof v === 'string' && !re.test(v) });
  }
  if (shape.type === 'string' && shape.enum) {
    const values = new Set(shape.enum);
    checks.push({ description: `Member must satisfy enum value set: [${shape.enum.join(', ')}]`, fails: (v) => typeof v === 'string' && !values.has(v) });
  }
  if (checks.length === 0) return null;
  const descriptions = checks.map((c) => c.description);
  return {
    descriptions,
    violations(value) {
      let out: string[] | undefined;
      for (const c of checks) if (c.fails(value)) (out ??= []).push(c.description);
      return out ?? NONE;
    },
  };
}

const NONE: string[] = [];

/**
 * Model patterns are Java regular expressions. Coral matches an unanchored pattern against the
 * whole value; anchored ones (Smithy-era models) are searched as written. Leading inline flags
 * become RegExp flags. A pattern JavaScript cannot express faithfully is not enforced: without
 * the `u` flag `\\p{L}` would silently mean something else.
 */
function compilePattern(pattern: string): RegExp | null {
  let re = patterns.get(pattern);
  if (re !== undefined) return re;
  let js = pattern.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  let flags = '';
  const inline = /^(\^?)\(\?([is]+)\)/.exec(js);
  if (inline) {
    flags = inline[2]!;
    js = inline[1]! + js.slice(inline[0].length);
  }
  const anchored = js.startsWith('^') || js.endsWith('$');
  const source = anchored ? js : `^(?:${js})$`;
  re = tryRegExp(source, flags + 'u') ?? (/\\[pP]\{/.test(source) ? null : tryRegExp(source, flags));
  patterns.set(pattern, re);
  return re;
}

function tryRegExp(source: string, flags: string): RegExp | null {
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}
