// @ts-check
// The device settings dialog: the cameras, microphones and speakers the browser lists, the chosen camera's picture
// and the chosen microphone's level. A choice is kept (devices.js) and handed to `onInput` so a running call or
// conference switches to it at once. Hooks: device-settings (button), camera-select, mic-select, speaker-select,
// device-preview (video), mic-level (meter).

import { applySpeaker, canChooseSpeaker, deviceOptions, loadChoice, micLevel, openChosenMedia, saveChoice } from './devices.js';

const METER_MS = 100;

/**
 * @param {object} o
 * @param {(testid: string) => HTMLElement} o.$
 * @param {(kind: 'audio'|'video', deviceId: string) => Promise<void>} o.onInput  a call or conference switches
 * @param {() => Iterable<HTMLMediaElement>} o.speakers  every element whose sound the speaker choice routes
 */
export function setupDeviceSettings({ $, onInput, speakers }) {
  const dialog = /** @type {HTMLDialogElement} */ (document.getElementById('device-dialog'));
  const status = /** @type {HTMLElement} */ (document.getElementById('device-status'));
  const preview = /** @type {HTMLVideoElement} */ ($('device-preview'));
  const meter = /** @type {HTMLMeterElement} */ ($('mic-level'));
  const selects = {
    camera: /** @type {HTMLSelectElement} */ ($('camera-select')),
    mic: /** @type {HTMLSelectElement} */ ($('mic-select')),
    speaker: /** @type {HTMLSelectElement} */ ($('speaker-select')),
  };
  // Safari has no setSinkId: it plays through the system's output and offers no choice.
  /** @type {HTMLElement} */ (document.getElementById('speaker-row')).hidden = !canChooseSpeaker();
  /** @type {MediaStream|null} */
  let stream = null;
  /** @type {AudioContext|null} */
  let audio = null;
  /** @type {number|undefined} */
  let meterTimer;

  async function listDevices() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return;
    const devices = await navigator.mediaDevices.enumerateDevices();
    const choice = loadChoice(localStorage);
    for (const role of /** @type {const} */ (['camera', 'mic', 'speaker'])) {
      const select = selects[role];
      const options = deviceOptions(devices, role);
      select.replaceChildren(...options.map((o) => new Option(o.label, o.value)));
      select.value = options.some((o) => o.value === choice[role]) ? choice[role] : options[0].value;
    }
    if (canChooseSpeaker()) selects.speaker.closest('label').hidden = selects.speaker.options.length < 2 && !selects.speaker.value;
  }

  function stopPreview() {
    clearInterval(meterTimer);
    meterTimer = undefined;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    preview.srcObject = null;
    meter.value = 0;
    if (audio) audio.close().catch(() => {});
    audio = null;
  }

  async function startPreview() {
    stopPreview();
    status.textContent = '';
    try {
      const opened = await openChosenMedia();
      if (!dialog.open) {
        opened.getTracks().forEach((t) => t.stop());
        return;
      }
      stream = opened;
      preview.srcObject = opened;
      preview.play().catch(() => {});
      watchLevel(opened);
    } catch (e) {
      status.textContent = `no preview: ${e.name === 'NotAllowedError' ? 'camera and microphone not allowed' : e.message || e.name}`;
    }
    // With a permission the browser names the devices.
    await listDevices().catch(() => {});
  }

  /** @param {MediaStream} opened */
  function watchLevel(opened) {
    if (opened.getAudioTracks().length === 0 || !window.AudioContext) return;
    audio = new AudioContext();
    audio.resume().catch(() => {});
    const analyser = audio.createAnalyser();
    analyser.fftSize = 1024;
    audio.createMediaStreamSource(opened).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    meterTimer = window.setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      const level = micLevel(samples);
      // A meter falls back slowly, as a VU meter does, so short sounds stay readable.
      meter.value = Math.max(level, meter.value * 0.8);
      meter.dataset.peak = String(Math.max(Number(meter.dataset.peak || 0), level));
    }, METER_MS);
  }

  /** @param {'camera'|'mic'|'speaker'} role */
  async function chosen(role) {
    const choice = loadChoice(localStorage);
    choice[role] = selects[role].value;
    saveChoice(localStorage, choice);
    if (role === 'speaker') {
      await applySpeaker(speakers(), choice.speaker);
      return;
    }
    if (dialog.open) startPreview();
    try {
      await onInput(role === 'camera' ? 'video' : 'audio', choice[role]);
    } catch (e) {
      status.textContent = `could not switch the ${role === 'camera' ? 'camera' : 'microphone'}: ${e.message || e.name}`;
    }
  }

  for (const role of /** @type {const} */ (['camera', 'mic', 'speaker'])) {
    selects[role].addEventListener('change', () => { chosen(role); });
  }
  $('device-settings').addEventListener('click', () => {
    if (dialog.open) return;
    dialog.showModal();
    startPreview();
  });
  dialog.addEventListener('close', () => {
    stopPreview();
    $('device-settings').focus();
  });
  if (navigator.mediaDevices && 'ondevicechange' in navigator.mediaDevices) {
    navigator.mediaDevices.addEventListener('devicechange', () => { if (dialog.open) listDevices().catch(() => {}); });
  }
  // The kept speaker choice holds from the start.
  applySpeaker(speakers(), loadChoice(localStorage).speaker).catch(() => {});

  return {
    /** A media element that appeared later (a conference tile) plays through the chosen speaker too. */
    applySpeakerTo: (/** @type {Iterable<HTMLMediaElement>} */ elements) => applySpeaker(elements, loadChoice(localStorage).speaker),
  };
}
