import { allPages, awsJson, scope } from './api.ts';
import { act, dataTable, emptyState, errorBox, field, h, link, pre, replace, section } from './dom.ts';
import { buildQuery, keySchemaOf, SORT_OPERATORS, type KeySchema, type SortOperator, type TableDescription } from './key-condition.ts';
import { liveRegion } from './live.ts';
import { href, type ViewContext } from './router.ts';

type Item = Record<string, Record<string, unknown>>;

export async function dynamodbView(ctx: ViewContext): Promise<void> {
  const [table] = ctx.parts;
  if (table) return tableView(ctx, table);
  const list = h('div');
  ctx.el.append(h('h1', {}, 'DynamoDB tables'), list);
  await liveRegion(ctx, list, () => allPages(async (ExclusiveStartTableName) => {
    const r = await awsJson('dynamodb', 'ListTables', { Limit: 100, ExclusiveStartTableName });
    return { items: r.TableNames as string[], next: r.LastEvaluatedTableName };
  }), (names) => dataTable('Tables', [{ title: 'Name', cell: (n: string) => link(href('dynamodb', [n]), n) }], names, `No tables in ${scope.account} / ${scope.region}.`));
}

/** Shows an item's key attributes briefly: the table's rows. */
function keyText(item: Item, schema: KeySchema): string {
  const v = (name: string) => {
    const a = item[name];
    return a ? String(Object.values(a)[0]) : '';
  };
  return schema.sort ? `${v(schema.partition.name)} · ${v(schema.sort.name)}` : v(schema.partition.name);
}

async function tableView(ctx: ViewContext, name: string): Promise<void> {
  const { Table: table } = (await awsJson('dynamodb', 'DescribeTable', { TableName: name })) as { Table: TableDescription & Record<string, any> };
  const base = keySchemaOf(table);
  const indexes = [...(table.GlobalSecondaryIndexes ?? []).map((i) => ({ ...i, kind: 'Global' })), ...(table.LocalSecondaryIndexes ?? []).map((i) => ({ ...i, kind: 'Local' }))];
  const results = h('div', { 'aria-live': 'polite' });
  const editor = h('div');
  ctx.el.append(
    h('h1', {}, name),
    h('nav', { class: 'crumbs' }, link(href('dynamodb'), 'Tables'), ' / ', name),
    h('dl', { class: 'meta' },
      h('dt', {}, 'Status'), h('dd', {}, table.TableStatus),
      h('dt', {}, 'Partition key'), h('dd', {}, `${base.partition.name} (${base.partition.type})`),
      base.sort ? [h('dt', {}, 'Sort key'), h('dd', {}, `${base.sort.name} (${base.sort.type})`)] : null,
      h('dt', {}, 'Items'), h('dd', {}, String(table.ItemCount ?? 0)),
      h('dt', {}, 'Billing'), h('dd', {}, table.BillingModeSummary?.BillingMode ?? 'PROVISIONED')),
    section('Indexes', dataTable('Indexes', [
      { title: 'Name', cell: (i) => i.IndexName },
      { title: 'Kind', cell: (i) => i.kind },
      { title: 'Key', cell: (i) => { const k = keySchemaOf(table, i.IndexName); return k.sort ? `${k.partition.name}, ${k.sort.name}` : k.partition.name; } },
    ], indexes, 'No secondary indexes.')),
    section('Query or scan', queryForm(table, results, editor, ctx)),
    results,
    editor,
  );
}

interface Request {
  op: 'Query' | 'Scan';
  input: Record<string, unknown>;
  schema: KeySchema;
}

function queryForm(table: TableDescription, results: HTMLElement, editor: HTMLElement, ctx: ViewContext): HTMLElement {
  const index = h('select', {}, h('option', { value: '' }, `${table.TableName} (table)`),
    [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].map((i) => h('option', { value: i.IndexName }, i.IndexName)));
  const pk = h('input', { required: true, autocomplete: 'off' });
  const op = h('select', {}, h('option', { value: '' }, '(any)'), SORT_OPERATORS.map((o) => h('option', { value: o }, o)));
  const sk = h('input', { autocomplete: 'off' });
  const sk2 = h('input', { autocomplete: 'off', hidden: true, 'aria-label': 'Upper bound' });
  const limit = h('input', { type: 'number', min: 1, value: 25 });
  const desc = h('input', { type: 'checkbox' });
  const pkLabel = h('span');
  const skLabel = h('span');
  const problems = h('div', { 'aria-live': 'assertive' });
  const sortRow = h('div', { class: 'row' }, field('Sort condition', op), field('Sort value', sk), sk2);
  const relabel = () => {
    const schema = keySchemaOf(table, index.value || undefined);
    pkLabel.textContent = `${schema.partition.name} (${schema.partition.type})`;
    skLabel.textContent = schema.sort ? `${schema.sort.name} (${schema.sort.type})` : '';
    sortRow.hidden = !schema.sort;
    sk2.hidden = op.value !== 'between';
  };
  index.addEventListener('change', relabel);
  op.addEventListener('change', relabel);
  const queryButton = h('button', { type: 'submit' }, 'Query');
  const scanButton = h('button', { type: 'button' }, 'Scan');
  const newButton = h('button', { type: 'button' }, 'New item');
  const form = h('form', { class: 'stack', 'aria-label': 'Query' },
    h('div', { class: 'row' }, field('Index', index), field('Partition key', pk), pkLabel),
    sortRow, h('div', { class: 'row' }, skLabel),
    h('div', { class: 'row' }, field('Limit', limit), h('label', { class: 'toggle' }, desc, ' Descending')),
    problems,
    h('div', { class: 'toolbar' }, queryButton, scanButton, newButton));
  relabel();
  let current: Request | undefined;
  const run = (req: Request) => {
    current = req;
    return showResults(table, req, results, editor, ctx);
  };
  ctx.live(async () => {
    if (current) await showResults(table, current, results, editor, ctx, true);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const schema = keySchemaOf(table, index.value || undefined);
    try {
      const input = buildQuery(schema, {
        table: table.TableName,
        ...(index.value ? { index: index.value } : {}),
        partitionValue: pk.value,
        ...(op.value && schema.sort ? { sort: { op: op.value as SortOperator, value: sk.value, value2: sk2.value } } : {}),
        ...(limit.value ? { limit: Number(limit.value) } : {}),
        descending: desc.checked,
      });
      replace(problems);
      void run({ op: 'Query', input, schema });
    } catch (err) {
      replace(problems, h('div', { class: 'error', role: 'alert' }, (err as Error).message));
    }
  });
  scanButton.addEventListener('click', () => {
    replace(problems);
    const schema = keySchemaOf(table, index.value || undefined);
    void run({ op: 'Scan', input: { TableName: table.TableName, ...(index.value ? { IndexName: index.value } : {}), ...(limit.value ? { Limit: Number(limit.value) } : {}) }, schema });
  });
  newButton.addEventListener('click', () => {
    const template: Item = {};
    const base = keySchemaOf(table);
    template[base.partition.name] = { [base.partition.type]: '' };
    if (base.sort) template[base.sort.name] = { [base.sort.type]: '' };
    editItem(table, template, editor, ctx, true);
  });
  return form;
}

async function showResults(table: TableDescription, req: Request, results: HTMLElement, editor: HTMLElement, ctx: ViewContext, quiet = false): Promise<void> {
  if (!quiet) replace(results, h('p', { class: 'busy' }, 'Running…'));
  let r: { Items: Item[]; Count: number; ScannedCount: number; LastEvaluatedKey?: Item };
  try {
    r = await awsJson('dynamodb', req.op, req.input);
  } catch (err) {
    replace(results, errorBox(err));
    return;
  }
  const next = r.LastEvaluatedKey
    ? h('button', { type: 'button', onclick: () => void showResults(table, { ...req, input: { ...req.input, ExclusiveStartKey: r.LastEvaluatedKey } }, results, editor, ctx) }, 'Next page ›')
    : null;
  const first = req.input.ExclusiveStartKey
    ? h('button', { type: 'button', onclick: () => { const { ExclusiveStartKey: _, ...input } = req.input; void showResults(table, { ...req, input }, results, editor, ctx); } }, '‹ First page')
    : null;
  const base = keySchemaOf(table);
  const rows = r.Items.length === 0
    ? emptyState(req.op === 'Query' ? 'No items match this key condition.' : 'The table is empty.')
    : h('div', { class: 'scroll' }, h('table', { 'aria-label': `${req.op} results` },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Item'), h('th', { scope: 'col' }, ''))),
      h('tbody', {}, r.Items.map((item) => h('tr', {},
        h('td', {}, keyText(item, base)),
        h('td', { class: 'body' }, h('code', {}, JSON.stringify(plain(item)).slice(0, 160))),
        h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => editItem(table, item, editor, ctx, false) }, 'View / edit')))))));
  replace(results, section(`${req.op} results`, h('p', { class: 'count', role: 'status' }, `${r.Count} items (${r.ScannedCount} scanned)`), rows, h('div', { class: 'pager' }, first, next)));
}

/** A compact reading of DynamoDB JSON for the list (the editor keeps exact types). */
function plain(item: Item): Record<string, unknown> {
  const conv = (v: Record<string, unknown>): unknown => {
    const [type, value] = Object.entries(v)[0] ?? [];
    if (type === 'M') return plain(value as Item);
    if (type === 'L') return (value as Record<string, unknown>[]).map(conv);
    if (type === 'N') return Number(value);
    return value;
  };
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, conv(v)]));
}

function editItem(table: TableDescription, item: Item, editor: HTMLElement, ctx: ViewContext, isNew: boolean): void {
  const base = keySchemaOf(table);
  const text = h('textarea', { rows: 14, spellcheck: false, class: 'code' });
  text.value = JSON.stringify(item, null, 2);
  const status = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit' }, isNew ? 'Create item' : 'Save item');
  const del = h('button', { type: 'button', class: 'danger', hidden: isNew }, 'Delete item');
  const close = h('button', { type: 'button', onclick: () => replace(editor) }, 'Close');
  const form = h('form', { class: 'stack', 'aria-label': 'Item editor' },
    field('Item (DynamoDB JSON)', text, 'Types as DynamoDB writes them: {"S": "text"}, {"N": "1"}, {"M": {…}}, {"L": […]}'),
    h('div', { class: 'toolbar' }, save, del, close), status);
  const parse = (): Item => {
    const value = JSON.parse(text.value) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('An item is a JSON object of attribute names to typed values');
    return value as Item;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void act(save, status, async () => {
      await awsJson('dynamodb', 'PutItem', { TableName: table.TableName, Item: parse() });
      await ctx.refresh();
      return 'Saved';
    });
  });
  del.addEventListener('click', () => {
    if (!confirm('Delete this item?')) return;
    void act(del, status, async () => {
      const key: Item = { [base.partition.name]: item[base.partition.name]! };
      if (base.sort) key[base.sort.name] = item[base.sort.name]!;
      await awsJson('dynamodb', 'DeleteItem', { TableName: table.TableName, Key: key });
      replace(editor);
      await ctx.refresh();
    });
  });
  replace(editor, section(isNew ? 'New item' : `Item ${keyText(item, base)}`, form, isNew ? null : h('details', {}, h('summary', {}, 'As stored'), pre(item))));
  text.focus();
}
