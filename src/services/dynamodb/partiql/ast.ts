/** Syntax trees of DynamoDB's PartiQL statements, before parameters are bound. */
import type { PathElement } from '../expressions/ast.ts';

export type Literal =
  | { type: 'string'; text: string }
  | { type: 'number'; text: string }
  | { type: 'bool'; value: boolean }
  | { type: 'null' }
  | { type: 'missing' };

export type Expr =
  | { k: 'path'; elements: PathElement[]; text: string }
  | { k: 'literal'; value: Literal }
  | { k: 'param'; index: number }
  | { k: 'list'; items: Expr[] }
  | { k: 'tuple'; entries: { key: Expr; value: Expr }[] }
  | { k: 'bag'; items: Expr[] }
  | { k: 'binary'; op: string; left: Expr; right: Expr }
  | { k: 'not'; arg: Expr }
  | { k: 'negate'; arg: Expr }
  | { k: 'between'; value: Expr; low: Expr; high: Expr; negated: boolean }
  | { k: 'in'; value: Expr; list: Expr; negated: boolean }
  | { k: 'is'; value: Expr; type: string; negated: boolean }
  | { k: 'call'; name: string; args: Expr[] };

export interface Source {
  table: string;
  index?: string;
}

export type Returning = 'ALL OLD' | 'MODIFIED OLD' | 'ALL NEW' | 'MODIFIED NEW';

export interface SelectStatement {
  kind: 'select';
  source: Source;
  /** undefined for `*`. */
  projection?: Expr[];
  where?: Expr;
  order?: { path: Expr; descending: boolean };
}

export type UpdateAction = { op: 'set'; path: Expr; value: Expr } | { op: 'remove'; path: Expr };

export type Statement =
  | SelectStatement
  | { kind: 'insert'; source: Source; value: Expr }
  | { kind: 'update'; source: Source; actions: UpdateAction[]; where?: Expr; returning?: Returning }
  | { kind: 'delete'; source: Source; where?: Expr; returning?: Returning }
  | { kind: 'exists'; select: SelectStatement };

export interface Parsed {
  statement: Statement;
  /** How many `?` the statement holds. */
  parameters: number;
}
