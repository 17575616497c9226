import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { parseDuration } from '../../src/control/duration.ts';
import { BrowserGuard, isLocalName } from '../../src/server/security.ts';

test('defaults: loopback, 4566, memory, fsync, default account and region', () => {
  const c = loadConfig({});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 4566);
  assert.equal(c.dataDir, undefined);
  assert.equal(c.durability, 'fsync');
  assert.equal(c.accountId, '000000000000');
  assert.equal(c.region, 'us-east-1');
});

test('CLI flags override env vars', () => {
  const c = loadConfig({ KUMO_PORT: '5000', KUMO_SERVICES: 'sqs, s3' }, { port: '0' });
  assert.equal(c.port, 0);
  assert.deepEqual(c.services, ['sqs', 's3']);
});

test('invalid values are refused with a clear message', () => {
  assert.throws(() => loadConfig({ KUMO_PORT: '70000' }), ConfigError);
  assert.throws(() => loadConfig({ KUMO_DURABILITY: 'sometimes' }), /durability/);
  assert.throws(() => loadConfig({ KUMO_ACCOUNT_ID: '12' }), /account/);
  assert.throws(() => loadConfig({ KUMO_HOST: 'not a host' }), /host/);
});

test('ISO 8601 durations and milliseconds', () => {
  assert.equal(parseDuration('PT5M'), 300_000);
  assert.equal(parseDuration('P1DT2H'), 93_600_000);
  assert.equal(parseDuration('PT0.5S'), 500);
  assert.equal(parseDuration(1500), 1500);
  assert.equal(parseDuration('P'), undefined);
  assert.equal(parseDuration('PT'), undefined);
  assert.equal(parseDuration(-1), undefined);
  assert.equal(parseDuration('5 minutes'), undefined);
});

test('local names', () => {
  for (const n of ['localhost', 'bucket.localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'localhost.localstack.cloud']) assert.ok(isLocalName(n), n);
  for (const n of ['example.com', '10.0.0.1', 'localhost.evil.com', '0.0.0.0']) assert.ok(!isLocalName(n), n);
});

test('origin allow list', () => {
  const g = new BrowserGuard('127.0.0.1', ['https://ok.test'], []);
  assert.ok(g.originAllowed(undefined));
  assert.ok(g.originAllowed('http://localhost:3000'));
  assert.ok(g.originAllowed('https://ok.test'));
  assert.ok(!g.originAllowed('https://evil.test'));
  assert.ok(!g.originAllowed('null'));
  assert.ok(!g.originAllowed('file://'));
  assert.ok(new BrowserGuard('127.0.0.1', ['*'], []).originAllowed('https://any.test'));
});
