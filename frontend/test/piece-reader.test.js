// @ts-check
// PieceReader: the sender's pieces and their SHA-256, read from one stream over the file, buffers read into again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { PieceReader } from '../js/piece-reader.js';

const PIECE = 64 * 1024;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const expected = (bytes, index) => bytes.subarray(index * PIECE, Math.min(bytes.length, (index + 1) * PIECE));

test('every piece, the last one short, with its SHA-256; recycled buffers carry the next pieces unmixed', async () => {
  const bytes = randomBytes(5 * PIECE + 123);
  const reader = new PieceReader(new Blob([bytes]), PIECE, 2);
  const pending = [0, 1, 2].map((i) => reader.read(i));
  for (let i = 0; i < 6; i++) {
    const piece = await pending.shift();
    assert.deepEqual(Buffer.from(piece.bytes), Buffer.from(expected(bytes, i)), `piece ${i}`);
    assert.equal(piece.digest, sha256(expected(bytes, i)));
    if (i + 3 < 6) pending.push(reader.read(i + 3));
    // Overwritten by whoever reads into it next: a reader handing out a recycled buffer twice would show here.
    reader.recycle(piece.bytes);
  }
  reader.close();
});

test('a piece before the one the stream is at (a resume) is read from there', async () => {
  const bytes = randomBytes(6 * PIECE);
  const reader = new PieceReader(new Blob([bytes]), PIECE, 2);
  for (const i of [0, 1, 2, 3]) await reader.read(i);
  for (const i of [1, 2, 5, 0]) {
    const piece = await reader.read(i);
    assert.equal(piece.digest, sha256(expected(bytes, i)), `piece ${i}`);
  }
  reader.close();
  await assert.rejects(reader.read(0), /no longer sent/);
});

test('a browser whose file stream has no byte reader: chunks of any size are cut into pieces', async () => {
  const bytes = randomBytes(3 * PIECE + 7);
  const blob = new Blob([bytes]);
  // Chunks that straddle the pieces' edges, from a stream without a "bring your own buffer" reader.
  const file = {
    size: bytes.length,
    slice(start) {
      const rest = bytes.subarray(start);
      return {
        stream() {
          let at = 0;
          return new ReadableStream({
            pull(controller) {
              if (at >= rest.length) {
                controller.close();
                return;
              }
              const n = Math.min(rest.length - at, 10007);
              controller.enqueue(rest.slice(at, at + n));
              at += n;
            },
          });
        },
      };
    },
    stream: () => blob.stream(),
  };
  const reader = new PieceReader(/** @type {any} */ (file), PIECE, 2);
  for (const i of [0, 1, 2, 3, 1]) {
    const piece = await reader.read(i);
    assert.equal(piece.digest, sha256(expected(bytes, i)), `piece ${i}`);
    reader.recycle(piece.bytes);
  }
  assert.equal(reader.byob, false);
});

test('a file shorter than it said (changed on disk) fails the read instead of sending made-up bytes', async () => {
  const bytes = randomBytes(2 * PIECE);
  const real = new Blob([bytes.subarray(0, PIECE + 10)]);
  const file = { size: bytes.length, slice: (start) => real.slice(start), stream: () => real.stream() };
  const reader = new PieceReader(/** @type {any} */ (file), PIECE, 2);
  assert.equal((await reader.read(0)).digest, sha256(expected(bytes, 0)));
  await assert.rejects(reader.read(1), /changed/);
  await assert.rejects(reader.read(2), /no piece 2/);
});
