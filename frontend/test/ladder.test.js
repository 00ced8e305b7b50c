// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIO_STEP, CHAT_STEP, effectiveStep, encodingFor, explain, Ladder, mediaLevel, TIMING, validStep } from '../js/ladder.js';

/** Feeds one level per second from `from` for `seconds`; returns [time, step] at each change. */
function run(ladder, level, from, seconds, changes = []) {
  for (let t = from; t < from + seconds * 1000; t += 1000) {
    const before = ladder.step;
    const step = ladder.update(level, t);
    if (step !== before) changes.push([t, step]);
  }
  return changes;
}

test('a poor link steps down one step at a time to chat only, never faster than the hold time', () => {
  const ladder = new Ladder();
  const changes = run(ladder, 'poor', 0, 20);
  assert.deepEqual(changes.map(([, s]) => s), [1, 2, 3, 4]);
  for (let i = 1; i < changes.length; i++) assert.ok(changes[i][0] - changes[i - 1][0] >= TIMING.downAfterMs);
  assert.equal(mediaLevel(ladder.step), 'chat');
});

test('a good link climbs back, one step per upAfterMs, to full video', () => {
  const ladder = new Ladder();
  run(ladder, 'poor', 0, 20);
  const changes = run(ladder, 'good', 20_000, 40);
  assert.deepEqual(changes.map(([, s]) => s), [3, 2, 1, 0]);
  const videoBackAfter = changes[1][0] - 20_000;
  assert.ok(videoBackAfter <= 2 * TIMING.upAfterMs + 1000, `video back after ${videoBackAfter} ms`);
});

test('a merely fair link lowers video quality but never turns video off', () => {
  const ladder = new Ladder();
  run(ladder, 'fair', 0, 120);
  assert.equal(ladder.step, AUDIO_STEP - 1);
  assert.equal(mediaLevel(ladder.step), 'video');
});

test('flapping: a step up that is taken back makes the next step up wait longer (hysteresis)', () => {
  // A cap of four times the first wait, so two doublings show before it.
  const timing = { ...TIMING, maxUpAfterMs: TIMING.upAfterMs * 4 };
  const ladder = new Ladder(timing);
  run(ladder, 'poor', 0, 4); // step 1 at 2 s
  let t = 4000;
  const upDelays = [];
  for (let round = 0; round < 4; round++) {
    const start = t;
    while (ladder.step > 0) ladder.update('good', (t += 1000));
    upDelays.push(t - start);
    while (ladder.step < 1) ladder.update('poor', (t += 1000));
  }
  assert.ok(upDelays[1] > upDelays[0] && upDelays[2] > upDelays[1], `waits ${upDelays}`);
  assert.ok(upDelays[3] <= timing.maxUpAfterMs + 1000, 'capped');
});

test('after a long bad spell, two steps back up to video take at most twice the capped wait', () => {
  const ladder = new Ladder();
  let t = 0;
  // A link that keeps failing every step up: down to chat, tries and relapses until the wait is capped.
  while (ladder.step < 4) ladder.update('poor', (t += 1000));
  for (let i = 0; i < 6; i++) {
    while (ladder.step === 4) ladder.update('good', (t += 1000));
    while (ladder.step < 4) ladder.update('poor', (t += 1000));
  }
  const healed = t;
  while (ladder.step > 2) ladder.update('good', (t += 1000));
  assert.ok(t - healed <= 2 * TIMING.maxUpAfterMs + 2000, `back to video after ${t - healed} ms`);
  assert.ok(2 * TIMING.maxUpAfterMs + 2000 < 30000, 'within the 30 s the app promises');
});

test('one bad second does not move the ladder', () => {
  const ladder = new Ladder();
  ladder.update('good', 0);
  ladder.update('poor', 1000);
  ladder.update('good', 2000);
  ladder.update('poor', 3000);
  assert.equal(ladder.step, 0);
});

test('both sides send at the weaker side\'s step; anything that is not a step counts as full video', () => {
  assert.equal(effectiveStep(0, 3), 3);
  assert.equal(effectiveStep(4, 1), 4);
  for (const bad of [-1, 5, 1.5, '3', null, undefined, NaN, {}]) assert.equal(validStep(bad), 0);
});

test('encodings: resolution and frame rate first, then video off, then audio off', () => {
  assert.equal(encodingFor(0).video.scaleResolutionDownBy, 1);
  assert.ok((encodingFor(1).video.scaleResolutionDownBy || 0) > 1 && (encodingFor(1).video.maxFramerate || 0) > 0);
  assert.ok((encodingFor(2).video.scaleResolutionDownBy || 0) > (encodingFor(1).video.scaleResolutionDownBy || 0));
  assert.deepEqual(encodingFor(AUDIO_STEP), { video: { active: false }, audio: { active: true } });
  assert.deepEqual(encodingFor(CHAT_STEP), { video: { active: false }, audio: { active: false } });
});

test('the user reads what happened and why', () => {
  assert.equal(explain(AUDIO_STEP, 'your network'), 'video paused: your network too weak (audio only)');
  assert.match(explain(CHAT_STEP, "bob's network"), /^audio and video paused: bob's network too weak/);
  assert.equal(explain(0), '');
});
