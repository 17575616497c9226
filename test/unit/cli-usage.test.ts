import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { CLI } from '../helpers/process.ts';

function kumo(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, KUMO_ENDPOINT: 'http://127.0.0.1:9' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const COMMANDS = ['start', 'status', 'reset', 'snapshot', 'clock', 'fixtures', 'state'];

test('--version and --help exit 0; no command exits 2 with the usage', () => {
  assert.match(kumo('--version').stdout, /^\d+\.\d+\.\d+\n$/);
  const help = kumo('--help');
  assert.equal(help.code, 0);
  for (const c of COMMANDS) assert.match(help.stdout, new RegExp(`^  ${c} `, 'm'));
  const none = kumo();
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: kumo COMMAND/);
});

test('every command has --help (exit 0, its own usage)', () => {
  for (const c of COMMANDS) {
    const r = kumo(c, '--help');
    assert.equal(r.code, 0, `${c} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Usage: kumo ${c}`));
  }
});

test('unknown commands, unknown flags and wrong arguments exit 2 with usage', () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /unknown command "frobnicate"/],
    [['start', '--no-such-flag'], /Unknown option '--no-such-flag'/],
    [['status', '--verbose'], /Unknown option/],
    [['reset', 'sqs', 's3'], /unexpected argument "s3"/],
    [['snapshot', 'save'], /missing argument/],
    [['snapshot', 'copy', '/tmp/x'], /unknown action "copy"/],
    [['clock', 'set'], /takes one argument/],
    [['clock', 'set', 'yesterday'], /not a time/],
    [['clock', 'advance', 'a while'], /not a duration/],
    [['clock', 'rewind'], /unknown action "rewind"/],
    [['fixtures', 'remove', 'f.json'], /unknown action "remove"/],
    [['state', 'dump'], /missing argument/],
    [['state', 'verify', '/tmp', '--output', 'x'], /options of dump/],
    [['status', '--wait', 'soon'], /--wait takes a number/],
  ];
  for (const [args, message] of cases) {
    const r = kumo(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.match(r.stderr, /Usage: kumo/, args.join(' '));
  }
});

test('start with an invalid setting exits 1 naming it', () => {
  const r = kumo('start', '--port', '99999');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /invalid configuration: invalid port: 99999/);
});

test('commands that need a running kumo exit 1 when none answers', () => {
  for (const args of [['status'], ['reset'], ['clock'], ['snapshot', 'save', '/tmp/kumo-none']]) {
    const r = kumo(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, /cannot reach kumo at http:\/\/127\.0\.0\.1:9/);
  }
});
