// @ts-check
// The file transfer protocol between two FileTransfer objects joined by an in-memory channel pair (no browser):
// consent, decline, cancel, resume after a channel re-open, and hostile input. Rows are rendered into a minimal
// stand-in for the DOM; incoming files land in Blobs (no Origin Private File System here).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

/** Just enough of an element for file-rows.js. */
class FakeElement {
  constructor(tag) {
    this.tag = tag;
    this.dataset = /** @type {Record<string, string>} */ ({});
    this.children = /** @type {FakeElement[]} */ ([]);
    this.listeners = /** @type {Record<string, Function[]>} */ ({});
    this.text = '';
    this.parent = /** @type {FakeElement|null} */ (null);
  }

  get textContent() {
    return this.text + this.children.map((c) => c.textContent).join('');
  }

  set textContent(value) {
    this.text = String(value);
    this.children = [];
  }

  append(...nodes) {
    for (const n of nodes) {
      n.parent = this;
      this.children.push(n);
    }
  }

  replaceChildren(...nodes) {
    this.children = [];
    this.append(...nodes);
  }

  remove() {
    if (this.parent) this.parent.children = this.parent.children.filter((c) => c !== this);
  }

  addEventListener(type, fn) {
    (this.listeners[type] ||= []).push(fn);
  }

  click() {
    for (const fn of this.listeners.click || []) fn();
  }

  /** @returns {FakeElement[]} */
  all(testid) {
    const found = this.dataset.testid === testid ? [this] : [];
    return found.concat(...this.children.map((c) => c.all(testid)));
  }
}

/** @type {any} */ (globalThis).document = { createElement: (tag) => new FakeElement(tag) };

const { FileTransfer: RealFileTransfer, PIECE_BYTES } = await import('../js/files.js');
const MIB = 1024 * 1024;

/** Every transfer object made here is detached at the end: its hello timer must not keep node running. */
const made = [];
class FileTransfer extends RealFileTransfer {
  constructor(...args) {
    super(...args);
    made.push(this);
  }
}
after(() => { for (const t of made) t.detach(); });

/** One end of an in-memory, ordered, reliable channel; messages arrive in a later task, like a real one. */
class FakeChannel extends EventTarget {
  constructor(readyState = 'open') {
    super();
    this.readyState = readyState;
    this.bufferedAmount = 0;
    this.bufferedAmountLowThreshold = 0;
    this.binaryType = 'arraybuffer';
    /** @type {FakeChannel|null} */
    this.other = null;
    this.sentBytes = 0;
  }

  send(data) {
    if (this.readyState !== 'open') throw new Error('InvalidStateError');
    const copy = typeof data === 'string' ? data : new Uint8Array(data).slice().buffer;
    if (typeof data !== 'string') this.sentBytes += copy.byteLength;
    const other = this.other;
    setImmediate(() => {
      // Like a browser's negotiated channel, an end that is not open yet may already be handed messages.
      if (other && other.readyState !== 'closed') other.dispatchEvent(Object.assign(new Event('message'), { data: copy }));
    });
  }

  /** A 'connecting' end becomes open (its 'open' event comes in a later task). */
  open() {
    this.readyState = 'open';
    setImmediate(() => this.dispatchEvent(new Event('open')));
  }

  close() {
    for (const end of [this, this.other]) {
      if (end && end.readyState !== 'closed') {
        end.readyState = 'closed';
        setImmediate(() => end.dispatchEvent(new Event('close')));
      }
    }
  }
}

function pair(aState = 'open', bState = 'open') {
  const a = new FakeChannel(aState);
  const b = new FakeChannel(bState);
  a.other = b;
  b.other = a;
  return [a, b];
}

function users() {
  const notices = [];
  const alice = new FileTransfer(/** @type {any} */ (new FakeElement('ul')), (t) => notices.push(t));
  const bob = new FileTransfer(/** @type {any} */ (new FakeElement('ul')), (t) => notices.push(t));
  const [a, b] = pair();
  alice.attach(a, 'bob');
  bob.attach(b, 'alice');
  return { alice, bob, a, b, notices };
}

/**
 * Bob receiving from a remote end the test plays by hand on channel `a`: what bob sends is logged, and the hello
 * that opens the files protocol has been sent.
 */
function receiverFacingRawChannel(remote) {
  const [a, b] = pair();
  const bob = new FileTransfer(/** @type {any} */ (new FakeElement('ul')), () => {});
  bob.attach(b, remote);
  const log = [];
  a.addEventListener('message', (e) => log.push(/** @type {MessageEvent} */ (e).data));
  a.send(JSON.stringify({ kind: 'hello', ack: false }));
  return { a, bob, log };
}

/** Sends a piece's bytes as the app does: in 256 KiB messages. */
function sendPieceBytes(channel, piece) {
  for (let at = 0; at < piece.length; at += 262144) channel.send(piece.subarray(at, at + 262144));
}

const until = async (check, what, ms = 20000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** The channel is cut the moment the receiver has piece `index` whole: mid-file, however fast or slow the machine. */
function cutAfterPiece(receiver, channel, index) {
  const onPiece = receiver.onPiece.bind(receiver);
  receiver.onPiece = (m) => {
    onPiece(m);
    if (m.index === index) channel.close();
  };
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const rows = (user, testid) => /** @type {FakeElement} */ (/** @type {unknown} */ (user.list)).all(testid);

test('nothing moves before Accept; a declined file never arrives and the sender sees "declined"', async () => {
  const { alice, bob } = users();
  alice.send([new File([randomBytes(3 * MIB)], 'a.bin', { type: 'application/x-test' })]);
  await until(() => rows(bob, 'file-offer').length === 1, 'offer');
  const offer = rows(bob, 'file-offer')[0];
  assert.match(offer.textContent, /a\.bin.*3\.0 MiB, application\/x-test/);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(bob.stats().bytesReceived, 0);
  offer.all('file-decline')[0].click();
  await until(() => rows(alice, 'file-outgoing')[0].textContent.includes('declined'), 'declined');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(alice.stats().bytesSent, 0);
  assert.equal(rows(bob, 'received-file').length, 0);
});

test('an accepted file arrives with its SHA-256; an offer over the size limit is declined unasked', async () => {
  const { alice, bob } = users();
  const bytes = randomBytes(2 * PIECE_BYTES + 12345);
  alice.send([new File([bytes], 'b.bin')]);
  await until(() => rows(bob, 'file-accept').length === 1, 'offer');
  rows(bob, 'file-accept')[0].click();
  await until(() => rows(bob, 'received-file').length === 1, 'received');
  assert.equal(rows(bob, 'received-file')[0].dataset.sha256, sha256(bytes));
  await until(() => rows(alice, 'file-outgoing')[0].textContent.includes('delivered'), 'delivered');

  bob.maxIncomingBytes = PIECE_BYTES;
  alice.send([new File([bytes], 'c.bin')]);
  await until(() => rows(alice, 'file-outgoing')[1].textContent.includes('declined'), 'over the limit');
  assert.equal(rows(bob, 'file-accept').length, 0);
});

test('either side cancels and both stop', async () => {
  for (const canceller of ['alice', 'bob']) {
    const { alice, bob } = users();
    alice.send([new File([randomBytes(40 * PIECE_BYTES)], 'big.bin')]);
    await until(() => rows(bob, 'file-accept').length === 1, 'offer');
    rows(bob, 'file-accept')[0].click();
    await until(() => bob.stats().piecesVerified >= 1, 'first piece');
    const user = canceller === 'alice' ? alice : bob;
    user.list.all('file-cancel')[0].click();
    await until(() => rows(alice, 'file-outgoing')[0].textContent.includes('cancelled')
      && rows(bob, 'file-offer')[0].textContent.includes('cancelled'), 'both cancelled');
    await new Promise((r) => setTimeout(r, 50));
    const sent = alice.stats().bytesSent;
    const received = bob.stats().bytesReceived;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(alice.stats().bytesSent, sent, canceller);
    assert.equal(bob.stats().bytesReceived, received, canceller);
    assert.ok(received < 40 * PIECE_BYTES);
    assert.equal(rows(bob, 'received-file').length, 0);
  }
});

test('a transfer cut by a channel re-open resumes from the last verified piece', async () => {
  const { alice, bob, a } = users();
  const bytes = randomBytes(24 * PIECE_BYTES + 7);
  alice.send([new File([bytes], 'resume.bin')]);
  await until(() => rows(bob, 'file-accept').length === 1, 'offer');
  rows(bob, 'file-accept')[0].click();
  cutAfterPiece(bob, a, 5);
  await until(() => a.readyState === 'closed', 'cut');
  await until(() => alice.channel && alice.channel.readyState === 'closed', 'closed');
  await new Promise((r) => setTimeout(r, 20));
  const [a2, b2] = pair();
  alice.attach(a2, 'bob');
  bob.attach(b2, 'alice');
  await until(() => rows(bob, 'received-file').length === 1, 'received after the re-open');
  assert.equal(rows(bob, 'received-file')[0].dataset.sha256, sha256(bytes));
  assert.ok(alice.stats().resumes >= 1);
  assert.ok(bob.stats().bytesReceived - bytes.length < 2 * PIECE_BYTES, `re-sent ${bob.stats().bytesReceived - bytes.length}`);
});

test('a re-opened channel whose other end opened first and spoke before this end\'s open event still resumes', async () => {
  for (const late of ['alice', 'bob']) {
    const { alice, bob, a } = users();
    const bytes = randomBytes(12 * PIECE_BYTES + 3);
    alice.send([new File([bytes], 'late.bin')]);
    await until(() => rows(bob, 'file-accept').length === 1, 'offer');
    rows(bob, 'file-accept')[0].click();
    cutAfterPiece(bob, a, 3);
    await until(() => a.readyState === 'closed', 'cut');
    await until(() => alice.channel.readyState === 'closed', 'closed');
    // One end is open at once and says hello; the other end gets that hello while still 'connecting'.
    const [a2, b2] = late === 'alice' ? pair('connecting', 'open') : pair('open', 'connecting');
    alice.attach(a2, 'bob');
    bob.attach(b2, 'alice');
    const slow = late === 'alice' ? a2 : b2;
    const other = late === 'alice' ? bob : alice;
    await until(() => other.events.some((e) => e.endsWith('channel open')) && slow.readyState === 'connecting', 'hello out');
    await new Promise((r) => setTimeout(r, 30));
    slow.open();
    await until(() => rows(bob, 'received-file').length === 1, `received after the re-open (${late} opened last)`);
    assert.equal(rows(bob, 'received-file')[0].dataset.sha256, sha256(bytes));
    assert.ok(alice.stats().resumes >= 1, late);
  }
});

test('messages over the remote browser\'s limit are refused by the channel: the sender sends smaller ones', async () => {
  const { alice, bob, a } = users();
  const send = a.send.bind(a);
  a.send = (data) => {
    if (typeof data !== 'string' && data.byteLength > 64 * 1024) throw new TypeError('message too large');
    send(data);
  };
  const bytes = randomBytes(3 * PIECE_BYTES + 999);
  alice.send([new File([bytes], 'small-messages.bin')]);
  await until(() => rows(bob, 'file-accept').length === 1, 'offer');
  rows(bob, 'file-accept')[0].click();
  await until(() => rows(bob, 'received-file').length === 1, 'received');
  assert.equal(rows(bob, 'received-file')[0].dataset.sha256, sha256(bytes));
  assert.equal(alice.stats().messageBytes, 64 * 1024);
  assert.equal(bob.stats().bytesReceived, bytes.length, 'nothing was sent twice');
});

test('while the call\'s video runs below its usual frame rate the file is capped, and the cap goes once it recovers', async () => {
  const { alice, bob } = users();
  for (let i = 0; i < 5; i++) alice.callSample({ fps: 20 });
  const bytes = randomBytes(64 * MIB);
  alice.send([new File([bytes], 'paced.bin')]);
  await until(() => rows(bob, 'file-accept').length === 1, 'offer');
  rows(bob, 'file-accept')[0].click();
  await until(() => bob.stats().piecesVerified >= 2, 'moving');
  alice.callSample({ fps: 19 }); // at its rate: no cap
  assert.equal(alice.stats().paceCaps, 0);
  const sent = alice.stats().bytesSent;
  await new Promise((r) => setTimeout(r, 50));
  await until(() => alice.stats().bytesSent > sent, 'bytes moving');
  alice.callSample({ fps: 6 });
  assert.equal(alice.stats().paceCaps, 1);
  // Each second the video still suffers (though better than when capped) halves the cap, down to a floor.
  for (let i = 0; i < 30 && alice.stats().paceBytesPerS > 1024 * 1024; i++) {
    await new Promise((r) => setTimeout(r, 20));
    alice.callSample({ fps: 12 });
  }
  const cap = alice.stats().paceBytesPerS;
  assert.ok(cap <= 1024 * 1024, `cap ${cap}`);
  assert.ok(cap >= 256 * 1024, `cap ${cap}`);
  await new Promise((r) => setTimeout(r, 100)); // what was already queued goes out
  const before = alice.stats().bytesSent;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 600));
  const rate = (alice.stats().bytesSent - before) / ((performance.now() - t0) / 1000);
  assert.ok(rate <= cap * 1.5 + 256 * 1024, `moved ${Math.round(rate)} B/s under a cap of ${cap} B/s`);
  for (let i = 0; i < 40 && alice.stats().paceBytesPerS > 0; i++) alice.callSample({ fps: 20 });
  assert.equal(alice.stats().paceBytesPerS, 0, 'cap lifted');

  await until(() => rows(bob, 'received-file').length === 1, 'received');
  assert.equal(rows(bob, 'received-file')[0].dataset.sha256, sha256(bytes));
});

test('a cap that does not bring the video back is lifted, and the file is not capped again for a while', async () => {
  const { alice, bob } = users();
  for (let i = 0; i < 5; i++) alice.callSample({ fps: 20 });
  alice.send([new File([new Uint8Array(64 * PIECE_BYTES)], 'zeros.bin')]);
  await until(() => rows(bob, 'file-accept').length === 1, 'offer');
  rows(bob, 'file-accept')[0].click();
  await until(() => bob.stats().piecesVerified >= 1, 'moving');
  const sample = async (fps) => {
    const sent = alice.stats().bytesSent;
    await new Promise((r) => setTimeout(r, 20));
    await until(() => alice.stats().bytesSent > sent || !alice.active, 'bytes moving');
    alice.callSample({ fps });
  };
  await sample(6);
  assert.equal(alice.stats().paceCaps, 1);
  for (let i = 0; i < 3; i++) await sample(6);
  assert.equal(alice.stats().paceBytesPerS, 0, 'a cap that does not help is lifted');
  const caps = alice.stats().paceCaps;
  for (let i = 0; i < 5 && alice.active; i++) {
    await sample(6);
    assert.equal(alice.stats().paceCaps, caps, 'not capped again at once');
  }
  await until(() => rows(bob, 'received-file').length === 1, 'received');
});

test('a piece whose bytes do not match its hash is asked for again; a wrong piece list is never offered', async () => {
  const { a, bob, log } = receiverFacingRawChannel('mallory');
  const id = '0123456789abcdef';
  a.send(JSON.stringify({ kind: 'offer', id, name: '../../etc/passwd', size: PIECE_BYTES, type: 'text/html<script>', pieceBytes: PIECE_BYTES }));
  await until(() => rows(bob, 'file-accept').length === 1, 'offer');
  assert.doesNotMatch(rows(bob, 'file-offer')[0].textContent, /\.\.\/|<script>/);
  rows(bob, 'file-accept')[0].click();
  await until(() => log.some((m) => typeof m === 'string' && m.includes('"accept"')), 'accept');
  const piece = new Uint8Array(PIECE_BYTES).fill(1);
  const good = sha256(piece);
  // Wrong piece hash: rejected, bob asks for piece 0 again.
  sendPieceBytes(a, piece);
  a.send(JSON.stringify({ kind: 'piece', id, index: 0, sha256: sha256(new Uint8Array(1)) }));
  await until(() => bob.stats().piecesRejected === 1, 'rejected');
  // More bytes than a piece, then nonsense: dropped, nothing breaks.
  for (let i = 0; i < 6; i++) a.send(new Uint8Array(262144));
  a.send('{not json');
  a.send(JSON.stringify({ kind: 'piece', id, index: 0, sha256: good }));
  await until(() => bob.stats().piecesRejected === 2, 'overflow rejected');
  // Right piece, wrong piece list at the end: discarded.
  sendPieceBytes(a, piece);
  a.send(JSON.stringify({ kind: 'piece', id, index: 0, sha256: good }));
  a.send(JSON.stringify({ kind: 'end', id, root: good }));
  await until(() => log.some((m) => typeof m === 'string' && m.includes('"fail"')), 'fail');
  assert.equal(rows(bob, 'received-file').length, 0);
  assert.match(rows(bob, 'file-offer')[0].textContent, /damaged/);
});

test('a receiver takes the piece length the sender offers (powers of two up to 1 MiB) and declines any other', async () => {
  const { a, bob, log } = receiverFacingRawChannel('carol');
  for (const pieceBytes of [3 * 256 * 1024, 2 * MIB, 1000]) {
    const id = `00000000000000${pieceBytes === 1000 ? '01' : pieceBytes === 2 * MIB ? '02' : '03'}`;
    a.send(JSON.stringify({ kind: 'offer', id, name: 'odd.bin', size: MIB, type: '', pieceBytes }));
    await until(() => log.some((m) => typeof m === 'string' && m.includes(id) && m.includes('malformed offer')), `declined ${pieceBytes}`);
  }
  const id = '0123456789abcdef';
  const bytes = randomBytes(MIB + MIB / 2 + 5);
  a.send(JSON.stringify({ kind: 'offer', id, name: 'mib-pieces.bin', size: bytes.length, type: '', pieceBytes: MIB }));
  await until(() => rows(bob, 'file-accept').length === 1, 'offer');
  rows(bob, 'file-accept')[0].click();
  await until(() => log.some((m) => typeof m === 'string' && m.includes('"accept"')), 'accept');
  const digests = [];
  for (let at = 0; at < bytes.length; at += MIB) {
    const piece = bytes.subarray(at, Math.min(at + MIB, bytes.length));
    sendPieceBytes(a, piece);
    digests.push(sha256(piece));
    a.send(JSON.stringify({ kind: 'piece', id, index: digests.length - 1, sha256: digests[digests.length - 1] }));
  }
  a.send(JSON.stringify({ kind: 'end', id, root: sha256(Buffer.from(digests.join(''))) }));
  await until(() => rows(bob, 'received-file').length === 1, 'received');
  assert.equal(rows(bob, 'received-file')[0].dataset.sha256, sha256(bytes));
  assert.equal(bob.stats().piecesVerified, 2);
  assert.ok(log.some((m) => typeof m === 'string' && m.includes('"done"')));
});
