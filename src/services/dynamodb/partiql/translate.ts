/**
 * From PartiQL trees to what the rest of the service runs: WHERE clauses become the resolved
 * condition trees the expression evaluator matches items with, key equalities become item keys
 * or index ranges (so a SELECT pinning the partition key reads one partition, not the table),
 * SET/REMOVE become update trees.
 */
import type { RangeOptions } from '../../../state/index.ts';
import { typeOf, type AttributeValue, type Item, type TypeName } from '../attribute-value.ts';
import { validation } from '../errors.ts';
import type { CallNode, Condition, Operand, PathNode, UpdateAst, ValueNode } from '../expressions/ast.ts';
import { keyRange } from '../query.ts';
import { attributeType, type KeyNames, type TableRecord } from '../schema.ts';
import type { Expr, UpdateAction } from './ast.ts';
import { INCOMPLETE_KEY } from './errors.ts';
import { bindValue, isConstant } from './values.ts';

const ORDERED: ReadonlySet<TypeName> = new Set(['S', 'N', 'B']);

/** IS <type> tests and the DynamoDB type each one means. */
const IS_TYPES: Record<string, TypeName[]> = {
  NULL: ['NULL'], BOOLEAN: ['BOOL'], BOOL: ['BOOL'], STRING: ['S'], NUMERIC: ['N'], BLOB: ['B'], STRUCT: ['M'], TUPLE: ['M'], LIST: ['L'],
};

const CONDITION_FUNCTIONS: Record<string, number> = { begins_with: 2, contains: 2, attribute_type: 2, exists: 1 };

function unsupportedOperator(op: string): Error {
  return validation(`Unsupported operator in Condition Expression. Operator: ${op}`);
}

function path(e: Expr & { k: 'path' }): PathNode {
  return { type: 'path', elements: e.elements };
}

function value(v: AttributeValue): ValueNode {
  return { type: 'value', ref: '', value: v };
}

function and(parts: Condition[]): Condition {
  return parts.reduce((left, right) => ({ type: 'and', left, right }));
}

export class Translator {
  constructor(private readonly params: AttributeValue[]) {}

  constant(e: Expr, where = 'root'): AttributeValue {
    const v = bindValue(e, this.params, where);
    if (!v) throw validation('MISSING must be compared using IS operator');
    return v;
  }

  /** An INSERT's item. */
  item(e: Expr): Item {
    return bindValue(e, this.params, 'root', true)!.M!;
  }

  operand(e: Expr): Operand {
    if (e.k === 'path') return path(e);
    if (isConstant(e)) return value(this.constant(e));
    if (e.k === 'call' && e.name === 'size') {
      if (e.args.length !== 1) throw validation(`Incorrect number of operands for operator or function; operator or function: size, number of operands: ${e.args.length}`);
      const call: CallNode = { type: 'call', name: 'size', args: [this.operand(e.args[0]!)] };
      return call;
    }
    if (e.k === 'call') throw validation(`Unrecognized function: ${e.name}`);
    throw unsupportedOperator(e.k === 'binary' ? e.op : e.k === 'negate' ? '-' : e.k.toUpperCase());
  }

  private ordered(op: string, operands: Operand[]): void {
    for (const o of operands) {
      const t = o.type === 'value' ? typeOf(o.value!) : o.type === 'call' ? 'N' : undefined;
      if (t && !ORDERED.has(t)) throw validation(`Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${t}`);
    }
  }

  condition(e: Expr): Condition {
    switch (e.k) {
      case 'binary': {
        if (e.op === 'AND' || e.op === 'OR') return { type: e.op === 'AND' ? 'and' : 'or', left: this.condition(e.left), right: this.condition(e.right) };
        if (!['=', '<>', '<', '<=', '>', '>='].includes(e.op)) throw unsupportedOperator(e.op);
        const left = this.operand(e.left);
        const right = this.operand(e.right);
        if (e.op !== '=' && e.op !== '<>') this.ordered(e.op, [left, right]);
        return { type: 'compare', op: e.op as '=', left, right };
      }
      case 'not':
        return { type: 'not', arg: this.condition(e.arg) };
      case 'between': {
        const operands = [this.operand(e.value), this.operand(e.low), this.operand(e.high)];
        this.ordered('BETWEEN', operands);
        const c: Condition = { type: 'between', value: operands[0]!, low: operands[1]!, high: operands[2]! };
        return e.negated ? { type: 'not', arg: c } : c;
      }
      case 'in': {
        if (e.value.k !== 'path' || (e.list.k !== 'list' && e.list.k !== 'bag') || !e.list.items.length) {
          throw validation('IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member');
        }
        const c: Condition = { type: 'in', value: path(e.value), list: e.list.items.map((x) => this.operand(x)) };
        return e.negated ? { type: 'not', arg: c } : c;
      }
      case 'is': {
        if (e.value.k !== 'path') throw validation('The left hand side argument to IS must be a Variable Reference, Literal, or Path');
        const p = path(e.value);
        let c: Condition;
        if (e.type === 'MISSING') c = { type: 'function', call: { type: 'call', name: 'attribute_not_exists', args: [p] } };
        else {
          const types = IS_TYPES[e.type];
          if (!types) throw validation(`Unsupported data type for IS operator: ${e.type}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`);
          c = { type: 'function', call: { type: 'call', name: 'attribute_type', args: [p, value({ S: types[0]! })] } };
        }
        return e.negated ? { type: 'not', arg: c } : c;
      }
      case 'call': {
        const arity = CONDITION_FUNCTIONS[e.name];
        if (arity === undefined) throw validation(`Unrecognized function: ${e.name}`);
        if (e.args.length !== arity) {
          throw validation(`Incorrect number of operands for operator or function; operator or function: ${e.name}, number of operands: ${e.args.length}`);
        }
        const args = e.args.map((a) => this.operand(a));
        if (e.name === 'exists') return { type: 'function', call: { type: 'call', name: 'attribute_exists', args } };
        if (e.name === 'begins_with') {
          for (const a of args) {
            const t = a.type === 'value' ? typeOf(a.value!) : undefined;
            if (t && t !== 'S' && t !== 'B') throw validation(`Incorrect operand type for operator or function; operator or function: begins_with, operand type: ${t}`);
          }
        }
        return { type: 'function', call: { type: 'call', name: e.name, args } };
      }
      default:
        throw validation('WHERE clause must contain an expression that resolves to a boolean');
    }
  }

  /** `name = constant` (either way round) among the top-level conjuncts. */
  equalities(where: Expr | undefined, name: string): AttributeValue[] {
    const out: AttributeValue[] = [];
    for (const c of conjuncts(where)) {
      if (c.k !== 'binary' || c.op !== '=') continue;
      const [p, v] = isName(c.left, name) ? [c.left, c.right] : isName(c.right, name) ? [c.right, c.left] : [];
      if (p && v && isConstant(v)) out.push(this.constant(v));
    }
    return out;
  }

  /** The full primary key a write (or a single-item read) names with equalities; AWS refuses anything less. */
  itemKey(rec: TableRecord, where: Expr | undefined): Item {
    const key: Item = {};
    for (const name of [rec.key.hash, rec.key.range]) {
      if (name === undefined) continue;
      const found = this.equalities(where, name);
      if (found.length === 0) throw validation(INCOMPLETE_KEY);
      if (found.length > 1) throw validation(`Multiple conditions on same key ${name}. Only single item Update/Insert/Delete are supported`);
      if (typeOf(found[0]!) !== attributeType(rec, name)) {
        throw validation(`Key attribute's data type should match its data type in table's schema: Key ${name}`);
      }
      key[name] = found[0]!;
    }
    return key;
  }

  /**
   * The partitions a SELECT reads when its WHERE pins the partition key (`=` or `IN`), each as
   * a range of the ordered source narrowed by one sort-key condition when there is one; undefined
   * when it does not (the source is scanned). The whole WHERE still filters what is read.
   */
  partitions(rec: TableRecord, key: KeyNames, where: Expr | undefined): RangeOptions[] | undefined {
    const type = attributeType(rec, key.hash);
    let hashes = this.equalities(where, key.hash);
    if (!hashes.length) {
      const list = conjuncts(where).find((c) => c.k === 'in' && !c.negated && isName(c.value, key.hash) && (c.list.k === 'list' || c.list.k === 'bag') && c.list.items.every(isConstant));
      if (!list) return undefined;
      hashes = ((list as Expr & { k: 'in' }).list as Expr & { k: 'list' }).items.map((x) => this.constant(x));
    }
    hashes = hashes.filter((h) => typeOf(h) === type);
    const range = key.range === undefined ? undefined : this.rangeTerm(rec, key.range, where);
    const hashName: Operand = { type: 'path', elements: [{ name: key.hash, raw: key.hash }] };
    const seen = new Set<string>();
    const out: RangeOptions[] = [];
    for (const h of hashes) {
      const r = keyRange(and([{ type: 'compare', op: '=', left: hashName, right: value(h) }, ...(range ? [range] : [])]), key, rec);
      if (seen.has(r.prefix!)) continue;
      seen.add(r.prefix!);
      out.push(r);
    }
    return out.sort((a, b) => (a.prefix! < b.prefix! ? -1 : 1));
  }

  /** One sort-key condition usable as a key range: a comparison, BETWEEN or begins_with on constants of the key's type. */
  private rangeTerm(rec: TableRecord, name: string, where: Expr | undefined): Condition | undefined {
    const type = attributeType(rec, name);
    const fits = (e: Expr) => isConstant(e) && typeOf(this.constant(e)) === type;
    for (const c of conjuncts(where)) {
      if (c.k === 'binary' && ['=', '<', '<=', '>', '>='].includes(c.op) && (isName(c.left, name) ? fits(c.right) : isName(c.right, name) && fits(c.left))) {
        return this.condition(c);
      }
      if (c.k === 'between' && !c.negated && isName(c.value, name) && fits(c.low) && fits(c.high)) return this.condition(c);
      if (c.k === 'call' && c.name === 'begins_with' && c.args.length === 2 && isName(c.args[0]!, name) && type !== 'N' && fits(c.args[1]!)) {
        return this.condition(c);
      }
    }
    return undefined;
  }

  update(actions: UpdateAction[]): UpdateAst {
    const ast: UpdateAst = { set: [], remove: [], add: [], delete: [] };
    for (const a of actions) {
      if (a.path.k !== 'path') throw validation(`Unrecognized assignment target: ${a.path.k}`);
      const target = path(a.path);
      if (a.op === 'remove') {
        ast.remove.push(target);
        continue;
      }
      const v = a.value;
      if (v.k === 'call' && (v.name === 'set_add' || v.name === 'set_delete')) {
        const op = v.name.slice(4).toUpperCase();
        if (v.args.length !== 2) throw validation(`SET_${op} must have exactly two arguments`);
        const [first, second] = v.args as [Expr, Expr];
        if (first.k !== 'path' || first.elements.length !== a.path.elements.length || first.elements.some((x, i) => JSON.stringify(x) !== JSON.stringify((a.path as Expr & { k: 'path' }).elements[i]))) {
          throw validation(`The first argument to SET_${op} must equal the assignment value`);
        }
        const set = isConstant(second) ? this.constant(second) : undefined;
        if (!set || !['SS', 'NS', 'BS'].includes(typeOf(set))) throw validation(`The second argument to SET_${op} must be a value with type SET`);
        (op === 'ADD' ? ast.add : ast.delete).push({ path: target, value: value(set) });
        continue;
      }
      ast.set.push({ path: target, value: this.setOperand(v) });
    }
    return ast;
  }

  private setOperand(e: Expr): Operand {
    if (e.k === 'binary' && (e.op === '+' || e.op === '-')) return { type: 'arith', op: e.op, left: this.setOperand(e.left), right: this.setOperand(e.right) };
    if (e.k === 'call' && e.name === 'list_append') {
      if (e.args.length !== 2) throw validation(`Incorrect number of operands for operator or function; operator or function: list_append, number of operands: ${e.args.length}`);
      return { type: 'call', name: 'list_append', args: e.args.map((x) => this.setOperand(x)) };
    }
    if (e.k === 'is') throw validation('IS operator is not supported in update expressions');
    if (e.k === 'binary' || e.k === 'not' || e.k === 'negate') throw validation(`Unsupported operator in Update Expression. Operator: ${e.k === 'binary' ? e.op : e.k.toUpperCase()}`);
    return this.operand(e);
  }
}

export function conjuncts(e: Expr | undefined): Expr[] {
  if (!e) return [];
  if (e.k === 'binary' && e.op === 'AND') return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

function isName(e: Expr, name: string): boolean {
  return e.k === 'path' && e.elements.length === 1 && 'name' in e.elements[0]! && e.elements[0].name === name;
}
