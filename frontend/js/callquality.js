// @ts-check
// Quality and degradation for one peer connection (a 1:1 call, or one conference tile): each second it reads
// getStats and its own pings, classifies the link, steps the ladder, applies the step to the senders, and tells
// the remote user's page over the "link" DataChannel so both pages show (and send) the same step.
//
// Usage: const q = new CallQuality({ pc, channel: createLinkChannel(pc), senders: () => ({ audio, video }) });
//        q.addEventListener('quality', e => ...); q.addEventListener('level', e => ...); q.start(); ... q.stop();

import { classify, describe, LinkProbe, readReport, sample } from './quality.js';
import { DATA_CHANNELS, LINK_MESSAGES } from './protocol.js';
import { AUDIO_STEP, effectiveStep, encodingFor, explain, Ladder, mediaLevel, validStep } from './ladder.js';
import { parseObject } from './json.js';

const PING_MS = 500;
const TICK_MS = 1000;
const MAX_PINGS_PER_SECOND = 10;

/**
 * Both pages create it with the same id, so neither waits for the other's announcement. Unreliable and
 * unordered: a late ping is a lost ping, which is what it is there to measure.
 * @param {RTCPeerConnection} pc
 */
export function createLinkChannel(pc) {
  return pc.createDataChannel(DATA_CHANNELS.LINK.label, { negotiated: true, id: DATA_CHANNELS.LINK.id, ordered: false, maxRetransmits: 0 });
}

/**
 * @typedef {object} QualityDetail
 * @property {'good'|'fair'|'poor'} level
 * @property {string[]} reasons
 * @property {string[]} lines
 * @property {import('./quality.js').Sample} sample
 */

export class CallQuality extends EventTarget {
  /**
   * @param {object} o
   * @param {RTCPeerConnection} o.pc
   * @param {RTCDataChannel} o.channel   from createLinkChannel
   * @param {() => {audio: RTCRtpSender|null, video: RTCRtpSender|null}} o.senders
   * @param {string} [o.remoteName]      for the messages ("bob's network")
   * @param {() => number|null} [o.maxBitrate]  the video cap at full quality (a conference's share of the
   *                                            uplink), null for none
   * @param {() => number} [o.now]
   */
  constructor({ pc, channel, senders, remoteName = 'the other side', maxBitrate = () => null, now = () => performance.now() }) {
    super();
    this.maxBitrate = maxBitrate;
    this.pc = pc;
    this.channel = channel;
    this.senders = senders;
    this.remoteName = remoteName;
    this.now = now;
    this.probe = new LinkProbe({ timeoutMs: 3000, windowMs: 4000 });
    this.ladder = new Ladder();
    this.ownStep = 0;
    this.remoteStep = 0;
    this.appliedStep = -1;
    /** @type {Promise<unknown>|null} */
    this.applying = null;
    /** @type {ReturnType<typeof readReport>|null} */
    this.previous = null;
    this.pingBudget = { second: 0, count: 0 };
    this.timers = /** @type {any[]} */ ([]);
    this.stopped = false;
    this.startedAt = 0;
    channel.addEventListener('message', (event) => this.onMessage(event.data));
  }

  start() {
    this.startedAt = this.now();
    this.timers.push(setInterval(() => this.sendPing(), PING_MS));
    this.timers.push(setInterval(() => { this.tick().catch((e) => console.warn('quality tick failed', e)); }, TICK_MS));
  }

  stop() {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  /** Applies the current step again, e.g. after what maxBitrate() returns changed. */
  reapply() {
    this.appliedStep = -1;
    this.applyStep();
    return this.applying;
  }

  /** The step both sides send at now. */
  get step() {
    return effectiveStep(this.ownStep, this.remoteStep);
  }

  /** @param {object} message */
  send(message) {
    if (this.channel.readyState !== 'open') return;
    try {
      this.channel.send(JSON.stringify(message));
    } catch {
      // closing: nothing to measure any more
    }
  }

  sendPing() {
    if (this.channel.readyState === 'open') this.send(this.probe.ping(this.now()));
  }

  /** @param {unknown} data */
  onMessage(data) {
    if (this.stopped) return;
    const m = parseObject(data, 200);
    if (!m) return;
    if (m.t === LINK_MESSAGES.PING && Number.isInteger(m.id)) {
      const second = Math.floor(this.now() / 1000);
      if (this.pingBudget.second !== second) this.pingBudget = { second, count: 0 };
      if (++this.pingBudget.count <= MAX_PINGS_PER_SECOND) this.send({ t: LINK_MESSAGES.PONG, id: m.id });
    } else if (m.t === LINK_MESSAGES.PONG && Number.isInteger(m.id)) {
      this.probe.pong(m.id, this.now());
    } else if (m.t === LINK_MESSAGES.LEVEL) {
      const step = validStep(m.step);
      if (step !== this.remoteStep) {
        this.remoteStep = step;
        this.applyStep();
      }
    }
  }

  async tick() {
    if (this.stopped || this.pc.connectionState === 'closed') return;
    const now = this.now();
    const report = await this.pc.getStats();
    if (this.stopped) return;
    const values = /** @type {Array<Record<string, any>>} */ ([]);
    report.forEach((s) => values.push(s));
    const current = readReport(values, now);
    const previous = this.previous;
    this.previous = current;
    if (!previous) return; // rates need two reports
    const s = sample(previous, current);
    const probed = this.probe.measure(now);
    // Round trip from ICE's own checks when there is one: the probe's messages share the SCTP association with
    // file transfers and can wait behind them. The probe keeps measuring loss when no media flows; RTP loss adds
    // what its few packets may miss.
    if (s.rttMs === null && probed.rttMs !== null) s.rttMs = probed.rttMs;
    if (probed.lossPct !== null) s.lossPct = Math.max(probed.lossPct, s.lossPct || 0);
    const verdict = classify(s, { videoExpected: this.step < AUDIO_STEP });
    /** @type {QualityDetail} */
    const detail = { level: verdict.level, reasons: verdict.reasons, lines: describe(s), sample: s };
    this.dispatchEvent(new CustomEvent('quality', { detail }));
    // Only the link moves the ladder (a low frame rate is also what the ladder itself asks for at its lower
    // steps), and only once the probe has answers: before that, a slow start is not a weak link.
    if (probed.lossPct !== null) this.ownStep = this.ladder.update(classify(s).level, now);
    this.send({ t: LINK_MESSAGES.LEVEL, step: this.ownStep });
    this.applyStep();
  }

  applyStep() {
    const step = this.step;
    if (step === this.appliedStep) return;
    const previous = this.appliedStep;
    this.appliedStep = step;
    const encoding = encodingFor(step);
    const cap = this.maxBitrate();
    if (cap && encoding.video.active) {
      encoding.video.maxBitrate = Math.min(cap, encoding.video.maxBitrate || Infinity);
    }
    // One setParameters at a time per connection: a second one while the first is pending is refused.
    this.applying = (this.applying || Promise.resolve())
      .then(() => {
        const { audio, video } = this.senders();
        return Promise.all([setEncoding(video, encoding.video), setEncoding(audio, encoding.audio)]);
      })
      .catch((e) => {
        console.warn('setParameters failed; the next tick tries again', e);
        if (this.appliedStep === step) this.appliedStep = -1;
      });
    const mine = this.ownStep >= this.remoteStep;
    const where = mine ? 'your network' : `${this.remoteName}'s network`;
    this.dispatchEvent(new CustomEvent('level', {
      detail: {
        step,
        previous,
        mediaLevel: mediaLevel(step),
        text: explain(step, where),
        side: mine ? 'local' : 'remote',
      },
    }));
  }
}

/**
 * What the quality indicator shows on hover or tap: the reasons for its level, then the figures.
 * @param {QualityDetail} detail
 */
export function qualityText(detail) {
  return [...detail.reasons.map((r) => `⚠ ${r}`), ...detail.lines].join('\n');
}

/**
 * @param {RTCRtpSender|null} sender
 * @param {Record<string, any>} wanted
 */
async function setEncoding(sender, wanted) {
  if (!sender) return;
  const params = sender.getParameters();
  if (!params.encodings || params.encodings.length === 0) return; // not negotiated yet: the next step applies it
  const encoding = /** @type {Record<string, any>} */ (params.encodings[0]);
  for (const key of ['scaleResolutionDownBy', 'maxFramerate', 'maxBitrate']) delete encoding[key];
  Object.assign(encoding, wanted);
  await sender.setParameters(params);
}
