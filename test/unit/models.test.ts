import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GENERATED_DIR, renderTypes, TYPED_SERVICES } from '../../scripts/gen-types.ts';
import type { ServiceModel, ShapeRef } from '../../src/protocol/model-types.ts';
import { loadModel, serviceIndex } from '../../src/protocol/models.ts';

const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models');

/** Every shape reference of a model, with where it sits, for error messages. */
function refsOf(model: ServiceModel): Array<[string, ShapeRef]> {
  const refs: Array<[string, ShapeRef]> = [];
  for (const [name, op] of Object.entries(model.operations)) {
    if (op.input) refs.push([`operation ${name} input`, op.input]);
    if (op.output) refs.push([`operation ${name} output`, op.output]);
    for (const e of op.errors ?? []) refs.push([`operation ${name} error`, e]);
  }
  for (const [name, shape] of Object.entries(model.shapes)) {
    for (const [member, ref] of Object.entries(shape.members ?? {})) refs.push([`shape ${name}.${member}`, ref]);
    if (shape.member) refs.push([`shape ${name} member`, shape.member]);
    if (shape.key) refs.push([`shape ${name} key`, shape.key]);
    if (shape.value) refs.push([`shape ${name} value`, shape.value]);
  }
  return refs;
}

test('index lists exactly the committed model files', () => {
  const files = readdirSync(MODELS_DIR).filter((f) => f.endsWith('.json.gz')).map((f) => f.slice(0, -'.json.gz'.length));
  const ids = serviceIndex().map((e) => e.id);
  assert.deepEqual([...ids].sort(), files.sort());
  assert.equal(new Set(ids).size, ids.length, 'duplicate ids in models/index.json');
});

test('index entries carry routing metadata', () => {
  for (const e of serviceIndex()) {
    assert.ok(e.protocols.length > 0, `${e.id}: no protocols`);
    assert.ok(e.signingName, `${e.id}: no signingName`);
    assert.ok(e.endpointPrefix, `${e.id}: no endpointPrefix`);
    if (e.protocols.includes('json') || e.protocols.includes('smithy-rpc-v2-cbor')) {
      assert.ok(e.targetPrefix, `${e.id}: ${e.protocols.join('/')} service without targetPrefix`);
    }
  }
});

test('sqs speaks json and query (model-overrides.json)', () => {
  const sqs = serviceIndex().find((e) => e.id === 'sqs');
  assert.deepEqual(sqs?.protocols, ['json', 'query']);
  assert.deepEqual(loadModel('sqs').metadata.protocols, ['json', 'query']);
});

test('every model loads and every shape reference resolves', (t) => {
  let operations = 0;
  let shapes = 0;
  for (const entry of serviceIndex()) {
    const model = loadModel(entry.id);
    assert.equal(model.id, entry.id);
    assert.ok(entry.protocols.includes(model.metadata.protocol), `${entry.id}: metadata.protocol not in index protocols`);
    for (const [where, ref] of refsOf(model)) {
      assert.ok(Object.hasOwn(model.shapes, ref.shape), `${entry.id}: ${where} -> unknown shape ${ref.shape}`);
    }
    // CloudFront operation names carry an API-version suffix (key AssociateAlias, name AssociateAlias2020_05_31).
    for (const [name, op] of Object.entries(model.operations)) assert.ok(op.name.startsWith(name), `${entry.id}: ${name} named ${op.name}`);
    operations += Object.keys(model.operations).length;
    shapes += Object.keys(model.shapes).length;
  }
  t.diagnostic(`${serviceIndex().length} models, ${operations} operations, ${shapes} shapes`);
});

test('generated types are up to date with the models (run npm run gen:models)', () => {
  for (const id of TYPED_SERVICES) {
    const committed = readFileSync(join(GENERATED_DIR, `${id}.ts`), 'utf8');
    assert.ok(committed === renderTypes(loadModel(id)), `src/generated/${id}.ts is stale`);
  }
});
