// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Sha256, sha256Blob } from '../js/sha256.js';

const text = (/** @type {string} */ s) => new TextEncoder().encode(s);
const hex = (/** @type {Uint8Array} */ bytes) => new Sha256().update(bytes).hex();

// FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
test('NIST example vectors', () => {
  assert.equal(hex(text('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(hex(text('')), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(hex(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  assert.equal(hex(text('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu')),
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1');
  assert.equal(hex(new Uint8Array([0xbd])), '68325720aabd7c82f30f554b313d0570c95accbb7dc4b5aae11204c08ffe732b');
  assert.equal(hex(new Uint8Array([0xc9, 0x8c, 0x8e, 0x55])), '7abc22c0ae5af26ce93dbb94433a0e0b2e119d014f8e7f65bd56c61ccccd9504');
  assert.equal(hex(new Uint8Array(55)), '02779466cdec163811d078815c633f21901413081449002f24aa3e80f0b88ef7');
  assert.equal(hex(new Uint8Array(56)), 'd4817aa5497628e7c77e6b606107042bbba3130888c5f47a375e6179be789fbb');
  assert.equal(hex(new Uint8Array(64)), 'f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b');
});

test('one million times "a", fed in uneven pieces', () => {
  const hash = new Sha256();
  const a = new Uint8Array(1_000_000).fill(0x61);
  for (let offset = 0, step = 1; offset < a.length; offset += step, step = (step * 7 + 3) % 4099 + 1) {
    hash.update(a.subarray(offset, Math.min(offset + step, a.length)));
  }
  assert.equal(hash.hex(), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
});

test('every length around the block and padding boundaries agrees with node:crypto, whole and in chunks', () => {
  const data = randomBytes(300);
  for (let length = 0; length <= 300; length++) {
    const slice = data.subarray(0, length);
    const expected = createHash('sha256').update(slice).digest('hex');
    assert.equal(hex(slice), expected, `length ${length}`);
    const chunked = new Sha256();
    for (let offset = 0; offset < length; offset += 17) chunked.update(slice.subarray(offset, offset + 17));
    assert.equal(chunked.hex(), expected, `length ${length} in 17-byte chunks`);
  }
});

test('an ArrayBuffer is accepted like a Uint8Array', () => {
  assert.equal(new Sha256().update(text('abc').buffer).hex(), hex(text('abc')));
});

test('a digest is taken once: updating afterwards is an error, not a silently wrong hash', () => {
  const hash = new Sha256().update(text('abc'));
  hash.hex();
  assert.throws(() => hash.update(text('d')), /digest already taken/);
});

test('sha256Blob reads a Blob slice by slice and reports progress up to its size', async () => {
  const data = randomBytes(10_000);
  /** @type {number[]} */
  const progress = [];
  const digest = await sha256Blob(new Blob([data]), (done) => progress.push(done), 3000);
  assert.equal(digest, createHash('sha256').update(data).digest('hex'));
  assert.deepEqual(progress, [3000, 6000, 9000, 10_000]);
  assert.equal(await sha256Blob(new Blob([])), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});
