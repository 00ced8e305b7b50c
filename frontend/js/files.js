// @ts-check
// File transfer over one RTCDataChannel (the call's "files" channel), with the receiver's consent, resumable,
// and with bounded memory on both sides.
//
// Protocol (JSON control messages, raw binary for the bytes):
//   sender -> receiver  offer {id, name, size, type, pieceBytes}          nothing moves before the answer
//   receiver -> sender  accept {id, from}   (also: "resume from piece N") | decline {id, reason}
//   sender -> receiver  the bytes of piece N as binary messages, then piece {id, index, sha256}
//   receiver -> sender  ack {id, verified}  after each verified piece: the sender stays at most WINDOW_PIECES
//                       ahead, so an unhurried receiver never buffers more than that
//   sender -> receiver  end {id, root}      SHA-256 over the list of piece hashes: the receiver checks it has
//                       exactly the pieces the sender has
//   receiver -> sender  done {id} | fail {id, reason}
//   either way          cancel {id};  hello {ack} when a channel opens (the other side may not have its end of a
//                       re-opened negotiated channel yet: hello repeats until answered, then every unfinished
//                       transfer is offered again and the receiver answers with where it stands)
// Pieces are 512 KiB (the offer says how long; a receiver takes any power of two from 64 KiB to 1 MiB) and verified one
// by one (SubtleCrypto); after an interruption the transfer resumes at the first piece the receiver has not verified.
// Why 512 KiB: this Chromium's SubtleCrypto copies its input first, and an input over 768 KiB into freshly mapped
// memory: a 1 MiB piece's SHA-256 costs ~1.1 ms of the page's thread, two 512 KiB pieces' ~0.7, on both sides.
// As every piece matches the sender's SHA-256 of it, the receiver's whole-file SHA-256 (shown on the link) is the
// sender's file's; the sender spends no CPU on it. A file whose pieces or piece list do not match is never offered.
// Where the time goes on a shared CPU: the browsers' SCTP, DTLS and sockets cost ~25 ms of CPU per MiB on each
// side, so every ms per MiB the page adds shows in the rate. The whole-file SHA-256 in JavaScript costs 12-35 ms per
// MiB, SubtleCrypto's 1-2: a file up to NATIVE_WHOLE_HASH_MAX (`memoryMax`) is received into one buffer
// (MemorySink) and hashed there in one SubtleCrypto call once complete, with no disk write or read-back; only larger
// files go to disk piece by piece and are hashed in a worker, which keeps their memory bounded. That call runs on the
// page's thread before it returns (Chromium), so the link's Blob is made after it, not beside it.

import { FILE_MESSAGES } from './protocol.js';
import { WholeFileHash } from './whole-file-hash.js';
import { MemorySink, openSink, prepareSinks } from './file-sink.js';
import { TransferRow, sizeText } from './file-rows.js';
import { PieceReader } from './piece-reader.js';
import { parseObject } from './json.js';

const MSG = FILE_MESSAGES;

export const PIECE_BYTES = 512 * 1024;
const MIN_PIECE_BYTES = 64 * 1024;
const MAX_PIECE_BYTES = 1024 * 1024;
export const MAX_FILE_BYTES = 64 * 1024 * 1024 * 1024;
const WINDOW_PIECES = (16 * 1024 * 1024) / PIECE_BYTES; // unacknowledged bytes: 16 MiB
const READ_AHEAD_PIECES = (4 * 1024 * 1024) / PIECE_BYTES; // read and hashed ahead: 4 MiB
const MAX_OPEN_OFFERS = 32;
const HELLO_EVERY_MS = 500;
const MAX_CONTROL_CHARS = 4096;
// Before its 'open' event a channel carries only the other end's hellos (and what it sends once it heard ours).
const MAX_EARLY_MESSAGES = 64;
const MIN_MESSAGE_BYTES = 16 * 1024; // every browser takes this much per message
export const NATIVE_WHOLE_HASH_MAX = 256 * 1024 * 1024;
// Pacing: below this share of its frame rate before the transfer, the call's video suffers from the file.
const SUFFERING_FPS_SHARE = 0.75;
const MIN_PACE_BYTES_PER_S = 256 * 1024;
// Capped this many seconds with the video no better: the file is not the cause; not capped again for a while.
const BLAME_SECONDS = 3;
const BLAME_FREE_MS = 30000;

/** Tunables; the bench changes them to find where the time goes. */
export const defaults = {
  // Chromium takes up to 256 KiB per message, Firefox 1 GiB; a browser that takes less refuses the send and the
  // sender halves it (sendBytes).
  messageBytes: 256 * 1024,
  // Enough in the channel's buffer that it never runs dry while the page does other work (a few pieces at the
  // channel's speed); what is buffered when a channel closes is lost and sent again after the re-open, and
  // Chromium closes a channel whose send buffer passes 16 MiB.
  highWater: 4 * 1024 * 1024,
  lowWater: 1024 * 1024,
  // Incoming files received in memory, up to this many bytes at a time (file-sink.js MemorySink): the whole-file
  // SHA-256 at the end holds a file this size in memory anyway, and disk writes cost CPU the channel needs.
  memoryMax: NATIVE_WHOLE_HASH_MAX,
  disk: true, // stream larger incoming files to the Origin Private File System where it exists
  diskWorker: true, // and write them there from a worker (an access handle) where the browser allows it
};

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
const newId = () => hex(crypto.getRandomValues(new Uint8Array(8)).buffer);
const ID = /^[0-9a-f]{16}$/;
const SHA = /^[0-9a-f]{64}$/;
const pieceCount = (size, pieceBytes = PIECE_BYTES) => Math.ceil(size / pieceBytes);
const pieceLength = (size, index, pieceBytes) => Math.min(pieceBytes, size - index * pieceBytes);
/** A piece length a receiver takes: a power of two from MIN_PIECE_BYTES to MAX_PIECE_BYTES. */
const saneLength = (n) => Number.isSafeInteger(n) && n >= MIN_PIECE_BYTES && n <= MAX_PIECE_BYTES && (n & (n - 1)) === 0;
const rateText = (bytes, ms) => (bytes < 1024 * 1024 ? '' : `, ${(bytes / 1024 / 1024 / Math.max(ms / 1000, 0.001)).toFixed(1)} MiB/s`);

/** SHA-256 over the pieces' SHA-256 hex digests, in order: both ends agree on every piece at once. */
async function pieceListHash(digests) {
  return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(digests.join(''))));
}

function waitFor(target, events) {
  return new Promise((resolve) => {
    const done = () => {
      for (const e of events) target.removeEventListener(e, done);
      resolve();
    };
    for (const e of events) target.addEventListener(e, done);
  });
}

/** A file this side sends. */
class Outgoing {
  constructor(file, row) {
    this.id = newId();
    this.file = file;
    this.row = row;
    this.pieces = pieceCount(file.size);
    this.state = 'offered'; // offered | sending | waiting (all sent, hash check pending) | sent | declined | cancelled | failed
    this.next = 0; // next piece to send
    this.acked = 0; // pieces the receiver has verified
    this.digests = []; // SHA-256 hex of each piece, for the piece-list hash sent at the end
    this.restartAt = null; // the receiver asked to go back while a piece was on its way
    this.highest = -1;
    this.paused = false; // the channel went away: wait for the receiver's accept-from on the next one
    this.wake = null; // resolves the send loop waiting for an ack
    this.started = 0;
    // Reads pieces from one stream over the file; it keeps the buffers of the pieces read ahead, the one going
    // out and the next, to read into again.
    this.reader = new PieceReader(file, PIECE_BYTES, READ_AHEAD_PIECES + 2);
    /** @type {{index: number, promise: Promise<{bytes: Uint8Array, digest: string}>}[]} pieces read ahead */
    this.ahead = [];
  }

  /** Piece `index` and its SHA-256, being read. */
  read(index) {
    return { index, promise: this.reader.read(index) };
  }

  get final() {
    return ['sent', 'declined', 'cancelled', 'failed'].includes(this.state);
  }

  /** A final state: the row says why, the send loop lets go, the pieces read ahead are let go. */
  end(state, text) {
    this.state = state;
    this.ahead = [];
    this.reader.close();
    this.row.setStatus(text);
    this.row.clearButtons();
    this.nudge();
  }

  nudge() {
    if (this.wake) {
      const wake = this.wake;
      this.wake = null;
      wake();
    }
  }
}

/** A file the remote user offers this side. */
class Incoming {
  /**
   * @param {{id: string, name: string, size: number, type: string, pieceBytes: number}} meta
   * @param {TransferRow} row
   */
  constructor(meta, row) {
    this.id = meta.id;
    this.name = meta.name;
    this.size = meta.size;
    this.type = meta.type;
    this.row = row;
    this.pieceBytes = meta.pieceBytes; // the sender's
    this.pieces = pieceCount(meta.size, meta.pieceBytes);
    this.state = 'offered'; // offered | receiving | received | declined | cancelled | failed
    this.verified = 0;
    this.expected = 0; // next piece index to queue for verification
    this.whole = meta.size > NATIVE_WHOLE_HASH_MAX ? new WholeFileHash() : null; // see the top of the file
    this.digests = [];
    this.sink = null;
    this.url = null;
    this.started = 0;
  }

  get final() {
    return ['received', 'declined', 'cancelled', 'failed'].includes(this.state);
  }
}

export class FileTransfer {
  /**
   * @param {HTMLElement} list  where the transfer rows go
   * @param {(text: string) => void} notify
   * @param {object} [options]  see defaults
   */
  constructor(list, notify, options = {}) {
    this.list = list;
    this.notify = notify;
    this.options = { ...defaults, ...options };
    this.maxIncomingBytes = 4 * 1024 * 1024 * 1024;
    this.remote = 'the remote user';
    this.channel = null;
    this.peerReady = false;
    this.peerHeardUs = false;
    this.helloTimer = null;
    this.outgoing = new Map();
    this.incoming = new Map();
    this.sending = false;
    this.active = null; // the outgoing file whose pieces are going out now
    this.inbound = { parts: [], bytes: 0, overflow: false };
    this.verifying = Promise.resolve(); // verification and disk writes, one piece after the other
    this.events = [];
    this.messageLimit = Infinity; // lowered when the remote browser refuses a message as too long
    // The file's rate cap while the call's video suffers (bytes/s, null: none) and the video's usual frame rate.
    this.pace = {
      cap: null, freeRate: 0, nextAt: 0, baselineFps: null, lastBytes: 0, lastAt: 0, capFps: 0, cappedSeconds: 0,
      blameFreeUntil: 0,
    };
    this.counters = {
      channelsOpened: 0, bytesSent: 0, piecesSent: 0, piecesResent: 0, bytesReceived: 0, piecesVerified: 0,
      piecesRejected: 0, resumes: 0, filesReceived: 0, filesSent: 0, sinks: '', lastReceiveMs: 0, lastReceiveBytes: 0,
      paceCaps: 0, paceBytesPerS: 0,
      // Where a transfer's time goes (ms, summed): the sender waiting for a piece read and hashed, for the channel's
      // buffer (and the pace), for the receiver's acks; the receiver opening the sink, checking pieces, writing
      // them, waiting for the whole-file hash at the end, and closing the sink.
      ms: { sendRead: 0, sendIdle: 0, sendBuffer: 0, sendWindow: 0, open: 0, verify: 0, write: 0, wholeHash: 0, close: 0 },
    };
  }

  /** The last protocol events, for diagnosing a transfer from the console or a test. */
  trace(text) {
    this.events.push(`${Math.round(performance.now())} ${text}`);
    if (this.events.length > 100) this.events.shift();
  }

  /** Bytes per binary message. */
  get messageBytes() {
    return Math.min(this.options.messageBytes, this.messageLimit);
  }

  /** Counters for tests and the bench. */
  stats() {
    const ms = Object.fromEntries(Object.entries(this.counters.ms).map(([k, v]) => [k, Math.round(v)]));
    return { ...this.counters, ms, messageBytes: this.messageBytes, channel: this.channel ? this.channel.readyState : 'none' };
  }

  // ---- pacing: the call comes first -------------------------------------------------------------------

  /**
   * The call's media each second (CallQuality's sample: the remote video's frames/s). While a file goes out and
   * the video runs clearly below its rate from before, the file's rate is capped: half of what it moved in the last
   * second, again each second the video still suffers (down to MIN_PACE_BYTES_PER_S); each second the video is
   * at its rate again the cap grows by a half, and is lifted once it reaches what the file moved uncapped. A cap
   * that does not bring the video back within BLAME_SECONDS is lifted: then something else slows the video.
   * @param {{fps?: number|null}} sample
   */
  callSample(sample) {
    const fps = sample && typeof sample.fps === 'number' && Number.isFinite(sample.fps) ? sample.fps : null;
    const now = performance.now();
    const seconds = this.pace.lastAt > 0 ? (now - this.pace.lastAt) / 1000 : 0;
    const rate = seconds > 0 ? (this.counters.bytesSent - this.pace.lastBytes) / seconds : 0;
    this.pace.lastAt = now;
    this.pace.lastBytes = this.counters.bytesSent;
    if (fps === null) return;
    if (!this.active) {
      // Idle: learn the video's usual rate (a slow average, so one bad second does not move it much).
      this.pace.baselineFps = this.pace.baselineFps === null ? fps : 0.8 * this.pace.baselineFps + 0.2 * fps;
      this.pace.cap = null;
      this.counters.paceBytesPerS = 0;
      return;
    }
    const baseline = this.pace.baselineFps;
    if (baseline === null || baseline < 5) return;
    if (fps < SUFFERING_FPS_SHARE * baseline) {
      if (now < this.pace.blameFreeUntil) return;
      if (this.pace.cap !== null && ++this.pace.cappedSeconds >= BLAME_SECONDS && fps <= 1.1 * this.pace.capFps) {
        // Capped for a while and the video is no better: what slows it is not this file (another load on the
        // machine or the network). The file goes at full speed again and is not blamed for a while.
        this.pace.cap = null;
        this.pace.blameFreeUntil = now + BLAME_FREE_MS;
        this.counters.paceBytesPerS = 0;
        this.trace(`video still at ${fps.toFixed(1)} frames/s with the file capped: cap lifted`);
        return;
      }
      const cap = Math.max(MIN_PACE_BYTES_PER_S, 0.5 * Math.min(rate || Infinity, this.pace.cap || Infinity));
      if (Number.isFinite(cap)) {
        if (this.pace.cap === null) {
          this.pace.freeRate = rate;
          this.pace.capFps = fps;
          this.pace.cappedSeconds = 0;
        }
        this.pace.cap = cap;
        this.counters.paceCaps += 1;
        this.trace(`video at ${fps.toFixed(1)} of ${baseline.toFixed(1)} frames/s: file capped at ${Math.round(cap / 1024)} KiB/s`);
      }
    } else if (this.pace.cap !== null) {
      this.pace.cap *= 1.5;
      if (this.pace.cap >= this.pace.freeRate) {
        this.pace.cap = null;
        this.trace('video at its rate again: file no longer capped');
      }
    }
    this.counters.paceBytesPerS = Math.round(this.pace.cap || 0);
  }

  /** ms until the next message may go out under the cap (0: now). */
  paceDelay() {
    return this.pace.cap === null ? 0 : Math.max(0, this.pace.nextAt - performance.now());
  }

  paced(bytes) {
    if (this.pace.cap === null) return;
    this.pace.nextAt = Math.max(this.pace.nextAt, performance.now()) + (bytes / this.pace.cap) * 1000;
  }

  // ---- channel -----------------------------------------------------------------------------------------

  /** A (new or re-opened) files channel of the current call. */
  attach(channel, remote = this.remote) {
    this.remote = remote;
    // A new channel may come before the old one's close event (which is then ignored): what was on the way waits
    // for the receiver's accept-from on the new channel instead of going on where the sender thinks it was.
    this.pauseUnfinished();
    this.channel = channel;
    this.peerReady = false;
    this.peerHeardUs = false;
    this.inbound = { parts: [], bytes: 0, overflow: false };
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = this.options.lowWater;
    // Listeners check the channel: a previous channel may still fire while the next one runs.
    // A re-opened negotiated channel can deliver the other end's first messages before its own 'open' event (the
    // other end opened first): anything answered then would be sent on a channel that cannot send yet and be
    // lost — the hello's answer and the re-offers with it, after which both ends wait for each other forever.
    // So what comes before 'open' waits and is handled right after this side's hello.
    let greeted = false;
    const early = [];
    const opened = () => {
      if (this.channel !== channel || greeted || channel.readyState !== 'open') return;
      greeted = true;
      this.greet();
      for (const data of early.splice(0)) this.receive(data);
    };
    channel.addEventListener('open', opened);
    channel.addEventListener('message', (event) => {
      if (this.channel !== channel) return;
      opened();
      if (greeted) this.receive(event.data);
      else if (early.length < MAX_EARLY_MESSAGES) early.push(event.data);
    });
    // 'closing': the other end closed it; nothing sent from here on arrives.
    for (const type of ['closing', 'close']) channel.addEventListener(type, () => { if (this.channel === channel) this.lost(); });
    opened();
  }

  /** The call ended: whatever is unfinished stops here. */
  detach() {
    const channel = this.channel;
    this.channel = null;
    this.stopHello();
    if (channel) channel.close();
    for (const t of this.outgoing.values()) {
      if (!t.final) t.end('failed', 'not sent: call ended');
    }
    for (const t of this.incoming.values()) {
      if (!t.final) this.dropIncoming(t, 'failed', `interrupted after ${sizeText(t.verified * t.pieceBytes)}: call ended`);
    }
  }

  greet() {
    this.counters.channelsOpened += 1;
    this.trace('channel open');
    this.stopHello();
    const hello = () => this.control({ kind: MSG.HELLO, ack: this.peerReady });
    hello();
    this.helloTimer = setInterval(() => {
      if (this.peerReady && this.peerHeardUs) this.stopHello();
      else hello();
    }, HELLO_EVERY_MS);
  }

  stopHello() {
    clearInterval(this.helloTimer);
    this.helloTimer = null;
  }

  onHello(m) {
    if (m.ack === true) this.peerHeardUs = true;
    else this.control({ kind: MSG.HELLO, ack: true });
    if (this.peerReady) return;
    this.trace('remote end ready');
    this.peerReady = true;
    // Everything unfinished is offered (again): the receiver answers with accept-from, decline or cancel.
    for (const t of this.outgoing.values()) {
      if (!t.final) this.offer(t);
      else if (t.state === 'cancelled') this.control({ kind: MSG.CANCEL, id: t.id });
    }
    this.pump();
  }

  lost() {
    this.trace('channel closed');
    this.stopHello();
    this.peerReady = false;
    this.pauseUnfinished();
  }

  pauseUnfinished() {
    for (const t of this.outgoing.values()) {
      if (t.state === 'sending' || t.state === 'waiting') t.paused = true;
      t.nudge();
    }
  }

  control(message) {
    const channel = this.channel;
    if (!channel || channel.readyState !== 'open') return false;
    try {
      channel.send(JSON.stringify(message));
      return true;
    } catch (e) {
      console.warn('files channel send failed', e);
      return false;
    }
  }

  receive(data) {
    if (typeof data !== 'string') {
      if (this.peerReady) this.receiveBytes(data);
      else this.counters.bytesReceived += data.byteLength; // see below
      return;
    }
    const m = parseObject(data, MAX_CONTROL_CHARS);
    if (!m) return;
    if (m.kind === MSG.HELLO) {
      this.onHello(m);
      return;
    }
    // Before the other end's hello, a re-opened channel (same stream id) can still deliver the old channel's
    // last messages: they belong to nothing now. The hello is the first thing the other end sends on it.
    if (!this.peerReady) return;
    if (typeof m.id !== 'string' || !ID.test(m.id)) return;
    switch (m.kind) {
      case MSG.OFFER: this.onOffer(m); break;
      case MSG.ACCEPT: this.onAccept(m); break;
      case MSG.DECLINE: this.onDecline(m); break;
      case MSG.ACK: this.onAck(m); break;
      case MSG.DONE: this.onDone(m); break;
      case MSG.FAIL: this.onFail(m); break;
      case MSG.PIECE: this.onPiece(m); break;
      case MSG.END: this.onEnd(m); break;
      case MSG.CANCEL: this.onCancel(m); break;
      default: break;
    }
  }

  // ---- sending ------------------------------------------------------------------------------------------

  /** Offers files to the remote user; each goes once accepted, one after the other. */
  send(files) {
    for (const file of files) {
      const row = new TransferRow(this.list, 'out', { name: file.name, size: file.size, type: file.type });
      const t = new Outgoing(file, row);
      this.outgoing.set(t.id, t);
      row.setStatus(`waiting for ${this.remote} to accept…`);
      row.offerCancel(() => this.cancel(t.id));
      if (this.peerReady) this.offer(t);
    }
  }

  offer(t) {
    this.control({ kind: MSG.OFFER, id: t.id, name: t.file.name, size: t.file.size, type: t.file.type, pieceBytes: PIECE_BYTES });
    // The first pieces are read and hashed while the remote user decides, for one offered file at a time (a few
    // MiB of memory): an accepted file starts at the channel's speed.
    const reading = [...this.outgoing.values()].some((x) => x.ahead.length > 0);
    if (t.state === 'offered' && !reading) {
      for (let i = 0; i <= READ_AHEAD_PIECES && i < t.pieces; i++) t.ahead.push(t.read(i));
    }
  }

  onAccept(m) {
    const t = this.outgoing.get(m.id);
    if (!t || t.final) return;
    const from = Number.isSafeInteger(m.from) && m.from >= 0 ? Math.min(m.from, t.pieces) : 0;
    this.trace(`accept ${m.from} -> from ${from} (state ${t.state}, next ${t.next}, active ${this.active === t})`);
    if (t.state === 'offered') {
      t.started = performance.now();
      t.row.setStatus('sending…');
    } else {
      this.counters.resumes += 1;
      t.row.setStatus(`resuming at ${sizeText(from * PIECE_BYTES)}…`);
    }
    t.state = 'sending';
    t.paused = false;
    t.acked = from;
    if (this.active === t) t.restartAt = from;
    else t.next = from;
    t.nudge();
    this.pump();
  }

  onDecline(m) {
    const t = this.outgoing.get(m.id);
    if (!t || t.final) return;
    const reason = typeof m.reason === 'string' ? m.reason.slice(0, 200) : '';
    t.end('declined', `declined by ${this.remote}${reason ? ` (${reason})` : ''}`);
    this.notify(`${this.remote} declined ${t.file.name}${reason ? ` (${reason})` : ''}`);
  }

  onAck(m) {
    const t = this.outgoing.get(m.id);
    if (!t || t.final || !Number.isSafeInteger(m.verified)) return;
    t.acked = Math.max(t.acked, Math.min(m.verified, t.pieces));
    t.nudge();
  }

  onDone(m) {
    const t = this.outgoing.get(m.id);
    if (!t || t.final || t.state !== 'waiting') return;
    this.counters.filesSent += 1;
    t.row.setProgress(1);
    t.end('sent', `delivered, SHA-256 ok${rateText(t.file.size, performance.now() - t.started)}`);
  }

  onFail(m) {
    const t = this.outgoing.get(m.id);
    if (!t || t.final) return;
    t.end('failed', `${this.remote} could not verify it: ${String(m.reason || '').slice(0, 200)}`);
  }

  /** One file at a time goes out; the others wait for their turn (or for their answer). */
  async pump() {
    if (this.sending) return;
    this.sending = true;
    try {
      for (;;) {
        // Only on an open channel whose other end answered: a closing channel would have sendPieces return at
        // once, and this loop would spin without ever letting the channel's close event in.
        if (!this.peerReady || !this.channel || this.channel.readyState !== 'open') return;
        const t = [...this.outgoing.values()].find((x) => x.state === 'sending' && !x.paused);
        if (!t) return;
        this.active = t;
        try {
          await this.sendPieces(t);
        } catch (e) {
          if (!t.final) {
            t.end('failed', `failed: ${e.message}`);
            this.control({ kind: MSG.CANCEL, id: t.id });
            this.notify(`sending ${t.file.name} failed: ${e.message}`);
          }
        } finally {
          this.active = null;
        }
        // The channel went away mid-file: the remote user's accept-from after the next hello resumes it.
        if (t.state === 'sending' && (t.paused || !this.peerReady)) return;
      }
    } finally {
      this.sending = false;
    }
  }

  async sendPieces(t) {
    const channel = this.channel;
    const { highWater } = this.options;
    channel.bufferedAmountLowThreshold = this.options.lowWater;
    const usable = () => channel === this.channel && channel.readyState === 'open' && this.peerReady && t.state === 'sending';
    const ms = this.counters.ms;
    // Reading pieces and their SHA-256 run READ_AHEAD_PIECES ahead, while the piece before goes out: the channel's
    // buffer does not wait for the disk or the hash, even when a busy machine makes one of them slow. The first
    // ones were read while the remote user decided (offer).
    const read = (index) => t.read(index);
    let ahead = t.ahead;
    t.ahead = [];
    while (usable() && t.next < t.pieces) {
      if (t.next - t.acked >= WINDOW_PIECES) {
        const waited = performance.now();
        await new Promise((resolve) => { t.wake = resolve; });
        ms.sendWindow += performance.now() - waited;
        continue;
      }
      const index = t.next;
      const current = ahead.find((x) => x.index === index) || read(index);
      ahead = ahead.filter((x) => x.index > index);
      for (let i = index + 1; i <= index + READ_AHEAD_PIECES && i < t.pieces; i++) {
        if (!ahead.some((x) => x.index === i)) ahead.push(read(i));
      }
      let waited = performance.now();
      const { bytes, digest } = await current.promise;
      ms.sendRead += performance.now() - waited;
      if (channel.bufferedAmount === 0) ms.sendIdle += performance.now() - waited; // (at most) the channel idled
      let offset = 0;
      for (; offset < bytes.length; offset += this.messageBytes) {
        if (!usable() || t.restartAt !== null) break;
        if (channel.bufferedAmount > highWater || this.paceDelay() > 0) {
          waited = performance.now();
          await this.drain(channel);
          ms.sendBuffer += performance.now() - waited;
          if (!usable() || t.restartAt !== null) break;
        }
        const length = Math.min(this.messageBytes, bytes.length - offset);
        if (!this.sendBytes(channel, bytes.subarray(offset, offset + length))) {
          offset -= this.messageBytes; // the same bytes again, in smaller messages
          continue;
        }
        this.counters.bytesSent += length;
        this.paced(length);
      }
      // Every message of the piece was copied by send (or the piece is given up): its buffer may be read into again.
      t.reader.recycle(bytes);
      // Stopped inside a piece on a channel that stays: tell the receiver to throw away the bytes it has.
      if (offset > 0 && offset < bytes.length) this.control({ kind: MSG.PIECE, id: t.id, index: -1 });
      if (!usable()) return;
      if (t.restartAt !== null) {
        t.next = t.restartAt;
        t.restartAt = null;
        continue;
      }
      this.control({ kind: MSG.PIECE, id: t.id, index, sha256: digest });
      t.digests[index] = digest;
      this.counters.piecesSent += 1;
      if (index <= t.highest) this.counters.piecesResent += 1;
      t.highest = Math.max(t.highest, index);
      t.next = index + 1;
      t.row.setProgress(t.next / t.pieces);
    }
    if (usable() && t.next >= t.pieces) {
      const root = await pieceListHash(t.digests);
      if (!usable()) return;
      this.control({ kind: MSG.END, id: t.id, root });
      t.state = 'waiting';
      t.row.setProgress(1);
      t.row.setStatus(`sent, ${this.remote} checks the SHA-256…`);
    }
  }

  /**
   * Sends one binary message. A message over the remote browser's limit (its SDP's max-message-size, which may
   * be below what this page tries) is refused with a TypeError: later messages are half as long.
   * @returns {boolean} false when the bytes were not sent and are to be sent again in smaller messages
   */
  sendBytes(channel, bytes) {
    try {
      channel.send(bytes);
      return true;
    } catch (e) {
      if (e instanceof TypeError && this.messageBytes > MIN_MESSAGE_BYTES) {
        this.messageLimit = Math.max(MIN_MESSAGE_BYTES, this.messageBytes >> 1);
        this.trace(`messages of ${this.messageBytes} bytes from now on`);
        return false;
      }
      throw e;
    }
  }

  /** Until the channel's buffer is low (or the channel closes), and the pace allows the next message. */
  async drain(channel) {
    if (channel.bufferedAmount > this.options.highWater) await waitFor(channel, ['bufferedamountlow', 'close']);
    const delay = this.paceDelay();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  // ---- receiving ----------------------------------------------------------------------------------------

  onOffer(m) {
    const known = this.incoming.get(m.id);
    if (known) {
      this.answerAgain(known);
      return;
    }
    const sane = typeof m.name === 'string' && Number.isSafeInteger(m.size) && m.size >= 0 && m.size <= MAX_FILE_BYTES
      && (m.type === undefined || typeof m.type === 'string') && saneLength(m.pieceBytes);
    if (!sane) {
      this.control({ kind: MSG.DECLINE, id: m.id, reason: 'malformed offer' });
      return;
    }
    const open = [...this.incoming.values()].filter((t) => t.state === 'offered').length;
    if (open >= MAX_OPEN_OFFERS) {
      this.control({ kind: MSG.DECLINE, id: m.id, reason: 'too many files waiting for an answer' });
      return;
    }
    const name = m.name.replace(/[\\/\u0000-\u001f\u007f]/g, '_').slice(0, 200) || 'file';
    const type = String(m.type || '').replace(/[^\w.+\-/;= ]/g, '').slice(0, 100);
    const row = new TransferRow(this.list, 'in', { name, size: m.size, type });
    const t = new Incoming({ id: m.id, name, size: m.size, type, pieceBytes: m.pieceBytes }, row);
    this.incoming.set(t.id, t);
    if (m.size > this.maxIncomingBytes) {
      this.decline(t, `larger than ${sizeText(this.maxIncomingBytes)}, the limit set`);
      return;
    }
    // The disk gets ready while the user decides, unless the file would be received in memory: then a worker and
    // the storage directory would cost CPU for nothing.
    if (this.options.disk && !this.inMemory(t)) prepareSinks();
    row.setStatus(`${this.remote} offers this file`);
    row.askConsent(() => this.accept(t.id), () => this.decline(t, 'declined'));
  }

  /** The sender offered a file we already know (after a channel re-open): tell it where we stand. */
  answerAgain(t) {
    if (t.state === 'receiving') {
      this.verifying = this.verifying.then(() => this.askFrom(t));
    } else if (t.state === 'declined') {
      this.control({ kind: MSG.DECLINE, id: t.id, reason: 'declined' });
    } else if (t.state === 'cancelled' || t.state === 'failed') {
      this.control({ kind: MSG.CANCEL, id: t.id });
    } else if (t.state === 'received') {
      this.control({ kind: MSG.DONE, id: t.id });
    }
  }

  askFrom(t) {
    if (t.state !== 'receiving') return;
    this.trace(`ask from ${t.verified} (expected ${t.expected})`);
    t.expected = t.verified;
    this.inbound = { parts: [], bytes: 0, overflow: false };
    this.control({ kind: MSG.ACCEPT, id: t.id, from: t.verified });
  }

  async accept(id) {
    const t = this.incoming.get(id);
    if (!t || t.state !== 'offered') return;
    t.state = 'receiving';
    t.started = performance.now();
    t.row.setStatus('preparing…');
    t.row.offerCancel(() => this.cancel(id));
    const opening = performance.now();
    try {
      t.sink = this.inMemory(t) ? new MemorySink(t.size)
        : await openSink(id, this.options.disk, this.options.diskWorker);
      this.counters.ms.open += performance.now() - opening;
    } catch (e) {
      this.dropIncoming(t, 'failed', `cannot store it: ${e.message}`);
      this.control({ kind: MSG.CANCEL, id });
      return;
    }
    if (t.state !== 'receiving') {
      t.sink.discard();
      return;
    }
    if (t.whole) t.whole.start(); // the hash worker loads while the first bytes are on their way
    this.counters.sinks = t.sink.kind;
    t.row.setStatus('receiving…');
    this.control({ kind: MSG.ACCEPT, id, from: 0 });
    if (t.pieces === 0) t.row.setProgress(1);
  }

  /** Whether a file goes to memory: small enough, with the other files being received in memory. */
  inMemory(t) {
    let held = 0;
    for (const x of this.incoming.values()) {
      if (x !== t && x.state === 'receiving' && x.sink && x.sink.kind === 'memory') held += x.size;
    }
    return held + t.size <= this.options.memoryMax;
  }

  decline(t, reason) {
    if (t.state !== 'offered') return;
    t.state = 'declined';
    t.row.setStatus(reason === 'declined' ? 'declined' : `declined: ${reason}`);
    t.row.clearButtons();
    this.control({ kind: MSG.DECLINE, id: t.id, reason });
  }

  receiveBytes(data) {
    const inbound = this.inbound;
    this.counters.bytesReceived += data.byteLength;
    if (inbound.overflow) return;
    if (inbound.bytes + data.byteLength > MAX_PIECE_BYTES) {
      // More than a piece without its trailer: nothing to attach it to. Dropped; the piece check asks again.
      inbound.parts = [];
      inbound.bytes = 0;
      inbound.overflow = true;
      return;
    }
    inbound.parts.push(new Uint8Array(data));
    inbound.bytes += data.byteLength;
  }

  onPiece(m) {
    const { parts, bytes, overflow } = this.inbound;
    this.inbound = { parts: [], bytes: 0, overflow: false };
    const t = this.incoming.get(m.id);
    if (t && m.index !== t.expected) this.trace(`piece ${m.index} dropped (expected ${t.expected}, ${bytes} bytes)`);
    if (!t || t.state !== 'receiving' || m.index !== t.expected) return; // stale, or after a resume request
    t.expected += 1;
    const sound = !overflow && typeof m.sha256 === 'string' && SHA.test(m.sha256) && t.expected <= t.pieces
      && bytes === pieceLength(t.size, m.index, t.pieceBytes);
    // The piece's SHA-256 starts now, while the pieces before it are still being written: checks and writes
    // overlap, and only the writes (in order) wait for each other.
    let piece = null;
    let digest = null;
    if (sound) {
      // Into the memory sink's buffer where the piece belongs (one copy), else one buffer for the piece.
      const region = t.sink && t.sink.region ? t.sink.region(m.index * t.pieceBytes, bytes) : null;
      piece = region || (parts.length === 1 ? parts[0] : new Uint8Array(bytes));
      if (region || parts.length > 1) {
        let at = 0;
        for (const p of parts) {
          piece.set(p, at);
          at += p.length;
        }
      }
      digest = crypto.subtle.digest('SHA-256', piece).then(hex);
      digest.catch(() => {}); // awaited in verify; a piece given up before that must not report a rejection
    }
    this.verifying = this.verifying.then(() => this.verify(t, m.index, piece, digest, m.sha256));
  }

  async verify(t, index, bytes, digest, sha256) {
    if (t.state !== 'receiving' || index !== t.verified) return;
    let piece = bytes;
    if (piece) {
      const checking = performance.now();
      if (await digest !== sha256) piece = null;
      this.counters.ms.verify += performance.now() - checking;
    }
    if (t.state !== 'receiving') return;
    if (!piece) {
      this.counters.piecesRejected += 1;
      this.askFrom(t);
      return;
    }
    // The whole-file hash (large files) gets its own copy: the sink may move the piece's buffer to its worker.
    if (t.whole) t.whole.update(piece.slice());
    const writing = performance.now();
    try {
      await t.sink.append(piece);
      this.counters.ms.write += performance.now() - writing;
    } catch (e) {
      this.dropIncoming(t, 'failed', `cannot store it: ${e.message}`);
      this.control({ kind: MSG.CANCEL, id: t.id });
      return;
    }
    if (t.state !== 'receiving') return;
    t.verified += 1;
    t.digests[index] = sha256;
    this.counters.piecesVerified += 1;
    this.control({ kind: MSG.ACK, id: t.id, verified: t.verified });
    t.row.setProgress(t.verified / t.pieces);
  }

  onEnd(m) {
    const t = this.incoming.get(m.id);
    if (!t || t.state !== 'receiving') return;
    this.verifying = this.verifying.then(() => this.finish(t, m.root));
  }

  async finish(t, root) {
    if (t.state !== 'receiving' || t.verified !== t.pieces) return; // a piece is being asked for again
    if (await pieceListHash(t.digests) !== root) {
      this.control({ kind: MSG.FAIL, id: t.id, reason: 'SHA-256 mismatch' });
      this.dropIncoming(t, 'failed', 'damaged in transit (SHA-256 mismatch), discarded');
      this.notify(`${t.name} arrived damaged (SHA-256 mismatch) and was discarded`);
      return;
    }
    let blob;
    let digest;
    try {
      const hashing = performance.now();
      // A sink that holds the bytes hashes them before letting go of them; else the hash worker (large files)
      // or what was stored, read back.
      if (t.sink.sha256) digest = hex(await t.sink.sha256());
      this.counters.ms.wholeHash += performance.now() - hashing;
      const closing = performance.now();
      blob = await t.sink.finish();
      this.counters.ms.close += performance.now() - closing;
      if (!digest) {
        const reading = performance.now();
        digest = t.whole ? await t.whole.digest() : hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
        this.counters.ms.wholeHash += performance.now() - reading;
      }
    } catch (e) {
      this.control({ kind: MSG.FAIL, id: t.id, reason: 'receiver could not store it' });
      this.dropIncoming(t, 'failed', `cannot store it: ${e.message}`);
      return;
    }
    if (t.state !== 'receiving') return;
    t.state = 'received';
    this.counters.filesReceived += 1;
    this.counters.lastReceiveMs = Math.round(performance.now() - t.started); // from Accept to the verified link
    this.counters.lastReceiveBytes = t.size;
    this.control({ kind: MSG.DONE, id: t.id });
    t.url = URL.createObjectURL(blob);
    t.row.setProgress(1);
    t.row.showLink(t.url, t.name, digest, `received, SHA-256 ok${rateText(t.size, performance.now() - t.started)}`);
    t.row.offerRemove(() => this.forget(t));
  }

  /** The user is done with a received file: its object URL and its bytes are released. */
  forget(t) {
    this.release(t);
    if (t.sink) t.sink.remove();
    t.row.remove();
    this.incoming.delete(t.id);
  }

  release(t) {
    if (t.url) URL.revokeObjectURL(t.url);
    t.url = null;
  }

  /** Object URLs of every received file, e.g. when the page goes away. */
  releaseAll() {
    for (const t of this.incoming.values()) this.release(t);
  }

  dropIncoming(t, state, text) {
    t.state = state;
    t.row.setStatus(text);
    t.row.clearButtons();
    if (t.whole) t.whole.close();
    if (t.sink) t.sink.discard();
    t.sink = null;
  }

  // ---- cancel -------------------------------------------------------------------------------------------

  /** This side stops a transfer, whichever way it goes. */
  cancel(id) {
    const out = this.outgoing.get(id);
    if (out && !out.final) {
      out.end('cancelled', 'cancelled');
      this.control({ kind: MSG.CANCEL, id });
    }
    const inc = this.incoming.get(id);
    if (inc && !inc.final) {
      this.dropIncoming(inc, 'cancelled', 'cancelled');
      this.control({ kind: MSG.CANCEL, id });
    }
  }

  onCancel(m) {
    const out = this.outgoing.get(m.id);
    if (out && !out.final) out.end('cancelled', `cancelled by ${this.remote}`);
    const inc = this.incoming.get(m.id);
    if (inc && !inc.final) this.dropIncoming(inc, 'cancelled', `cancelled by ${this.remote}`);
  }
}
