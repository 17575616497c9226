import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';
import { history, putRule } from './helpers.ts';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kumo-faults-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Sends `n` messages and returns which of them failed, as a string of `x` (fault) and `.` (ok). */
async function pattern(seed: string, faultsFile: string, n: number): Promise<string> {
  const kumo = await startTestKumo({ seed, faults: faultsFile });
  const sqs = new SQSClient(clientConfig(kumo.endpoint));
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'dice' }));
    let out = '';
    for (let i = 0; i < n; i++) {
      out += await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: String(i) })).then(() => '.', () => 'x');
    }
    assert.equal((await history(kumo.endpoint)).length, [...out].filter((c) => c === 'x').length);
    return out;
  } finally {
    sqs.destroy();
    await kumo.stop();
  }
}

test('a probability rule with a seed fires the same pattern twice (JSON file)', async () => {
  const file = join(scratch, 'dice.json');
  await writeFile(file, JSON.stringify({ rules: [{ id: 'dice', match: { service: 'sqs', operation: 'SendMessage' }, error: 'throttle', probability: 0.5 }] }));
  const first = await pattern('same-seed', file, 24);
  const second = await pattern('same-seed', file, 24);
  assert.equal(first, second);
  assert.match(first, /x/);
  assert.match(first, /\./);
  const other = await pattern('other-seed', file, 24);
  assert.notEqual(other, first);
});

test('rules load from a YAML file', async () => {
  const file = join(scratch, 'faults.yaml');
  await writeFile(file, [
    'rules:',
    '  - id: every-second',
    '    match: { service: sqs, operation: SendMessage }',
    '    error: { code: InternalError, status: 500 }',
    '    after: 1',
    '    times: 1',
  ].join('\n'));
  assert.equal(await pattern('yaml', file, 3), '.x.');
});

test('a bad KUMO_FAULTS file stops startup with a message naming the file and the field', async () => {
  const cases: Array<[string, string, RegExp]> = [
    ['bad.json', '{"rules": [', /bad\.json is not valid JSON/],
    ['bad.yaml', 'rules: [ {', /bad\.yaml is not valid YAML/],
    ['service.json', JSON.stringify([{ id: 'a', match: { service: 'dynamo' }, error: 'throttle' }]), /rules\[0\]\.match\.service: unknown service "dynamo"/],
    ['op.json', JSON.stringify([{ id: 'a', match: { service: 'sqs', operation: 'PutItem' }, error: 'throttle' }]), /rules\[0\]\.match\.operation: unknown operation "PutItem"/],
    ['times.json', JSON.stringify([{ id: 'a', error: 'throttle', times: -1 }]), /rules\[0\]\.times: must be a non-negative integer/],
    ['p.json', JSON.stringify([{ id: 'a', error: 'throttle', probability: 1.5 }]), /rules\[0\]\.probability: must be a number between 0 and 1/],
    ['noid.json', JSON.stringify([{ error: 'throttle' }]), /rules\[0\]\.id: is required/],
  ];
  for (const [name, text, message] of cases) {
    const file = join(scratch, name);
    await writeFile(file, text);
    await assert.rejects(startTestKumo({ faults: file }), (err: Error) => {
      assert.match(err.message, /^KUMO_FAULTS: /);
      assert.match(err.message, message);
      return true;
    }, name);
  }
  await assert.rejects(startTestKumo({ faults: join(scratch, 'missing.json') }), /KUMO_FAULTS: cannot read .*missing\.json/);
});

test('control endpoints: invalid rules get a 400 naming the field; content type is required', async () => {
  const kumo = await startTestKumo();
  try {
    const bad: Array<[unknown, RegExp]> = [
      [{ match: { service: 'nope' }, error: 'throttle' }, /^match\.service: unknown service "nope"/],
      [{ match: { service: 'dynamodb', operation: 'SendMessage' }, error: 'throttle' }, /^match\.operation: /],
      [{ match: { operation: 'PutItem' }, error: 'throttle' }, /^match\.operation: needs match\.service/],
      [{ error: 'throttle', times: -2 }, /^times: /],
      [{ error: 'throttle', after: 1.5 }, /^after: /],
      [{ error: 'throttle', probability: -0.1 }, /^probability: /],
      [{ delay: -5 }, /^delay: /],
      [{ delay: { p50: 100, p90: 50 } }, /^delay: values must not decrease/],
      [{ error: 'sometimes' }, /^error: /],
      [{ error: { code: 'X', status: 200 } }, /^error\.status: /],
      [{ error: 'throttle', reset: true }, /^reset: cannot be combined with error/],
      [{ match: { service: 'sqs' } }, /^rule: needs an action/],
      [{ error: 'throttle', from: 'soon' }, /^from: /],
      [{ error: 'throttle', bogus: 1 }, /^bogus: unknown field/],
      [{ error: 'throttle', rateLimit: { rate: -1 } }, /^rateLimit\.rate: /],
      [[1, 2], /^rule: must be a JSON object/],
    ];
    for (const [rule, message] of bad) {
      const r = await putRule(kumo.endpoint, 'bad', rule);
      assert.equal(r.status, 400, JSON.stringify(rule));
      assert.equal(r.json.error, 'InvalidFaultRule');
      assert.match(r.json.message, message);
    }
    const notJson = await fetch(`${kumo.endpoint}/kumo/faults/x`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{nope' });
    assert.equal(notJson.status, 400);
    assert.match(((await notJson.json()) as any).message, /not valid JSON/);
    const form = await fetch(`${kumo.endpoint}/kumo/faults/x`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: '{"error":"throttle"}' });
    assert.equal(form.status, 415);
    const reserved = await putRule(kumo.endpoint, 'history', { error: 'throttle' });
    assert.equal(reserved.status, 400);
    const list = (await (await fetch(`${kumo.endpoint}/kumo/faults`)).json()) as any;
    assert.deepEqual(list.rules, []);
  } finally {
    await kumo.stop();
  }
});

test('control endpoints: put, get, list, replace, delete, reset', async () => {
  const kumo = await startTestKumo();
  const del = (id: string) => fetch(`${kumo.endpoint}/kumo/faults/${id}`, { method: 'DELETE', headers: { 'content-type': 'application/json' } });
  try {
    const put = await putRule(kumo.endpoint, 'a', { match: { service: 's3', resource: 'bucket/logs/*' }, delay: { p50: 10, p99: 20 } });
    assert.equal(put.status, 200);
    assert.equal(put.json.id, 'a');
    assert.deepEqual(put.json.stats, { matches: 0, fired: 0, active: true });
    await putRule(kumo.endpoint, 'b', { error: 'throttle', until: '2000-01-01T00:00:00Z' });
    const got = (await (await fetch(`${kumo.endpoint}/kumo/faults/a`)).json()) as any;
    assert.deepEqual(got.match, { service: 's3', resource: 'bucket/logs/*' });
    let list = (await (await fetch(`${kumo.endpoint}/kumo/faults`)).json()) as any;
    assert.deepEqual(list.rules.map((r: any) => r.id), ['a', 'b']);
    assert.equal(list.active, 1, 'a window that has ended is not active');
    assert.equal((await putRule(kumo.endpoint, 'a', { error: 'internal' })).json.error, 'internal');
    assert.equal((await del('b')).status, 200);
    assert.equal((await del('b')).status, 404);
    assert.equal((await fetch(`${kumo.endpoint}/kumo/faults/b`)).status, 404);
    const reset = await fetch(`${kumo.endpoint}/kumo/faults/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    assert.equal(reset.status, 200);
    list = (await (await fetch(`${kumo.endpoint}/kumo/faults`)).json()) as any;
    assert.deepEqual(list.rules, []);
  } finally {
    await kumo.stop();
  }
});
