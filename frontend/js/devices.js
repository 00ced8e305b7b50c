// @ts-check
// Which camera, microphone and speaker the user chose: kept in localStorage, used for the next call's
// getUserMedia, and switched during a call by RTCRtpSender.replaceTrack (the remote user's receiver stays, nothing
// is renegotiated). The speaker is chosen with HTMLMediaElement.setSinkId where the browser has it (Chromium,
// Firefox); where it has not (Safari) the speaker choice is not offered.

export const STORE_KEY = 'decwebrtc.devices';

/** @typedef {{camera: string, mic: string, speaker: string}} DeviceChoice  deviceIds; '' = the browser's default */
/** @typedef {'camera'|'mic'|'speaker'} DeviceRole */

/** enumerateDevices' kind for each choice. */
export const KINDS = Object.freeze({ camera: 'videoinput', mic: 'audioinput', speaker: 'audiooutput' });

/** A deviceId as browsers make them (opaque, a few dozen characters), or '' for anything else. */
function validId(id) {
  return typeof id === 'string' && id.length <= 256 ? id : '';
}

/**
 * The stored choice; anything missing or malformed reads as the default device.
 * @param {Pick<Storage, 'getItem'>} storage
 * @returns {DeviceChoice}
 */
export function loadChoice(storage) {
  let stored = null;
  try {
    stored = JSON.parse(storage.getItem(STORE_KEY) || 'null');
  } catch {
    stored = null;
  }
  const s = stored && typeof stored === 'object' ? stored : {};
  return { camera: validId(s.camera), mic: validId(s.mic), speaker: validId(s.speaker) };
}

/** @param {Pick<Storage, 'setItem'>} storage @param {DeviceChoice} choice */
export function saveChoice(storage, choice) {
  try {
    storage.setItem(STORE_KEY, JSON.stringify({ camera: validId(choice.camera), mic: validId(choice.mic), speaker: validId(choice.speaker) }));
  } catch {
    // storage full or denied: the choice holds for this page only
  }
}

/**
 * getUserMedia constraints: `base` (true or an object of constraints per kind) with the chosen devices added, as
 * `exact` (that device or an error) or as `ideal` (that device if the browser finds it, else another one).
 * @param {DeviceChoice} choice
 * @param {{audio: boolean | MediaTrackConstraints, video: boolean | MediaTrackConstraints}} [base]
 * @param {'exact'|'ideal'} [how]
 * @returns {MediaStreamConstraints}
 */
export function constraintsFor(choice, base = { audio: true, video: true }, how = 'ideal') {
  /** @param {boolean | MediaTrackConstraints} b @param {string} id */
  const one = (b, id) => {
    if (!b || !id) return b;
    return { ...(typeof b === 'object' ? b : {}), deviceId: { [how]: id } };
  };
  return { audio: one(base.audio, choice.mic), video: one(base.video, choice.camera) };
}

/**
 * The options of one select: the devices of its kind, each once, with a readable name even before the browser
 * reveals labels (it does so only after a camera or microphone permission).
 * @param {Array<{deviceId: string, kind: string, label: string}>} devices  from enumerateDevices
 * @param {DeviceRole} role
 * @returns {Array<{value: string, label: string}>}
 */
export function deviceOptions(devices, role) {
  const noun = role === 'camera' ? 'Camera' : role === 'mic' ? 'Microphone' : 'Speaker';
  const seen = new Set();
  const options = [];
  for (const d of devices) {
    if (!d || d.kind !== KINDS[role] || typeof d.deviceId !== 'string' || seen.has(d.deviceId)) continue;
    seen.add(d.deviceId);
    const named = typeof d.label === 'string' && d.label.trim() ? d.label.trim().slice(0, 80) : '';
    // Before a permission the browser hides the devices behind one entry with an empty id: the default one.
    const label = d.deviceId === '' ? `Default ${noun.toLowerCase()}` : named || `${noun} ${options.length + 1}`;
    options.push({ value: d.deviceId, label });
  }
  if (options.every((o) => o.value !== '' && o.value !== 'default')) {
    // The browser's default (which follows the system's setting) is always there to pick.
    options.unshift({ value: '', label: `Default ${noun.toLowerCase()}` });
  }
  return options;
}

/** The browser can route a media element's sound to a chosen speaker. */
export function canChooseSpeaker() {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/**
 * Sends the sound of these elements to the speaker (no-op where setSinkId is missing).
 * @param {Iterable<HTMLMediaElement>} elements
 * @param {string} speakerId
 */
export async function applySpeaker(elements, speakerId) {
  if (!canChooseSpeaker()) return;
  for (const element of elements) {
    const el = /** @type {HTMLMediaElement & {setSinkId: (id: string) => Promise<void>, sinkId: string}} */ (element);
    if (el.sinkId === speakerId) continue;
    await el.setSinkId(speakerId).catch((e) => console.warn('setSinkId failed', e));
  }
}

/**
 * Camera and microphone for a call with the stored choice; base = what the call wants (e.g. a conference's small
 * picture).
 * @param {{audio: boolean | MediaTrackConstraints, video: boolean | MediaTrackConstraints}} [base]
 */
export async function openChosenMedia(base = { audio: true, video: true }) {
  const choice = loadChoice(localStorage);
  if (!choice.camera && !choice.mic) return navigator.mediaDevices.getUserMedia(base);
  try {
    return await navigator.mediaDevices.getUserMedia(constraintsFor(choice, base, 'exact'));
  } catch (e) {
    // The chosen device is gone (unplugged, another browser profile): the call goes on with whatever there is.
    if (e.name !== 'OverconstrainedError' && e.name !== 'NotFoundError' && e.name !== 'NotReadableError') throw e;
    return navigator.mediaDevices.getUserMedia(constraintsFor(choice, base, 'ideal'));
  }
}

/**
 * Swaps one kind of track of a call's local stream for the chosen device: the new track goes into `stream` (so
 * mute, screen share and the self view keep working on it) and onto every sender by replaceTrack.
 * @param {MediaStream} stream   the call's camera and microphone stream
 * @param {'audio'|'video'} kind
 * @param {string} deviceId      '' for the default device
 * @param {object} o
 * @param {Array<RTCRtpSender|null>} o.senders  where the track goes (none yet: the call attaches it later)
 * @param {boolean} o.enabled   false while the user has it muted / turned off
 * @param {boolean} [o.onSenders]  false while something else (a screen) is on the video senders
 * @param {MediaTrackConstraints} [o.base]  the call's own constraints for this kind
 * @returns {Promise<MediaStreamTrack>}
 */
export async function switchInput(stream, kind, deviceId, { senders, enabled, onSenders = true, base = {} }) {
  const wanted = deviceId ? { ...base, deviceId: { exact: deviceId } } : { ...base };
  const fresh = await navigator.mediaDevices.getUserMedia(kind === 'audio' ? { audio: wanted } : { video: wanted });
  const [track] = kind === 'audio' ? fresh.getAudioTracks() : fresh.getVideoTracks();
  track.enabled = enabled;
  const old = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
  if (onSenders) {
    await Promise.all(senders.filter(Boolean).map((s) => s.replaceTrack(track)));
  }
  for (const t of old) {
    stream.removeTrack(t);
    t.stop();
  }
  stream.addTrack(track);
  return track;
}

/**
 * How loud a stretch of samples is, 0..1 (root mean square, scaled so speech reaches the upper half).
 * @param {ArrayLike<number>} samples  time-domain samples in -1..1
 */
export function micLevel(samples) {
  if (!samples || samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = Number(samples[i]) || 0;
    sum += v * v;
  }
  const rms = Math.sqrt(sum / samples.length);
  return Math.min(1, rms * 4);
}
