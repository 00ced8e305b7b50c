// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stateChange } from '../js/callstate.js';
import { CALL_STATES } from '../js/protocol.js';

const { IDLE, CALLING, RINGING, IN_CALL } = CALL_STATES;

/** Which of stateChange's actions are on, in a stable order. */
const actions = (/** @type {string} */ previous, /** @type {string} */ next) =>
  Object.entries(stateChange(previous, next)).filter(([, on]) => on).map(([name]) => name);

test('placing a call starts the camera and asks for fresh ICE servers, once', () => {
  assert.deepEqual(actions(IDLE, CALLING), ['startAsCaller', 'askIceServers']);
  assert.deepEqual(actions(CALLING, CALLING), [], 'a repeated calling state starts nothing twice');
});

test('a ringing call asks for fresh ICE servers before the user accepts', () => {
  assert.deepEqual(actions(IDLE, RINGING), ['askIceServers']);
});

test('when both users call each other at once, the page that rings drops its own half-made call', () => {
  assert.deepEqual(actions(CALLING, RINGING), ['dropOwnCall', 'askIceServers']);
});

test('the timer starts when the call is answered, not again while it lasts', () => {
  assert.deepEqual(actions(CALLING, IN_CALL), ['startTimer']);
  assert.deepEqual(actions(RINGING, IN_CALL), ['startTimer']);
  assert.deepEqual(actions(IN_CALL, IN_CALL), []);
});

test('every way back to idle ends the call', () => {
  for (const previous of [IDLE, CALLING, RINGING, IN_CALL]) assert.deepEqual(actions(previous, IDLE), ['endCall'], previous);
});
