/** DynamoDB key-condition builder: pure functions from the query form to a Query request. */

export type ScalarType = 'S' | 'N' | 'B';
export type SortOperator = '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';
export const SORT_OPERATORS: SortOperator[] = ['=', '<', '<=', '>', '>=', 'between', 'begins_with'];

export interface KeyAttribute {
  name: string;
  type: ScalarType;
}

export interface KeySchema {
  partition: KeyAttribute;
  sort?: KeyAttribute;
}

export interface QueryForm {
  table: string;
  /** A GSI or LSI name; absent for the base table. */
  index?: string;
  partitionValue: string;
  sort?: { op: SortOperator; value: string; value2?: string };
  limit?: number;
  descending?: boolean;
  startKey?: Record<string, unknown>;
}

export interface TableDescription {
  TableName: string;
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: ScalarType }[];
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: TableDescription['KeySchema'] }[];
  LocalSecondaryIndexes?: { IndexName: string; KeySchema: TableDescription['KeySchema'] }[];
}

/** The key of the table or of one of its indexes, with the attribute types the table declares. */
export function keySchemaOf(table: TableDescription, index?: string): KeySchema {
  let keys = table.KeySchema;
  if (index) {
    const found = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].find((i) => i.IndexName === index);
    if (!found) throw new Error(`Table ${table.TableName} has no index ${index}`);
    keys = found.KeySchema;
  }
  const typeOf = (name: string): ScalarType => table.AttributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType ?? 'S';
  const hash = keys.find((k) => k.KeyType === 'HASH');
  if (!hash) throw new Error(`Table ${table.TableName} has no partition key`);
  const range = keys.find((k) => k.KeyType === 'RANGE');
  return {
    partition: { name: hash.AttributeName, type: typeOf(hash.AttributeName) },
    ...(range ? { sort: { name: range.AttributeName, type: typeOf(range.AttributeName) } } : {}),
  };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** What is wrong with one typed key value, or undefined (DynamoDB would reject these with a ValidationException). */
export function valueProblem(attr: KeyAttribute, value: string): string | undefined {
  if (value === '') return `${attr.name} needs a value`;
  if (attr.type === 'N' && !NUMBER.test(value.trim())) return `${attr.name} is a number (N): "${value}" is not one`;
  if (attr.type === 'B' && !BASE64.test(value.trim())) return `${attr.name} is binary (B): give it as base64`;
  return undefined;
}

/** Every problem with the form, in the order the fields appear; empty when it can be sent. */
export function validateQuery(schema: KeySchema, form: QueryForm): string[] {
  const problems: string[] = [];
  const p = valueProblem(schema.partition, form.partitionValue);
  if (p) problems.push(p);
  if (form.sort) {
    if (!schema.sort) problems.push('This key has no sort key: leave the sort condition empty');
    else {
      const s = valueProblem(schema.sort, form.sort.value);
      if (s) problems.push(s);
      if (form.sort.op === 'between') {
        const s2 = valueProblem(schema.sort, form.sort.value2 ?? '');
        if (s2) problems.push(s2.replace('needs a value', 'needs a second value for BETWEEN'));
        else if (!s && compare(schema.sort.type, form.sort.value, form.sort.value2!) > 0) {
          problems.push(`BETWEEN needs the lower bound first: ${form.sort.value} is greater than ${form.sort.value2}`);
        }
      }
      if (form.sort.op === 'begins_with' && schema.sort.type === 'N') problems.push('begins_with works on string and binary sort keys, not numbers');
    }
  }
  if (form.limit !== undefined && (!Number.isInteger(form.limit) || form.limit < 1)) problems.push('Limit must be a whole number of at least 1');
  return problems;
}

function compare(type: ScalarType, a: string, b: string): number {
  if (type === 'N') return Number(a) - Number(b);
  if (type === 'B') return compareBytes(decodeBase64(a), decodeBase64(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

function decodeBase64(s: string): number[] {
  return [...atob(s.trim())].map((c) => c.charCodeAt(0));
}

function compareBytes(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function attributeValue(type: ScalarType, raw: string): Record<string, string> {
  return { [type]: type === 'S' ? raw : raw.trim() };
}

/** The Query request: names and values go through placeholders, so reserved words and odd characters are safe. */
export function buildQuery(schema: KeySchema, form: QueryForm): Record<string, unknown> {
  const problems = validateQuery(schema, form);
  if (problems.length) throw new Error(problems.join('; '));
  const names: Record<string, string> = { '#pk': schema.partition.name };
  const values: Record<string, unknown> = { ':pk': attributeValue(schema.partition.type, form.partitionValue) };
  let expression = '#pk = :pk';
  if (form.sort && schema.sort) {
    names['#sk'] = schema.sort.name;
    values[':sk'] = attributeValue(schema.sort.type, form.sort.value);
    const op = form.sort.op;
    if (op === 'between') {
      values[':sk2'] = attributeValue(schema.sort.type, form.sort.value2!);
      expression += ' AND #sk BETWEEN :sk AND :sk2';
    } else if (op === 'begins_with') expression += ' AND begins_with(#sk, :sk)';
    else expression += ` AND #sk ${op} :sk`;
  }
  return {
    TableName: form.table,
    ...(form.index ? { IndexName: form.index } : {}),
    KeyConditionExpression: expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ...(form.limit !== undefined ? { Limit: form.limit } : {}),
    ...(form.descending ? { ScanIndexForward: false } : {}),
    ...(form.startKey ? { ExclusiveStartKey: form.startKey } : {}),
  };
}
