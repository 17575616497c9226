/** Syntax trees of DynamoDB expressions, as parsed (placeholders unresolved) and as resolved. */
import type { AttributeValue } from '../attribute-value.ts';

export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

/** A path step: an attribute/map key (`raw` is how it was written: `#n` or `name`) or a list index. */
export type PathElement = { name: string; raw: string } | { index: number };

export interface PathNode {
  type: 'path';
  elements: PathElement[];
}

export interface ValueNode {
  type: 'value';
  ref: string;
  /** Filled in by resolution. */
  value?: AttributeValue;
}

export interface CallNode {
  type: 'call';
  name: string;
  args: Operand[];
}

export interface ArithmeticNode {
  type: 'arith';
  op: '+' | '-';
  left: Operand;
  right: Operand;
}

export type Operand = PathNode | ValueNode | CallNode | ArithmeticNode;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { type: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { type: 'between'; value: Operand; low: Operand; high: Operand }
  | { type: 'in'; value: Operand; list: Operand[] }
  | { type: 'and' | 'or'; left: Condition; right: Condition }
  | { type: 'not'; arg: Condition }
  | { type: 'paren'; inner: Condition }
  | { type: 'function'; call: CallNode };

export interface SetAction {
  path: PathNode;
  value: Operand;
}

export interface UpdateAst {
  set: SetAction[];
  remove: PathNode[];
  add: { path: PathNode; value: ValueNode }[];
  delete: { path: PathNode; value: ValueNode }[];
}

/** `[a, b, [3]]`: how AWS prints a document path in messages. */
export function describePath(path: PathNode): string {
  return `[${path.elements.map((e) => ('index' in e ? `[${e.index}]` : e.name)).join(', ')}]`;
}
