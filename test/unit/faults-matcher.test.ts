import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultHistory } from '../../src/faults/history.ts';
import { FaultInjector, matches, type FaultRequest } from '../../src/faults/injector.ts';
import { injectedError } from '../../src/faults/presets.ts';
import { globMatch, resourcesOf } from '../../src/faults/resources.ts';
import { parseRule } from '../../src/faults/rules.ts';
import { TokenBucket } from '../../src/faults/token-bucket.ts';
import { createLogger } from '../../src/server/logger.ts';
import { AwsError } from '../../src/protocol/aws-error.ts';

const base: FaultRequest = {
  service: 'sqs', operation: 'SendMessage', protocol: 'json', account: '000000000000', region: 'us-east-1',
  input: { QueueUrl: 'http://localhost:4566/000000000000/orders' }, method: 'POST', path: '/', requestId: 'r',
};

test('globs: * is any run of characters, the rest is literal', () => {
  assert.ok(globMatch('orders', 'orders'));
  assert.ok(!globMatch('orders', 'orders2'));
  assert.ok(globMatch('b/logs/*', 'b/logs/2024/x'));
  assert.ok(globMatch('*', ''));
  assert.ok(globMatch('a*c*e', 'abcde'));
  assert.ok(!globMatch('a*c*e', 'abde'));
  assert.ok(!globMatch('ab*ba', 'aba'));
  assert.ok(globMatch('*.?', 'x.?'), 'regex characters are literal');
});

test('resources: queue URL -> URL, name and ARN; S3 bucket and bucket/key; ARNs -> short name', () => {
  assert.deepEqual(resourcesOf(base.input, 'sqs', 'eu-west-1'), [
    'http://localhost:4566/000000000000/orders', 'orders', 'arn:aws:sqs:eu-west-1:000000000000:orders',
  ]);
  assert.deepEqual(resourcesOf({ Bucket: 'b', Key: 'k/1' }, 's3', 'us-east-1'), ['b', 'b/k/1']);
  assert.deepEqual(resourcesOf({ TopicArn: 'arn:aws:sns:us-east-1:1:t' }, 'sns', 'us-east-1'), ['arn:aws:sns:us-east-1:1:t', 't']);
  assert.deepEqual(resourcesOf({ FunctionName: 'arn:aws:lambda:us-east-1:1:function:fn' }, 'lambda', 'us-east-1').at(-1), 'fn');
  assert.deepEqual(resourcesOf({ MessageBody: 'orders' }, 'sqs', 'us-east-1'), []);
});

test('matching: every given criterion must hold, lists are alternatives', () => {
  const m = (match: unknown) => matches(parseRule('r', { match, error: 'throttle' }).match, base, () => resourcesOf(base.input, 'sqs', base.region));
  assert.ok(m({}));
  assert.ok(m({ service: ['s3', 'sqs'], operation: 'SendMessage', method: 'post', path: '/*' }));
  assert.ok(m({ resource: 'orders' }));
  assert.ok(m({ resource: 'arn:aws:sqs:us-east-1:*:ord*' }));
  assert.ok(!m({ resource: 'other' }));
  assert.ok(!m({ service: 'sqs', operation: 'ReceiveMessage' }));
  assert.ok(!m({ region: 'eu-west-1' }));
  assert.ok(!m({ account: '111111111111' }));
  assert.ok(!m({ method: 'GET' }));
});

test('presets per service and protocol', () => {
  const e = (preset: 'throttle' | 'internal' | 'unavailable', service: string, protocol: string) => {
    const err = injectedError(preset, service, protocol, 'r');
    return `${err.code}:${err.status}`;
  };
  assert.equal(e('throttle', 'dynamodb', 'json'), 'ProvisionedThroughputExceededException:400');
  assert.equal(e('throttle', 's3', 'rest-xml'), 'SlowDown:503');
  assert.equal(e('throttle', 'sts', 'query'), 'Throttling:400');
  assert.equal(e('throttle', 'kms', 'json'), 'ThrottlingException:400');
  assert.equal(e('throttle', 'lambda', 'rest-json'), 'TooManyRequestsException:429');
  assert.equal(e('internal', 'sqs', 'query'), 'InternalError:500');
  assert.equal(e('internal', 'kms', 'json'), 'InternalFailure:500');
  assert.equal(e('unavailable', 'ec2', 'ec2'), 'ServiceUnavailable:503');
  const custom = injectedError({ code: 'Boom', status: 502 }, 'sqs', 'json', 'r9');
  assert.equal(custom.message, 'Injected by kumo fault rule r9');
  assert.equal(custom.sender, false);
});

test('token bucket: starts full, refills with time, ignores a clock set backwards', () => {
  const b = new TokenBucket({ rate: 2, burst: 2 }, 0);
  assert.deepEqual([b.take(0), b.take(0), b.take(0)], [true, true, false]);
  assert.equal(b.take(499), false);
  assert.equal(b.take(500), true);
  assert.equal(b.take(-10_000), false);
  assert.deepEqual([b.take(10_000), b.take(10_000), b.take(10_000)], [true, true, false]);
});

test('history keeps the last N events in order', () => {
  const h = new FaultHistory(3);
  for (let i = 1; i <= 5; i++) h.add({ time: '', rule: `r${i}`, requestId: '', service: '', operation: '', account: '', region: '', action: 'error' });
  assert.deepEqual(h.list().map((e) => [e.seq, e.rule]), [[3, 'r3'], [4, 'r4'], [5, 'r5']]);
  h.clear();
  assert.deepEqual(h.list(), []);
});

test('injector: after/times/probability are deterministic per seed and per rule', async () => {
  const run = async (seed: string, extraRule: boolean) => {
    const inj = new FaultInjector({ now: () => 0, frozen: true }, seed, createLogger('error'));
    if (extraRule) inj.put(parseRule('other', { match: { service: 's3' }, error: 'internal', probability: 0.5 }));
    inj.put(parseRule('dice', { error: 'throttle', probability: 0.5, after: 2, times: 6 }));
    let out = '';
    for (let i = 0; i < 30; i++) out += await inj.apply(base).then(() => '.', (e) => (e instanceof AwsError ? 'x' : '?'));
    return out;
  };
  const a = await run('s', false);
  assert.equal(a, await run('s', false));
  assert.equal(a, await run('s', true), "another rule's draws do not shift this rule's");
  assert.equal(a.slice(0, 2), '..');
  assert.equal([...a].filter((c) => c === 'x').length, 6);
});
