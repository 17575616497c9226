/**
 * ExpressionAttributeNames / ExpressionAttributeValues of one request: validated once, looked
 * up by every expression of the request, and checked at the end for entries no expression used.
 */
import { toAttributeValue, type AttributeValue } from '../attribute-value.ts';
import { validation } from '../errors.ts';
import type { AwsError } from '../../../protocol/aws-error.ts';
import type { ExpressionKind } from './ast.ts';
import { expressionError } from './parser.ts';

const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;

export class ExpressionAttributes {
  private readonly names: Map<string, string>;
  private readonly values: Map<string, AttributeValue>;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(names?: Record<string, string>, values?: Record<string, unknown>) {
    this.names = new Map();
    this.values = new Map();
    if (names) {
      if (Object.keys(names).length === 0) throw validation('ExpressionAttributeNames must not be empty');
      for (const [k, v] of Object.entries(names)) {
        if (!NAME_KEY.test(k)) throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${k}"`);
        this.names.set(k, v);
      }
    }
    if (values) {
      if (Object.keys(values).length === 0) throw validation('ExpressionAttributeValues must not be empty');
      for (const [k, v] of Object.entries(values)) {
        if (!VALUE_KEY.test(k)) throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${k}"`);
        try {
          this.values.set(k, toAttributeValue(v));
        } catch (e) {
          throw validation(`ExpressionAttributeValues contains invalid value: ${(e as AwsError).message} for key ${k}`);
        }
      }
    }
  }

  name(kind: ExpressionKind, ref: string): string {
    const name = this.names.get(ref);
    if (name === undefined) {
      throw expressionError(kind, `An expression attribute name used in the document path is not defined; attribute name: ${ref}`);
    }
    this.usedNames.add(ref);
    return name;
  }

  value(kind: ExpressionKind, ref: string): AttributeValue {
    const value = this.values.get(ref);
    if (value === undefined) {
      throw expressionError(kind, `An expression attribute value used in expression is not defined; attribute value: ${ref}`);
    }
    this.usedValues.add(ref);
    return value;
  }

  /** AWS refuses placeholders that no expression of the request used. */
  checkAllUsed(): void {
    const names = [...this.names.keys()].filter((k) => !this.usedNames.has(k));
    if (names.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(', ')}}`);
    const values = [...this.values.keys()].filter((k) => !this.usedValues.has(k));
    if (values.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(', ')}}`);
  }
}
