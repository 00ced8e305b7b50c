// @ts-check
// Call quality from WebRTC statistics: one sample per second (RTT, loss, bitrate, frame rate, resolution),
// summarized as good / fair / poor. Pure functions over plain objects, so the rules are unit-tested in node.

/**
 * @typedef {object} Sample
 * @property {number|null} rttMs          round trip of the media path (ICE pair, or the link probe)
 * @property {number|null} lossPct        packets lost on the way, percent, over the last interval
 * @property {number} inKbps              bits received per second (audio + video), kbit/s
 * @property {number} outKbps             bits sent per second, kbit/s
 * @property {number|null} availableOutKbps  the browser's estimate of what the uplink carries, kbit/s
 * @property {number|null} fps            remote video frames decoded per second (null: no video coming)
 * @property {number} width               remote video resolution
 * @property {number} height
 */

/** @typedef {'good'|'fair'|'poor'} Level */

/** Thresholds a person notices: a talk-over delay from ~300 ms, choppy audio from a few percent of loss. */
export const LIMITS = Object.freeze({
  poorRttMs: 800,
  fairRttMs: 250,
  poorLossPct: 10,
  fairLossPct: 3,
  fairFps: 10,
});

/**
 * Counters the next sample is computed against.
 * @typedef {object} Counters
 * @property {number} at           ms timestamp of the report
 * @property {number} bytesIn
 * @property {number} bytesOut
 * @property {number} packetsIn
 * @property {number} lostIn
 * @property {number} framesDecoded
 */

/**
 * Reads one getStats report (its values as an array of plain objects) into counters and instant values.
 * @param {Array<Record<string, any>>} stats
 * @param {number} now ms
 */
export function readReport(stats, now) {
  /** @type {Counters} */
  const counters = { at: now, bytesIn: 0, bytesOut: 0, packetsIn: 0, lostIn: 0, framesDecoded: 0 };
  let rttMs = null;
  let availableOutKbps = null;
  let remoteLoss = null;
  let fps = null;
  let width = 0;
  let height = 0;
  let hasVideoIn = false;
  let pairId = null;
  const byId = new Map(stats.map((s) => [s.id, s]));
  for (const s of stats) {
    if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
  }
  let pair = pairId ? byId.get(pairId) : null;
  if (!pair) pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') || null;
  if (pair) {
    if (typeof pair.currentRoundTripTime === 'number') rttMs = pair.currentRoundTripTime * 1000;
    if (typeof pair.availableOutgoingBitrate === 'number') availableOutKbps = pair.availableOutgoingBitrate / 1000;
  }
  for (const s of stats) {
    if (s.type === 'inbound-rtp') {
      counters.bytesIn += s.bytesReceived || 0;
      counters.packetsIn += s.packetsReceived || 0;
      counters.lostIn += Math.max(0, s.packetsLost || 0);
      if (s.kind === 'video') {
        hasVideoIn = true;
        counters.framesDecoded += s.framesDecoded || 0;
        if (typeof s.framesPerSecond === 'number') fps = s.framesPerSecond;
        width = s.frameWidth || width;
        height = s.frameHeight || height;
      }
    } else if (s.type === 'outbound-rtp') {
      counters.bytesOut += s.bytesSent || 0;
    } else if (s.type === 'remote-inbound-rtp' && typeof s.fractionLost === 'number') {
      // What the remote user receives of ours: the worst of audio and video.
      remoteLoss = Math.max(remoteLoss || 0, s.fractionLost * 100);
    }
  }
  return { counters, rttMs, availableOutKbps, remoteLossPct: remoteLoss, fps, width, height, hasVideoIn };
}

/**
 * One sample from two consecutive reports.
 * @param {ReturnType<typeof readReport>|null} previous
 * @param {ReturnType<typeof readReport>} current
 * @returns {Sample}
 */
export function sample(previous, current) {
  const c = current.counters;
  const p = previous ? previous.counters : null;
  const seconds = p ? Math.max(0.001, (c.at - p.at) / 1000) : 0;
  const delta = (/** @type {keyof Counters} */ key) => (p ? Math.max(0, c[key] - p[key]) : 0);
  const received = delta('packetsIn');
  const lost = delta('lostIn');
  let lossPct = received + lost > 0 ? (100 * lost) / (received + lost) : null;
  // The remote side's report of our loss stays at its last value while we send nothing (video or audio paused by
  // the ladder): only a report about packets sent in this interval counts.
  if (current.remoteLossPct !== null && delta('bytesOut') > 0) lossPct = Math.max(lossPct || 0, current.remoteLossPct);
  let fps = current.fps;
  if (fps === null && current.hasVideoIn && p) fps = delta('framesDecoded') / seconds;
  return {
    rttMs: current.rttMs,
    lossPct,
    inKbps: p ? (8 * delta('bytesIn')) / seconds / 1000 : 0,
    outKbps: p ? (8 * delta('bytesOut')) / seconds / 1000 : 0,
    availableOutKbps: current.availableOutKbps,
    fps: current.hasVideoIn ? fps : null,
    width: current.width,
    height: current.height,
  };
}

/**
 * good / fair / poor, and the reasons (for the details a user asks for).
 * @param {Partial<Sample>} s
 * @param {{videoExpected?: boolean}} [context] videoExpected: the remote user is sending video (not paused)
 * @returns {{level: Level, reasons: string[]}}
 */
export function classify(s, context = {}) {
  /** @type {string[]} */
  const poor = [];
  /** @type {string[]} */
  const fair = [];
  const rtt = s.rttMs;
  const loss = s.lossPct;
  if (typeof rtt === 'number') {
    if (rtt >= LIMITS.poorRttMs) poor.push(`round trip ${Math.round(rtt)} ms`);
    else if (rtt >= LIMITS.fairRttMs) fair.push(`round trip ${Math.round(rtt)} ms`);
  }
  if (typeof loss === 'number') {
    if (loss >= LIMITS.poorLossPct) poor.push(`${loss.toFixed(0)}% packets lost`);
    else if (loss >= LIMITS.fairLossPct) fair.push(`${loss.toFixed(1)}% packets lost`);
  }
  if (context.videoExpected && typeof s.fps === 'number' && s.fps < LIMITS.fairFps) {
    fair.push(`video at ${s.fps.toFixed(0)} frames/s`);
  }
  if (poor.length > 0) return { level: 'poor', reasons: poor.concat(fair) };
  if (fair.length > 0) return { level: 'fair', reasons: fair };
  return { level: 'good', reasons: [] };
}

/**
 * One line per figure, for the tooltip and the details panel.
 * @param {Partial<Sample>} s
 */
export function describe(s) {
  const lines = [];
  lines.push(`round trip: ${typeof s.rttMs === 'number' ? `${Math.round(s.rttMs)} ms` : 'n/a'}`);
  lines.push(`loss: ${typeof s.lossPct === 'number' ? `${s.lossPct.toFixed(1)} %` : 'n/a'}`);
  lines.push(`bitrate: in ${Math.round(s.inKbps || 0)} kbit/s, out ${Math.round(s.outKbps || 0)} kbit/s`);
  if (typeof s.fps === 'number') lines.push(`video: ${s.width || 0}×${s.height || 0} at ${s.fps.toFixed(0)} frames/s`);
  else lines.push('video: none received');
  return lines;
}

/**
 * Loss and round trip measured with our own pings over an unreliable DataChannel: it keeps measuring when
 * audio and video are off (chat only), which is what tells the ladder the link has recovered.
 */
export class LinkProbe {
  /**
   * @param {object} o
   * @param {number} [o.timeoutMs]  a ping unanswered this long counts as lost
   * @param {number} [o.windowMs]   loss and RTT are taken over the pings sent in this window
   */
  constructor({ timeoutMs = 2000, windowMs = 4000 } = {}) {
    this.timeoutMs = timeoutMs;
    this.windowMs = windowMs;
    this.nextId = 1;
    /** @type {Array<{id: number, sentAt: number, rttMs: number|null}>} */
    this.pings = [];
    this.lastReplyAt = 0;
  }

  /** @param {number} now @returns {{t: 'ping', id: number}} the message to send */
  ping(now) {
    const id = this.nextId++;
    this.pings.push({ id, sentAt: now, rttMs: null });
    // keep what the window and the timeout can still need
    const horizon = now - this.windowMs - this.timeoutMs;
    while (this.pings.length > 0 && this.pings[0].sentAt < horizon) this.pings.shift();
    return { t: 'ping', id };
  }

  /** @param {number} id @param {number} now */
  pong(id, now) {
    const p = this.pings.find((x) => x.id === id);
    if (!p || p.rttMs !== null) return; // unknown or duplicate: a replayed pong changes nothing
    p.rttMs = now - p.sentAt;
    this.lastReplyAt = now;
  }

  /**
   * Loss over pings old enough to have been answered; RTT the median of the answered ones.
   * @param {number} now
   * @returns {{lossPct: number|null, rttMs: number|null}}
   */
  measure(now) {
    const settled = this.pings.filter((p) => p.sentAt >= now - this.windowMs - this.timeoutMs
      && (p.rttMs !== null || now - p.sentAt >= this.timeoutMs));
    if (settled.length < 3) return { lossPct: null, rttMs: null };
    const answered = settled.filter((p) => p.rttMs !== null).map((p) => /** @type {number} */ (p.rttMs)).sort((a, b) => a - b);
    const lossPct = (100 * (settled.length - answered.length)) / settled.length;
    const rttMs = answered.length > 0 ? answered[Math.floor(answered.length / 2)] : null;
    return { lossPct, rttMs };
  }
}
