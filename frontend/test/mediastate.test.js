// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaStateLink, mediaMessage, readMediaMessage } from '../js/mediastate.js';
import { LINK_MESSAGES } from '../js/protocol.js';

/** Two ends of a link channel: what one sends, the other receives (or nothing, when `drop` says so). */
function channelPair() {
  const make = () => Object.assign(new EventTarget(), { readyState: 'open', sent: /** @type {string[]} */ ([]), other: null, drop: false,
    send(/** @type {string} */ data) {
      this.sent.push(data);
      if (!this.drop) this.other.dispatchEvent(Object.assign(new Event('message'), { data }));
    } });
  const a = make();
  const b = make();
  a.other = b;
  b.other = a;
  return [a, b];
}

const remoteEvents = (link) => {
  const seen = [];
  link.addEventListener('remote', (e) => seen.push(e.detail));
  return seen;
};

test('mute and camera off reach the other side, and so does turning them back on', () => {
  const [ca, cb] = channelPair();
  const alice = new MediaStateLink({ channel: /** @type {any} */ (ca), repeatMs: 60_000 });
  const bob = new MediaStateLink({ channel: /** @type {any} */ (cb), repeatMs: 60_000 });
  const atBob = remoteEvents(bob);
  alice.setLocal({ mic: false, camera: true });
  alice.setLocal({ mic: false, camera: false });
  alice.setLocal({ mic: true, camera: true });
  assert.deepEqual(atBob, [{ mic: false, camera: true }, { mic: false, camera: false }, { mic: true, camera: true }]);
  assert.deepEqual(bob.remote, { mic: true, camera: true });
  alice.stop();
  bob.stop();
});

test('a state lost on the way arrives with the next repeat; a late older repeat changes nothing', () => {
  const [ca, cb] = channelPair();
  const alice = new MediaStateLink({ channel: /** @type {any} */ (ca), repeatMs: 60_000 });
  const bob = new MediaStateLink({ channel: /** @type {any} */ (cb), repeatMs: 60_000 });
  const atBob = remoteEvents(bob);
  ca.drop = true;
  alice.setLocal({ mic: false, camera: true });
  const mutedMessage = ca.sent.at(-1);
  assert.deepEqual(atBob, []);
  ca.drop = false;
  alice.sendNow(); // what the timer does every second
  assert.deepEqual(atBob, [{ mic: false, camera: true }]);
  alice.setLocal({ mic: true, camera: true });
  // The unordered channel delivers the old "muted" message after the newer "unmuted" one: ignored.
  cb.dispatchEvent(Object.assign(new Event('message'), { data: mutedMessage }));
  assert.deepEqual(bob.remote, { mic: true, camera: true });
  assert.equal(atBob.length, 2);
  alice.stop();
  bob.stop();
});

test('the state is repeated on its own while the channel is open', async () => {
  const [ca, cb] = channelPair();
  const alice = new MediaStateLink({ channel: /** @type {any} */ (ca), repeatMs: 20 });
  const bob = new MediaStateLink({ channel: /** @type {any} */ (cb), repeatMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 90));
  assert.ok(ca.sent.length >= 2, `sent ${ca.sent.length}`);
  alice.stop();
  const after = ca.sent.length;
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(ca.sent.length, after, 'nothing after stop');
  bob.stop();
});

test('malformed, oversized, foreign or replayed messages are ignored', () => {
  const ok = JSON.stringify(mediaMessage(5, { mic: false, camera: true }));
  assert.deepEqual(readMediaMessage(ok, 4), { seq: 5, state: { mic: false, camera: true } });
  assert.equal(readMediaMessage(ok, 5), null, 'replay of the last one');
  assert.equal(readMediaMessage(ok, 9), null, 'older than the last one');
  for (const bad of [
    null, 42, '', 'not json', '[]', 'null',
    JSON.stringify({ t: LINK_MESSAGES.LEVEL, step: 3 }),
    JSON.stringify({ t: 'media', seq: 6, mic: 'no', camera: true }),
    JSON.stringify({ t: 'media', seq: 6, mic: false }),
    JSON.stringify({ t: 'media', seq: 6.5, mic: false, camera: true }),
    JSON.stringify({ t: 'media', seq: '6', mic: false, camera: true }),
    JSON.stringify({ t: 'media', seq: 2 ** 40, mic: false, camera: true }),
    JSON.stringify({ t: 'media', seq: 6, mic: false, camera: true, pad: 'x'.repeat(300) }),
  ]) {
    assert.equal(readMediaMessage(bad, 0), null, String(bad).slice(0, 60));
  }
});

test('a flood of the same state from the remote page raises one event', () => {
  const [ca, cb] = channelPair();
  const bob = new MediaStateLink({ channel: /** @type {any} */ (cb), repeatMs: 60_000 });
  const atBob = remoteEvents(bob);
  for (let seq = 1; seq <= 5000; seq++) {
    cb.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify(mediaMessage(seq, { mic: false, camera: true })) }));
  }
  assert.equal(atBob.length, 1);
  bob.stop();
  void ca;
});

test('nothing is sent on a channel that is not open', () => {
  const [ca] = channelPair();
  ca.readyState = 'connecting';
  const alice = new MediaStateLink({ channel: /** @type {any} */ (ca), repeatMs: 60_000 });
  alice.setLocal({ mic: false, camera: false });
  assert.equal(ca.sent.length, 0);
  ca.readyState = 'open';
  ca.dispatchEvent(new Event('open'));
  assert.deepEqual(JSON.parse(ca.sent[0]), { t: 'media', seq: 2, mic: false, camera: false });
  alice.stop();
});
