// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as protocol from '../js/protocol.js';

const { FROM_TAB, TO_TAB, CALL_STATES, DATA_CHANNELS, FILE_MESSAGES } = protocol;

test('message names cannot be changed at run time', () => {
  for (const table of [FROM_TAB, TO_TAB, CALL_STATES, DATA_CHANNELS, FILE_MESSAGES]) {
    assert.ok(Object.isFrozen(table));
    assert.throws(() => { /** @type {any} */ (table).NEW = 'x'; }, TypeError);
  }
  for (const channel of Object.values(DATA_CHANNELS)) assert.ok(Object.isFrozen(channel));
});

test('within one direction every message type is unique and lower-case-with-dashes', () => {
  for (const table of [FROM_TAB, TO_TAB, CALL_STATES, FILE_MESSAGES]) {
    const values = Object.values(table);
    assert.equal(new Set(values).size, values.length, `duplicate in ${JSON.stringify(table)}`);
    for (const value of values) assert.match(value, /^[a-z][a-z-]*$/);
  }
});

test('a name the tab sends and receives means the same thing both ways', () => {
  // The gateway forwards SDP and candidates unchanged, and answers ice-servers with ice-servers.
  const both = Object.keys(FROM_TAB).filter((key) => key in TO_TAB).sort();
  for (const key of both) assert.equal(/** @type {any} */ (FROM_TAB)[key], /** @type {any} */ (TO_TAB)[key], key);
  for (const key of ['OFFER', 'ANSWER', 'CANDIDATE']) assert.ok(both.includes(key), key);
});

test('DataChannels have distinct labels and negotiated ids', () => {
  const channels = Object.values(DATA_CHANNELS);
  assert.equal(new Set(channels.map((c) => c.label)).size, channels.length);
  assert.equal(new Set(channels.map((c) => c.id)).size, channels.length);
  for (const c of channels) assert.ok(Number.isInteger(c.id) && c.id >= 0 && c.id < 1024, c.label);
  // Re-opened files channels take ids from here on: none of them may collide with a fixed channel.
  assert.ok(channels.every((c) => c.id < protocol.FILES_REOPENED_FIRST_ID));
});

test('the socket path and size limit are what the gateway serves', () => {
  assert.equal(protocol.WS_PATH, '/ws');
  assert.equal(protocol.MAX_MESSAGE_BYTES, 256 * 1024);
});
