// @ts-check
// Whether the user's microphone and camera are on, told to the remote user's page over the call's "link" DataChannel
// (the same negotiated channel the link probe and the degradation ladder use), so the remote video can say "muted"
// or "camera off" instead of showing silence or a black picture without a reason.
//
// The channel is unordered and drops what it cannot deliver at once, so the state is sent on every change and
// repeated every second; a sequence number lets the receiver ignore a repeat of an older state that arrives late.
// The message carries two booleans and a number: nothing of it is ever displayed.
//
// Usage (one per peer connection): const m = new MediaStateLink({ channel: linkChannel });
//        m.addEventListener('remote', e => show(e.detail)); m.setLocal({ mic: false, camera: true }); ... m.stop();

import { LINK_MESSAGES } from './protocol.js';
import { parseObject } from './json.js';

export const REPEAT_MS = 1000;
/** Longer messages on the link channel are not this one (and are not parsed). */
const MAX_MESSAGE_CHARS = 200;
const MAX_SEQ = 2 ** 31;

/**
 * @typedef {{mic: boolean, camera: boolean}} MediaState  what the sender sends: true = on
 */

/** @param {number} seq @param {MediaState} state */
export function mediaMessage(seq, state) {
  return { t: LINK_MESSAGES.MEDIA, seq, mic: Boolean(state.mic), camera: Boolean(state.camera) };
}

/**
 * The remote user's state from one message on the link channel, or null when it is not a media message, is
 * malformed, or is not newer than `lastSeq` (a late repeat).
 * @param {unknown} data
 * @param {number} lastSeq
 * @returns {{seq: number, state: MediaState} | null}
 */
export function readMediaMessage(data, lastSeq) {
  const m = parseObject(data, MAX_MESSAGE_CHARS);
  if (!m || m.t !== LINK_MESSAGES.MEDIA) return null;
  if (!Number.isInteger(m.seq) || m.seq <= lastSeq || m.seq > MAX_SEQ) return null;
  if (typeof m.mic !== 'boolean' || typeof m.camera !== 'boolean') return null;
  return { seq: m.seq, state: { mic: m.mic, camera: m.camera } };
}

export class MediaStateLink extends EventTarget {
  /**
   * @param {object} o
   * @param {RTCDataChannel} o.channel  the link channel (createLinkChannel in callquality.js)
   * @param {MediaState} [o.local]      the state to start with
   * @param {number} [o.repeatMs]
   */
  constructor({ channel, local = { mic: true, camera: true }, repeatMs = REPEAT_MS }) {
    super();
    this.channel = channel;
    this.local = { ...local };
    this.seq = 1;
    this.lastRemoteSeq = 0;
    /** @type {MediaState} until told otherwise, the remote user's microphone and camera count as on */
    this.remote = { mic: true, camera: true };
    this.stopped = false;
    this.onMessage = (/** @type {MessageEvent} */ event) => this.receive(event.data);
    channel.addEventListener('message', this.onMessage);
    channel.addEventListener('open', () => this.sendNow());
    this.timer = setInterval(() => this.sendNow(), repeatMs);
  }

  /** @param {MediaState} state */
  setLocal(state) {
    if (state.mic === this.local.mic && state.camera === this.local.camera) return;
    this.local = { mic: Boolean(state.mic), camera: Boolean(state.camera) };
    this.seq = Math.min(this.seq + 1, MAX_SEQ);
    this.sendNow();
  }

  sendNow() {
    if (this.stopped || this.channel.readyState !== 'open') return;
    try {
      this.channel.send(JSON.stringify(mediaMessage(this.seq, this.local)));
    } catch {
      // closing: the call is ending
    }
  }

  /** @param {unknown} data */
  receive(data) {
    if (this.stopped) return;
    const read = readMediaMessage(data, this.lastRemoteSeq);
    if (!read) return;
    this.lastRemoteSeq = read.seq;
    const { mic, camera } = read.state;
    if (mic === this.remote.mic && camera === this.remote.camera) return;
    this.remote = { mic, camera };
    this.dispatchEvent(new CustomEvent('remote', { detail: { ...this.remote } }));
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    this.channel.removeEventListener('message', this.onMessage);
  }
}

/**
 * A conference tile's marks for what its member turned off: "muted" beside the name, "camera off" over the picture.
 * Hooks: remote-muted and remote-camera-off with data-user (the 1:1 call's are on the stage, without data-user).
 * @param {HTMLElement} tile   the tile's root; its .tile-label gets the "muted" mark
 * @param {string} user        the member's name
 * @param {string} shownName   the name as the page shows it
 * @returns {(state: MediaState) => void} shows a state
 */
export function tileMediaMarks(tile, user, shownName) {
  const muted = document.createElement('span');
  muted.className = 'tile-muted';
  muted.dataset.testid = 'remote-muted';
  muted.dataset.user = user;
  muted.textContent = 'muted';
  muted.setAttribute('aria-label', `${shownName} muted their microphone`);
  muted.hidden = true;
  const cameraOff = document.createElement('div');
  cameraOff.className = 'tile-camera-off';
  cameraOff.dataset.testid = 'remote-camera-off';
  cameraOff.dataset.user = user;
  cameraOff.textContent = `${shownName} turned their camera off`;
  cameraOff.hidden = true;
  (tile.querySelector('.tile-label') || tile).append(muted);
  tile.querySelector('video')?.after(cameraOff);
  return (state) => {
    muted.hidden = state.mic;
    cameraOff.hidden = state.camera;
  };
}
