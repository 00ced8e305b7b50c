import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseObject } from '../js/json.js';

test('an object within the limit comes back; anything else is null, never a throw', () => {
  assert.deepEqual(parseObject('{"t":"ping","id":1}', 100), { t: 'ping', id: 1 });
  assert.equal(parseObject('{"t":"ping"}', 5), null);
  assert.equal(parseObject('not json', 100), null);
  assert.equal(parseObject('42', 100), null);
  assert.equal(parseObject('null', 100), null);
  assert.equal(parseObject(new ArrayBuffer(4), 100), null);
  assert.equal(parseObject(undefined, 100), null);
  assert.deepEqual(parseObject('[1,2]', 100), [1, 2]);
});
