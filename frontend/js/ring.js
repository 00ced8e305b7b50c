// @ts-check
// The incoming call rings: a two-tone ring made with Web Audio (no sound file to ship), and a system notification
// when the tab is in the background. Browsers let a page make sound only after the user has interacted with it;
// before that the ring is silent and the notice and notification still tell.

/** @type {AudioContext | null} */
let context = null;
/** @type {number | null} */
let timer = null;
/** @type {Notification | null} */
let shown = null;

function beep(ctx, at, frequency) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(0.15, at + 0.02);
  gain.gain.setValueAtTime(0.15, at + 0.35);
  gain.gain.linearRampToValueAtTime(0, at + 0.4);
  osc.connect(gain).connect(ctx.destination);
  osc.start(at);
  osc.stop(at + 0.42);
}

/** Starts ringing (idempotent); {@code who} is the caller's name as shown. */
export function startRinging(who) {
  if (timer !== null) return;
  try {
    const Ctx = window.AudioContext;
    if (Ctx) {
      context = context || new Ctx();
      context.resume().catch(() => {});
      const ring = () => {
        const now = context.currentTime;
        beep(context, now, 440);
        beep(context, now + 0.45, 480);
      };
      ring();
      timer = window.setInterval(ring, 2500);
    }
  } catch {
    timer = null; // no audio: the page still shows the call
  }
  if (document.hidden && 'Notification' in window && Notification.permission === 'granted') {
    try {
      shown = new Notification('Incoming call', { body: `${who} is calling you`, tag: 'decwebrtc-call', requireInteraction: true });
      shown.onclick = () => { window.focus(); if (shown) shown.close(); };
    } catch {
      shown = null;
    }
  }
}

export function stopRinging() {
  if (timer !== null) window.clearInterval(timer);
  timer = null;
  if (shown) shown.close();
  shown = null;
}

/** Asks once, on a user action, whether calls may notify while the tab is in the background. */
export function askToNotify() {
  if ('Notification' in window && Notification.permission === 'default') Notification.requestPermission().catch(() => {});
}
