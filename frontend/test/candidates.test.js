import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RemoteCandidates, MAX_PENDING_CANDIDATES } from '../js/candidates.js';

/** A peer connection with only what RemoteCandidates uses. */
function connection() {
  return {
    remoteDescription: null,
    added: [],
    async addIceCandidate(c) {
      if (c.candidate === 'bad') throw new Error('malformed');
      this.added.push(c.candidate);
    },
  };
}

test('candidates before the remote description wait, then go in arrival order', async () => {
  const pc = connection();
  const candidates = new RemoteCandidates(() => pc);
  await candidates.add({ candidate: 'a' });
  await candidates.add({ candidate: 'b' });
  assert.deepEqual(pc.added, []);
  pc.remoteDescription = { type: 'offer', sdp: '' };
  await candidates.flush();
  await candidates.add({ candidate: 'c' });
  assert.deepEqual(pc.added, ['a', 'b', 'c']);
});

test('a flood before the remote description is capped, and a malformed candidate is skipped', async () => {
  const pc = connection();
  const candidates = new RemoteCandidates(() => pc);
  const originalWarn = console.warn;
  console.warn = () => {};
  try {
    for (let i = 0; i < MAX_PENDING_CANDIDATES + 50; i++) await candidates.add({ candidate: i === 0 ? 'bad' : `c${i}` });
    pc.remoteDescription = { type: 'answer', sdp: '' };
    await candidates.flush();
  } finally {
    console.warn = originalWarn;
  }
  assert.equal(pc.added.length, MAX_PENDING_CANDIDATES - 1);
  assert.equal(pc.added[0], 'c1');
});

test('no connection yet: candidates wait for one', async () => {
  let pc = null;
  const candidates = new RemoteCandidates(() => pc);
  await candidates.add({ candidate: 'early' });
  pc = connection();
  pc.remoteDescription = { type: 'offer', sdp: '' };
  await candidates.flush();
  assert.deepEqual(pc.added, ['early']);
});
