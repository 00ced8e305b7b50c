// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callDuration } from '../js/format.js';

test('the call timer shows minutes and seconds, padded', () => {
  assert.equal(callDuration(0), '00:00');
  assert.equal(callDuration(9.99), '00:09');
  assert.equal(callDuration(61), '01:01');
  assert.equal(callDuration(3599), '59:59');
});

test('from the first hour on it shows hours, and minutes restart at every hour', () => {
  assert.equal(callDuration(3600), '1:00:00');
  assert.equal(callDuration(3661), '1:01:01');
  assert.equal(callDuration(2 * 3600 + 59 * 60 + 59), '2:59:59');
  assert.equal(callDuration(100 * 3600), '100:00:00');
});

test('a clock that went backwards never shows a negative time', () => {
  assert.equal(callDuration(-5), '00:00');
});
