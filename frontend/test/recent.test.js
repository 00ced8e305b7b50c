// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterStateChange, describeOutcome, loadRecent, MAX_RECENT, saveRecent, STORE_KEY, when } from '../js/recent.js';

/** Runs the page through states [state, peer, atMs] and returns the list. */
function through(steps, start = { list: [], current: null }) {
  let recent = start;
  let previous = 'idle';
  for (const [state, peer, at] of steps) {
    recent = afterStateChange(recent, previous, state, peer, at);
    previous = state;
  }
  return recent;
}

test('an answered outgoing call is listed with how long it lasted', () => {
  const { list, current } = through([['calling', 'bob', 1000], ['in-call', 'bob', 3000], ['idle', null, 153_000]]);
  assert.equal(current, null);
  assert.deepEqual(list, [{ peer: 'bob', direction: 'out', at: 1000, seconds: 150, outcome: 'talked' }]);
  assert.equal(describeOutcome(list[0]), 'talked 3 min');
});

test('an incoming call nobody accepted is missed; an outgoing one is not answered', () => {
  assert.equal(through([['ringing', 'carol', 0], ['idle', null, 30_000]]).list[0].outcome, 'missed');
  assert.equal(through([['calling', 'carol', 0], ['idle', null, 30_000]]).list[0].outcome, 'not answered');
});

test('when both call each other at once, the call that won is the one listed', () => {
  const { list } = through([['calling', 'bob', 0], ['ringing', 'bob', 100], ['in-call', 'bob', 2000], ['idle', null, 12_000]]);
  assert.deepEqual(list, [{ peer: 'bob', direction: 'in', at: 100, seconds: 10, outcome: 'talked' }]);
});

test('the newest call comes first and the list is capped', () => {
  let recent = { list: [], current: null };
  for (let i = 0; i < MAX_RECENT + 5; i++) recent = through([['calling', `u${i}`, i], ['idle', null, i + 1]], recent);
  assert.equal(recent.list.length, MAX_RECENT);
  assert.equal(recent.list[0].peer, `u${MAX_RECENT + 4}`);
});

test('the list survives a reload; malformed stored entries are left out', () => {
  const map = new Map();
  const storage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v) };
  const { list } = through([['ringing', 'dave', 5], ['idle', null, 9]]);
  saveRecent(storage, list);
  assert.deepEqual(loadRecent(storage), list);
  map.set(STORE_KEY, JSON.stringify([{ peer: 7 }, null, { peer: 'x', direction: 'sideways', at: 1, seconds: 0, outcome: 'missed' }, list[0]]));
  assert.deepEqual(loadRecent(storage), list);
  map.set(STORE_KEY, '{not json');
  assert.deepEqual(loadRecent(storage), []);
});

test('times read as people say them', () => {
  assert.equal(when(0, 30_000), 'just now');
  assert.equal(when(0, 5 * 60_000), '5 min ago');
  assert.equal(when(0, 3 * 3600_000), '3 h ago');
  assert.equal(when(0, 3 * 86400_000), '1970-01-01');
  assert.equal(describeOutcome({ peer: 'a', direction: 'in', at: 0, seconds: 42, outcome: 'talked' }), 'talked 42 s');
});
