// @ts-check
// The degradation ladder: what a call sends when the link gets worse, step by step, and back up when it
// recovers. Full video, then lower resolution and frame rate, then audio only, then chat only (the DataChannel
// keeps working). Hysteresis: down fast on a poor link, up slowly on a good one, and slower each time a step up
// had to be taken back. Pure: the caller feeds one quality level per second and applies the step it gets.

/** @typedef {'good'|'fair'|'poor'} Level */
/** @typedef {'video'|'audio'|'chat'} MediaLevel */

export const STEPS = Object.freeze(['video', 'video-reduced', 'video-low', 'audio', 'chat']);
export const AUDIO_STEP = 3;
export const CHAT_STEP = 4;

export const TIMING = Object.freeze({
  downAfterMs: 2500, // a poor link for this long takes one step down (and again after as long)
  fairDownAfterMs: 6000, // a merely fair link lowers the video, but never turns it off
  upAfterMs: 4000, // a good link for this long takes one step up...
  maxUpAfterMs: 8000, // ...doubling, up to this (two steps back to video stay well within 30 s), each time a step up is taken back within...
  relapseMs: 10000,
  calmMs: 30000, // ...and back to upAfterMs after this long without a change
});

/** @param {number} step @returns {MediaLevel} */
export function mediaLevel(step) {
  return step >= CHAT_STEP ? 'chat' : step >= AUDIO_STEP ? 'audio' : 'video';
}

/** The lower of two sides' steps: both send what the weaker end can take. */
export function effectiveStep(/** @type {number} */ a, /** @type {number} */ b) {
  return Math.max(validStep(a), validStep(b));
}

/** @param {unknown} step @returns {number} a step index, 0 for anything that is not one */
export function validStep(step) {
  return typeof step === 'number' && Number.isInteger(step) && step >= 0 && step < STEPS.length ? step : 0;
}

/**
 * What each sender sends at a step (for RTCRtpSender.setParameters): resolution and frame rate go down first.
 * @param {number} step
 * @returns {{video: {active: boolean, scaleResolutionDownBy?: number, maxFramerate?: number, maxBitrate?: number},
 *            audio: {active: boolean}}}
 */
export function encodingFor(step) {
  switch (validStep(step)) {
    case 0: return { video: { active: true, scaleResolutionDownBy: 1 }, audio: { active: true } };
    case 1: return { video: { active: true, scaleResolutionDownBy: 2, maxFramerate: 15, maxBitrate: 300_000 }, audio: { active: true } };
    case 2: return { video: { active: true, scaleResolutionDownBy: 4, maxFramerate: 8, maxBitrate: 120_000 }, audio: { active: true } };
    case AUDIO_STEP: return { video: { active: false }, audio: { active: true } };
    default: return { video: { active: false }, audio: { active: false } };
  }
}

/**
 * What the user reads about a step.
 * @param {number} step
 * @param {string} [where] whose link, e.g. "your network" or "bob's network"
 */
export function explain(step, where = 'the network') {
  switch (validStep(step)) {
    case 0: return '';
    case 1:
    case 2: return `video quality lowered: ${where} is weak`;
    case AUDIO_STEP: return `video paused: ${where} too weak (audio only)`;
    default: return `audio and video paused: ${where} too weak (chat only)`;
  }
}

/** @typedef {{[K in keyof typeof TIMING]: number}} Timing */

export class Ladder {
  /** @param {Timing} [timing] */
  constructor(timing = TIMING) {
    this.timing = timing;
    this.step = 0;
    this.changedAt = -Infinity;
    this.upAt = -Infinity; // when the last step up happened
    this.upAfterMs = timing.upAfterMs;
    /** @type {Level|null} */
    this.levelSince = null;
    this.since = 0;
  }

  /**
   * Feeds the current quality; returns the step to send at (changed or not).
   * @param {Level} level
   * @param {number} now ms
   */
  update(level, now) {
    if (level !== this.levelSince) {
      this.levelSince = level;
      this.since = now;
    }
    const t = this.timing;
    const held = now - Math.max(this.since, this.changedAt);
    if (now - this.changedAt >= t.calmMs) this.upAfterMs = t.upAfterMs;
    if (level === 'poor' && this.step < CHAT_STEP && held >= t.downAfterMs) {
      this.down(now);
    } else if (level === 'fair' && this.step < AUDIO_STEP - 1 && held >= t.fairDownAfterMs) {
      this.down(now);
    } else if (level === 'good' && this.step > 0 && held >= this.upAfterMs) {
      this.step -= 1;
      this.changedAt = now;
      this.upAt = now;
    }
    return this.step;
  }

  /** @param {number} now */
  down(now) {
    if (now - this.upAt < this.timing.relapseMs) {
      // The step up did not hold: wait longer before the next try.
      this.upAfterMs = Math.min(this.upAfterMs * 2, this.timing.maxUpAfterMs);
      this.upAt = -Infinity;
    }
    this.step += 1;
    this.changedAt = now;
  }
}
