import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayText, MAX_NAME_CHARS } from '../js/text.js';

test('bidi overrides, zero-width and control characters are dropped', () => {
  assert.equal(displayText('m\u202Eallory\u200B\n'), 'mallory');
  assert.equal(displayText('\u2066evil\u2069\u0000'), 'evil');
});

test('long names are cut, letters of any script are kept', () => {
  const shown = displayText('x'.repeat(3000));
  assert.equal([...shown].length, MAX_NAME_CHARS + 1);
  assert.ok(shown.endsWith('…'));
  assert.equal(displayText('Zoë 王小明 علي'), 'Zoë 王小明 علي');
  assert.equal(displayText(null), '');
});
