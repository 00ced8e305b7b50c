// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_UPLINK_BPS, legBudget, offers } from '../js/conference.js';

test('exactly one of two members makes the offer, whoever joins first', () => {
  for (const [a, b] of [['alice', 'bob'], ['bob', 'alice'], ['u1', 'u10'], ['Zed', 'amy']]) {
    assert.equal(offers(a, b) !== offers(b, a), true, `${a}/${b}`);
  }
  assert.equal(offers('alice', 'bob'), true);
});

test('the uplink is divided among the other members, within bounds', () => {
  assert.equal(legBudget(0, 1), 1_500_000); // default 2.5 Mbit/s, one other: the per-leg ceiling
  assert.equal(legBudget(0, 5), DEFAULT_UPLINK_BPS / 5);
  assert.equal(legBudget(3_000_000, 5), 600_000); // measured by congestion control
  assert.equal(legBudget(200_000, 5), 100_000); // never below a watchable floor
  assert.equal(legBudget(0, 5, 1_000_000), 200_000); // a set uplink wins over the estimate
  assert.equal(legBudget(1e12, 2), 1_500_000); // an absurd estimate is capped
});
