import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AwsError } from '../../src/protocol/aws-error.ts';
import type { Item } from '../../src/services/dynamodb/attribute-value.ts';
import { matches } from '../../src/services/dynamodb/expressions/evaluate.ts';
import type { Statement } from '../../src/services/dynamodb/partiql/ast.ts';
import { parseStatement } from '../../src/services/dynamodb/partiql/parser.ts';
import { tokenize } from '../../src/services/dynamodb/partiql/tokenizer.ts';
import { Translator } from '../../src/services/dynamodb/partiql/translate.ts';
import { bindValue } from '../../src/services/dynamodb/partiql/values.ts';

function fails(f: () => unknown, message: string): void {
  assert.throws(f, (e: AwsError) => {
    assert.equal(e.code, 'ValidationException');
    assert.equal(e.message, message);
    return true;
  });
}

const WELL = "Statement wasn't well formed, can't be processed: ";

test('tokens: quoted names and strings with doubled quotes, comments, numbers, operators', () => {
  const toks = tokenize(`SELECT "a""b", 'it''s' -- note\n FROM t /* x */ WHERE n >= 1.5e3 AND s <> ? AND b = <<1>>`);
  assert.deepEqual(toks.map((t) => `${t.kind}:${t.text}`), [
    'ident:SELECT', 'quoted:a"b', 'op:,', "string:it's", 'ident:FROM', 'ident:t', 'ident:WHERE', 'ident:n', 'op:>=', 'number:1.5e3',
    'ident:AND', 'ident:s', 'op:<>', 'param:?', 'ident:AND', 'ident:b', 'op:=', 'op:<<', 'number:1', 'op:>>', 'eof:',
  ]);
  fails(() => tokenize('SELECT * FROM t # x'), WELL);
  fails(() => tokenize("SELECT 'open"), WELL);
  fails(() => tokenize('SELECT * FROM t WHERE a = 1e2147483648'), WELL);
});

test('statements parse into their parts; parameters are counted in order', () => {
  const p = parseStatement(`SELECT a.b[2], "c" FROM "T"."I" WHERE x = ? AND y IN [?, 3] ORDER BY x DESC;`);
  assert.equal(p.parameters, 2);
  assert.equal(p.statement.kind, 'select');
  const s = p.statement as Extract<typeof p.statement, { kind: 'select' }>;
  assert.deepEqual(s.source, { table: 'T', index: 'I' });
  assert.deepEqual(s.projection!.map((e) => (e.k === 'path' ? e.text : '?')), ['b[2]', 'c']);
  assert.equal(s.order!.descending, true);
  const u = parseStatement(`UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c, d[0] SET e = 'x' WHERE pk = 'k' RETURNING MODIFIED NEW *`).statement;
  assert.equal(u.kind, 'update');
  assert.deepEqual((u as Extract<typeof u, { kind: 'update' }>).actions.map((a) => a.op), ['set', 'set', 'remove', 'remove', 'set']);
  assert.equal((u as Extract<typeof u, { kind: 'update' }>).returning, 'MODIFIED NEW');
  assert.equal(parseStatement(`EXISTS(SELECT * FROM t WHERE pk = 'a' AND v = 1)`).statement.kind, 'exists');
});

test('parse errors carry AWS texts', () => {
  fails(() => parseStatement('SELECT * FROM t WHERE pk = 1 foo'), `${WELL}Unexpected token after expression`);
  fails(() => parseStatement('SELECT * FROM t WHERE pk = 1)'), `${WELL}Unexpected token after expression`);
  fails(() => parseStatement('DELETE FROM t WHERE pk = 1 ORDER BY pk'), `${WELL}Unexpected token after expression`);
  fails(() => parseStatement('SELECT * FROM t WHERE NOT'), `${WELL}Unexpected term`);
  fails(() => parseStatement('SELECT * FROM t WHERE ('), `${WELL}Unexpected term`);
  fails(() => parseStatement('SELECT * FROM'), `${WELL}Unexpected term`);
  fails(() => parseStatement("SELECT * FROM t WHERE pk = 'p1' OR"), `${WELL}Missing right-hand side expression of infix operator`);
  fails(() => parseStatement('SELECT * FROM t WHERE pk = LIKE'), `${WELL}Unexpected operator`);
  fails(() => parseStatement("SELECT * FROM t WHERE pk = 'a' AND x IS FOO"), `${WELL}Expected type name`);
  fails(() => parseStatement("DELETE FROM WHERE pk = 'a'"), `${WELL}Expected identifier for simple path`);
  fails(() => parseStatement("UPDATE t x SET a = 3 WHERE pk = 'x'"), 'Aliasing is not supported');
  fails(() => parseStatement("INSERT INTO t x VALUE {'pk': 'x'}"), `${WELL}Unexpected token after expression`);
  fails(() => parseStatement("INSERT INTO t VALUE {'pk': 'x'} RETURNING ALL OLD *"), 'RETURNING is not supported in INSERT');
  fails(() => parseStatement("UPDATE t SET a = 1 WHERE pk = 'x' RETURNING ALL OLD"), "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
  fails(() => parseStatement('SELECT *, a FROM t'), "Other attributes should not be present in the projection when '*' is used.");
  fails(() => parseStatement('CREATE TABLE t'), `${WELL}Expected data manipulation`);
});

test('values: literals become attribute values, numbers checked under their path', () => {
  const e = (src: string) => (parseStatement(`INSERT INTO t VALUE ${src}`).statement as Extract<Statement, { kind: 'insert' }>).value;
  assert.deepEqual(bindValue(e(`{'a': -0012.50, 'b': [true, null], 'c': <<3, 1>>, 'd': {'e': 'f'}}`), []), {
    M: { a: { N: '-12.5' }, b: { L: [{ BOOL: true }, { NULL: true }] }, c: { NS: ['3', '1'] }, d: { M: { e: { S: 'f' } } } },
  });
  fails(() => bindValue(e(`{'m': {'x': 1e126}}`), [], 'root', true),
    'Number overflow. Attempting to store a number with magnitude larger than supported range under root.x');
  fails(() => bindValue(e(`{'a': 1, 'a': 2}`), []), 'Duplicate keys in tuple. Key: a under root');
  fails(() => bindValue(e(`{'s': <<'a', 'a'>>}`), []), 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.');
});

test('WHERE clauses translate to conditions with DynamoDB semantics', () => {
  const where = (src: string, params: { S?: string; N?: string }[] = []) => {
    const s = parseStatement(`SELECT * FROM t WHERE ${src}`).statement as Extract<Statement, { kind: 'select' }>;
    return new Translator(params as never).condition(s.where!);
  };
  const item: Item = { pk: { S: 'a' }, n: { N: '5' }, s: { SS: ['x'] }, m: { M: { k: { S: 'abc' } } }, z: { NULL: true } };
  const yes = ["pk = 'a'", 'n BETWEEN 1 AND 5', "m.k IN ['q', 'abc']", "begins_with(m.k, 'ab')", "contains(s, 'x')", 'gone IS MISSING',
    'z IS NULL', 'n IS NUMERIC', 'NOT n < 5', "size(m.k) = 3 AND attribute_type(s, 'SS')", "n <> 4 OR pk = 'b'"];
  for (const src of yes) assert.equal(matches(where(src), item), true, src);
  for (const src of ['n > 5', "pk = 'A'", 'n IS NOT NUMERIC', 'm IS MISSING', "n = '5'"]) assert.equal(matches(where(src), item), false, src);
  assert.equal(matches(where('n = ?', [{ N: '5' }]), item), true);
  fails(() => where("unknown_fn(a, 'b')"), 'Unrecognized function: unknown_fn');
  fails(() => where('a < true'), 'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL');
  fails(() => where('a IS INT'), 'Unsupported data type for IS operator: INT. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]');
});
