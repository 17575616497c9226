import assert from 'node:assert/strict';
import { test } from 'node:test';
import { md5Hex, md5OfAttributes } from '../../src/services/sqs/md5.ts';

const s = (StringValue: string) => ({ DataType: 'String', StringValue });

// Digests below were returned by SQS itself for these attributes (recorded AWS responses).
test('body digest is the MD5 of the UTF-8 body', () => {
  assert.equal(md5Hex('msg'), '6e2baaf3b97dbeef01c0043275f9a0e7');
  assert.equal(md5Hex('test'), '098f6bcd4621d373cade4e832627b4f6');
});

test('single string attribute', () => {
  assert.equal(md5OfAttributes({ Foo: s('Bar') }), 'ae7155c6026991b6d54b11589678bf9c');
  assert.equal(md5OfAttributes({ MyAttribute: s('foobar') }), 'adb59cd4678ea5a855436b949cd07ab6');
});

test('several string attributes are digested in name order, whatever the input order', () => {
  const all = { Hello: s('There'), 'Help.Me': s('Me'), General: s('Kenobi') };
  assert.equal(md5OfAttributes(all), '4c360f3fdafd970e05fae2f149d997f5');
  assert.equal(md5OfAttributes({ Hello: s('There'), General: s('Kenobi') }), 'fca026605781cb4126a1e9044df24232');
  assert.equal(md5OfAttributes({ Hello: s('There') }), 'a311262e065454b75da111d535b8dacd');
  assert.equal(md5OfAttributes({ 'Help.Me': s('Me'), Hello: s('There') }), '83fee93c1bcd8b9a5a923ffacdc636c7');
});

test('binary attribute', () => {
  const value = Buffer.from('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01', 'latin1');
  assert.equal(md5OfAttributes({ attr1: { DataType: 'Binary', BinaryValue: value } }), '8cbe4db156db8a94db8b801b7addb984');
});

test('no attributes, no digest', () => {
  assert.equal(md5OfAttributes(undefined), undefined);
  assert.equal(md5OfAttributes({}), undefined);
});
