// @ts-check
// The page: wires the gateway socket, the call, chat and files to the DOM. Test hooks are data-testid attributes
// (kept stable on purpose); every refusal or failure ends up in the [data-testid=notice] element.

import { CALL_STATES, FROM_TAB, IN_CONFERENCE, TO_TAB } from './protocol.js';
import { callDuration } from './format.js';
import { stateChange } from './callstate.js';
import { Signaling } from './signaling.js';
import { Call } from './call.js';
import { qualityText } from './callquality.js';
import { Chat } from './chat.js';
import { FileTransfer } from './files.js';
import { setupConferences } from './conference-ui.js';
import { checkNetwork, details as netDetails } from './netcheck.js';
import { accessToken, accessHelp } from './access.js';
import { displayText } from './text.js';
import { startRinging, stopRinging, askToNotify } from './ring.js';
import { setupDeviceSettings } from './device-settings.js';
import { afterStateChange, describeOutcome, loadRecent, saveRecent, when } from './recent.js';

// index.html always has these elements; each use knows whether it holds a control or a video, so the lookups are
// typed as both rather than cast at every use.
/** @typedef {HTMLInputElement & HTMLVideoElement} PageElement */
/** @type {(testid: string) => PageElement} */
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
/** @type {(id: string) => PageElement} */
const byId = (id) => /** @type {PageElement} */ (document.getElementById(id));
/** The detail of a CustomEvent from Call. */
const detail = (/** @type {Event} */ event) => /** @type {CustomEvent} */ (event).detail;

const token = accessToken();
const signaling = new Signaling(token);
const chat = new Chat(byId('chat-log'));
const files = new FileTransfer(byId('transfers'), notice);

const conference = setupConferences({
  signaling, me: () => app.me, rtcConfig: () => rtcConfig(), notice, chat, renderState: () => renderState(),
});

/**
 * @type {{me: string, state: string, peer: string | null, callId: string | null, inCallSince: number, call: Call | null,
 *   iceServers: RTCIceServer[], users: {name: string, hops: number, safetyNumber?: string, verified?: boolean,
 *   keyChanged?: boolean}[], open: boolean, focusBeforeRinging?: HTMLElement | null}}
 */
const app = {
  me: '',
  state: CALL_STATES.IDLE,
  peer: null,
  callId: null, // the gateway's id of the current call: signals of any other call are ignored
  inCallSince: 0,
  call: null,
  iceServers: [],
  users: [],
  open: false,
};
/** Recent calls for the idle page, and the call in progress that will become one. */
let recent = { list: loadRecent(localStorage), current: null };

// ---- notices --------------------------------------------------------------------------------------------

function notice(text) {
  const box = $('notice');
  box.textContent = text;
  box.hidden = !text;
  box.classList.remove('flash');
  void box.offsetWidth; // restart the highlight animation
  box.classList.add('flash');
}

// ---- rendering ------------------------------------------------------------------------------------------

function renderState() {
  const conferencing = conference.active();
  const shown = app.state === CALL_STATES.IDLE && conferencing ? IN_CONFERENCE : app.state;
  $('call-state').textContent = shown;
  document.body.dataset.state = shown;
  const idle = app.state === CALL_STATES.IDLE && !conferencing;
  const inCall = app.state === CALL_STATES.IN_CALL || conferencing;
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('[data-testid="call"]'))) button.disabled = !idle || !app.open;
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('[data-testid="conf-invite"]'))) {
    button.hidden = !conferencing;
    if (!conferencing) button.textContent = 'Invite';
  }
  $('conf-start').disabled = !idle || !app.open;
  $('incoming-call').hidden = app.state !== CALL_STATES.RINGING;
  byId('incoming-text').textContent = app.state === CALL_STATES.RINGING ? `${displayText(app.peer)} is calling you` : '';
  $('hangup').disabled = app.state === CALL_STATES.IDLE;
  $('hangup').textContent = app.state === CALL_STATES.CALLING ? 'Cancel' : 'Hang up';
  for (const id of ['share-screen', 'mute-mic', 'mute-camera', 'chat-input', 'chat-send', 'file-input']) {
    $(id).disabled = !inCall;
  }
  byId('peer-name').textContent = idle ? '' : displayText(app.peer);
  const remote = app.users.find((u) => u.name === app.peer);
  $('call-verification').textContent = inCall
    ? `${remote && remote.verified ? 'verified' : 'not verified'} · DTLS fingerprints exchanged over signed, encrypted signaling`
    : '';
  $('call-verification').dataset.verified = inCall && remote && remote.verified ? 'true' : 'false';
  byId('stage-hint-title').textContent = app.state === CALL_STATES.CALLING ? `Calling ${displayText(app.peer)}…`
    : ''; // ringing: the incoming call dialog over the stage says who
  byId('stage-hint-text').textContent = app.state === CALL_STATES.CALLING ? 'It rings on their side; your camera is ready.' : '';
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('[data-testid="recent-call"]'))) {
    button.disabled = !idle || !app.open || !app.users.some((u) => u.name === button.dataset.user && u.hops > 0);
  }
  renderTimer();
}

/** Recent calls on the idle page, newest first, each with a button to call again. */
function renderRecent() {
  const list = byId('recent-calls');
  const now = Date.now();
  list.replaceChildren(...recent.list.map((entry) => {
    const item = document.createElement('li');
    item.dataset.outcome = entry.outcome;
    const name = document.createElement('span');
    name.className = 'user-name';
    name.textContent = displayText(entry.peer);
    const what = document.createElement('span');
    what.className = 'hint recent-what';
    what.textContent = `${entry.direction === 'in' ? '↙ incoming' : '↗ outgoing'} · ${describeOutcome(entry)} · ${when(entry.at, now)}`;
    const again = document.createElement('button');
    again.type = 'button';
    again.dataset.testid = 'recent-call';
    again.dataset.user = entry.peer;
    again.textContent = 'Call';
    again.setAttribute('aria-label', `call ${displayText(entry.peer)} again`);
    again.addEventListener('click', () => startCall(entry.peer));
    item.append(name, again, what);
    return item;
  }));
  byId('no-recent').hidden = recent.list.length > 0;
}

function renderTimer() {
  const timer = $('call-timer');
  if (app.state !== CALL_STATES.IN_CALL) {
    timer.textContent = '00:00';
    return;
  }
  timer.textContent = callDuration((Date.now() - app.inCallSince) / 1000);
}

// The list is updated in place, keyed by user name: directory pushes arrive whenever a route changes, and
// rebuilding the list would swallow a click that lands on a Call button while it is being replaced.
function renderDirectory(directory) {
  app.users = (directory.users || []).filter((u) => u && typeof u.name === 'string');
  const list = byId('users');
  const existing = new Map([...list.children].map((item) => [/** @type {HTMLElement} */ (item).dataset.user, item]));
  const sorted = [...app.users].sort((a, b) => a.name.localeCompare(b.name));
  const wanted = new Set(sorted.map((u) => u.name));
  for (const [name, item] of existing) if (!wanted.has(name)) item.remove();
  let previous = null;
  for (const user of sorted) {
    const item = existing.get(user.name) || userItem(user.name);
    item.querySelector('.hops').textContent = user.hops === 1 ? 'direct' : user.hops > 1 ? `${user.hops} hops` : 'not reachable';
    renderTrust(item, user);
    const expectedPlace = previous ? previous.nextElementSibling : list.firstElementChild;
    if (expectedPlace !== item) {
      if (previous) previous.after(item);
      else list.prepend(item);
    }
    previous = item;
  }
  byId('no-users').hidden = app.users.length > 0;
  const peers = $('peers');
  peers.replaceChildren();
  for (const peer of directory.peers || []) {
    const item = document.createElement('li');
    item.textContent = String(peer);
    peers.append(item);
  }
  renderState();
}

function userItem(userName) {
  const item = document.createElement('li');
  item.dataset.user = userName;
  const name = document.createElement('span');
  name.className = 'user-name';
  name.textContent = displayText(userName);
  name.title = displayText(userName, 256);
  const hops = document.createElement('span');
  hops.className = 'hops';
  const button = document.createElement('button');
  button.dataset.testid = 'call';
  button.dataset.user = userName;
  button.textContent = 'Call';
  button.setAttribute('aria-label', `call ${displayText(userName)}`);
  button.addEventListener('click', () => startCall(userName));
  const invite = document.createElement('button'); // handled by conference-ui.js
  invite.dataset.testid = 'conf-invite';
  invite.dataset.user = userName;
  invite.textContent = 'Invite';
  invite.setAttribute('aria-label', `invite ${displayText(userName)} to the conference`);
  invite.hidden = !conference.active();
  // Safety number: both users see the same digits when each sees the other's real key.
  const safety = document.createElement('span');
  safety.className = 'safety-number';
  safety.dataset.testid = 'safety-number';
  safety.dataset.user = userName;
  safety.title = 'safety number: read it to the other person (in person or on a call you trust); equal digits on both sides mean no one is in between';
  const verify = document.createElement('button');
  verify.className = 'verify';
  verify.dataset.testid = 'verify';
  verify.dataset.user = userName;
  verify.textContent = 'Verify';
  verify.setAttribute('aria-label', `verify ${displayText(userName)}'s safety number`);
  verify.addEventListener('click', () => {
    if (window.confirm(`Mark ${displayText(userName)} as verified? Only when the safety number reads the same on their screen:\n${safety.textContent}`)) {
      signaling.send({ type: FROM_TAB.VERIFY, name: userName });
    }
  });
  item.append(name, hops, button, invite, safety, verify);
  return item;
}

function renderTrust(item, user) {
  const safety = item.querySelector('.safety-number');
  safety.textContent = typeof user.safetyNumber === 'string' ? user.safetyNumber : 'no key yet';
  const verify = /** @type {HTMLButtonElement} */ (item.querySelector('.verify'));
  verify.textContent = user.verified ? 'Verified ✓' : 'Verify';
  verify.disabled = Boolean(user.verified) || Boolean(user.keyChanged) || typeof user.safetyNumber !== 'string';
  item.dataset.verified = user.verified ? 'true' : 'false';
  item.dataset.keyChanged = user.keyChanged ? 'true' : 'false';
}

// ---- calls ----------------------------------------------------------------------------------------------

// One malformed entry makes new RTCPeerConnection throw, and every URL costs gathering time (Firefox warns at
// five): only well-formed STUN/TURN URLs, TURN with string credentials, at most MAX_ICE_URLS in all.
export const MAX_ICE_URLS = 4;
const ICE_URL = /^(stuns?|turns?):(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}(\?transport=(udp|tcp))?$/;

function rtcConfig() {
  const turnOn = $('turn-toggle').checked;
  const isTurn = (url) => /^turns?:/.test(url);
  let budget = MAX_ICE_URLS;
  const servers = [];
  for (const s of app.iceServers) {
    if (!s || typeof s !== 'object') continue;
    const credentials = typeof s.username === 'string' && typeof s.credential === 'string';
    const urls = [].concat(s.urls).filter((u) => typeof u === 'string' && ICE_URL.test(u)
      && (!isTurn(u) || (turnOn && credentials))).slice(0, budget);
    if (urls.length === 0) continue;
    budget -= urls.length;
    servers.push(credentials ? { urls, username: s.username, credential: s.credential } : { urls });
  }
  return { iceServers: servers, iceTransportPolicy: /** @type {RTCIceTransportPolicy} */ ($('relay-only').checked ? 'relay' : 'all') };
}

function newCall(peer, offerer) {
  const config = rtcConfig();
  const callId = app.callId;
  if (config.iceTransportPolicy === 'relay' && !config.iceServers.some((s) => s.urls.some((u) => /^turns?:/.test(u)))) {
    notice('relay only is on but no TURN server is available: the call cannot connect');
  }
  const call = new Call({
    peer,
    offerer,
    config,
    send: (message) => { if (app.call === call) signaling.send({ ...message, call: callId }); },
    localVideo: $('local-video'),
    remoteVideo: $('remote-video'),
    remoteAudio: byId('remote-audio'),
  });
  call.addEventListener('channels', (event) => {
    chat.attach(detail(event).chat, peer);
    files.attach(detail(event).files, peer);
  });
  call.addEventListener('files-channel', (event) => { if (app.call === call) files.attach(detail(event), peer); });
  // A file going out yields to the call's video when the video suffers (files.js callSample).
  call.addEventListener('quality', (event) => { if (app.call === call) files.callSample(detail(event).sample); });
  call.addEventListener('failed', (event) => {
    if (app.call !== call) return;
    signaling.send({ type: FROM_TAB.LEAVE, reason: detail(event), call: callId });
    endCall();
    notice(detail(event));
  });
  call.addEventListener('connection', (event) => { byId('connection').textContent = detail(event); });
  call.addEventListener('quality', (event) => { if (app.call === call) renderQuality(detail(event)); });
  call.addEventListener('level', (event) => { if (app.call === call) renderMediaLevel(detail(event)); });
  call.addEventListener('screen', (event) => { $('share-screen').textContent = detail(event) ? 'Stop sharing' : 'Share screen'; });
  call.addEventListener('remote-media', (event) => { if (app.call === call) renderRemoteMedia(detail(event)); });
  app.call = call;
  return call;
}

function endCall() {
  if (app.call) app.call.close();
  app.call = null;
  chat.detach();
  files.detach();
  $('share-screen').textContent = 'Share screen';
  $('mute-mic').textContent = 'Mute mic';
  $('mute-camera').textContent = 'Camera off';
  $('mute-mic').setAttribute('aria-pressed', 'false');
  $('mute-camera').setAttribute('aria-pressed', 'false');
  renderRemoteMedia(null);
  byId('connection').textContent = '';
  delete $('remote-video').dataset.framesDecoded;
  renderQuality(null);
  renderMediaLevel(null);
}

/** The indicator on the remote video: good / fair / poor, the figures on hover (title) or tap (panel). */
function renderQuality(detail) {
  const badge = $('quality');
  const panel = byId('quality-details');
  if (!detail) {
    badge.hidden = true;
    panel.hidden = true;
    badge.dataset.level = 'good';
    badge.setAttribute('aria-expanded', 'false');
    return;
  }
  const text = qualityText(detail);
  badge.hidden = false;
  badge.dataset.level = detail.level;
  badge.title = text;
  byId('quality-label').textContent = detail.level;
  panel.textContent = text;
}

/** What the remote user turned off, over their video; null: nothing (no call). */
function renderRemoteMedia(state) {
  const who = displayText(app.peer);
  $('remote-muted').hidden = !state || state.mic;
  $('remote-camera-off').hidden = !state || state.camera;
  byId('remote-muted-text').textContent = `${who} muted their microphone`;
  byId('remote-camera-off-text').textContent = `${who} turned their camera off`;
}

/** The ladder's step, and why, the same on both pages. */
function renderMediaLevel(detail) {
  const el = $('media-level');
  if (!detail) {
    el.hidden = true;
    el.dataset.level = 'video';
    el.textContent = 'video';
    return;
  }
  const changed = el.dataset.level !== detail.mediaLevel || el.hidden;
  el.hidden = false;
  el.dataset.level = detail.mediaLevel;
  el.dataset.step = String(detail.step);
  el.textContent = detail.text || detail.mediaLevel;
  if (changed && detail.previous >= 0) {
    notice(detail.text || `${detail.mediaLevel} back: the network recovered`);
  }
}

function startCall(name) {
  if (app.state !== CALL_STATES.IDLE) return;
  const user = app.users.find((u) => u.name === name);
  if (user && user.keyChanged) {
    showKeyWarning(name);
    return;
  }
  askToNotify(); // a user action: the one moment a browser lets the page ask
  if (Date.now() - net.doneAt > RECHECK_BEFORE_CALL_MS) runNetCheck(); // in the background, the call does not wait
  if (!signaling.send({ type: FROM_TAB.CALL, to: name })) notice('not connected to the node; retrying');
}

// A known name now comes with another key: someone may be impersonating them, or they reinstalled. Nothing is
// called until the user decides.
function showKeyWarning(name) {
  const box = $('key-warning');
  box.dataset.user = name;
  byId('key-warning-text').textContent = `${displayText(name)}'s key has changed since you last talked. It may be `
    + `someone else using the name, or they set up their node again. Compare the new safety number with them `
    + `before you trust it.`;
  box.hidden = false;
  byId('key-cancel').focus();
}

function onCallState(message) {
  const previous = app.state;
  app.state = message.state;
  app.peer = message.with || null;
  app.callId = typeof message.call === 'string' ? message.call : null;
  const change = stateChange(previous, app.state);
  if (change.endCall || change.dropOwnCall) endCall();
  if (change.askIceServers) signaling.send({ type: FROM_TAB.ICE_SERVERS });
  if (change.startAsCaller) {
    const call = newCall(app.peer, false); // the caller's camera starts now
    call.enqueue(() => call.prepare());
  }
  if (change.startTimer) app.inCallSince = Date.now();
  const before = recent.list;
  recent = afterStateChange(recent, previous, app.state, app.peer, Date.now());
  if (recent.list !== before) {
    saveRecent(localStorage, recent.list);
    renderRecent();
  }
  // The prompt is an alert dialog: it takes the focus (Enter accepts, Escape declines) and gives it back after.
  if (message.state === CALL_STATES.RINGING) {
    startRinging(displayText(app.peer));
    if (previous !== CALL_STATES.RINGING) {
      app.focusBeforeRinging = /** @type {HTMLElement} */ (document.activeElement);
      setTimeout(() => $('accept').focus(), 0); // once renderState has shown it
    }
  } else {
    stopRinging();
    if (previous === CALL_STATES.RINGING) {
      const back = app.focusBeforeRinging;
      app.focusBeforeRinging = null;
      if (app.state === CALL_STATES.IN_CALL) $('mute-mic').focus();
      else if (back && back.isConnected && back !== document.body) back.focus();
    }
  }
  if (message.notice) notice(message.notice);
  renderState();
}

// ---- gateway messages -----------------------------------------------------------------------------------

signaling.on(TO_TAB.HELLO, (m) => {
  app.me = m.name;
  app.open = true;
  byId('me').textContent = m.name;
  document.title = `decwebrtc – ${m.name}`;
  renderState();
  if (net.doneAt === 0) runNetCheck(); // at page load: no camera needed
});
signaling.on(TO_TAB.ALREADY_OPEN, (m) => {
  app.open = false;
  document.body.dataset.state = 'closed';
  notice(m.message || 'decwebrtc is already open in another tab');
});
signaling.on(TO_TAB.DIRECTORY, renderDirectory);

// ---- network check ----------------------------------------------------------------------------------------

const RECHECK_BEFORE_CALL_MS = 120_000;
const net = { running: null, doneAt: 0, waiters: [] };

/** Fresh ICE servers from the gateway (other nodes' STUN adverts arrive with discovery), or the last ones. */
function iceServersSoon() {
  signaling.send({ type: FROM_TAB.ICE_SERVERS });
  return new Promise((resolve) => {
    net.waiters.push(resolve);
    setTimeout(() => resolve(app.iceServers), 3000);
  });
}

function runNetCheck() {
  if (net.running) return net.running;
  const verdictEl = $('net-verdict');
  verdictEl.textContent = 'checking the network…';
  verdictEl.dataset.state = 'checking';
  delete verdictEl.dataset.verdict;
  $('net-check').disabled = true;
  net.running = iceServersSoon()
    .then((servers) => checkNetwork(servers, { users: app.users }))
    .then((r) => {
      verdictEl.textContent = r.text;
      verdictEl.dataset.verdict = r.key;
      const list = byId('net-details');
      list.replaceChildren(...netDetails(r).map((line) => {
        const item = document.createElement('li');
        item.textContent = line;
        return item;
      }));
      /** @type {any} */ (window).decwebrtcNetCheck = r; // for diagnostics and tests: every probe and candidate
    })
    .catch((e) => { verdictEl.textContent = `network check failed: ${e.message || e}`; })
    .finally(() => {
      verdictEl.dataset.state = 'done';
      $('net-check').disabled = false;
      net.running = null;
      net.doneAt = Date.now();
    });
  return net.running;
}

signaling.on(TO_TAB.ICE_SERVERS, (m) => {
  app.iceServers = Array.isArray(m.iceServers) ? m.iceServers : [];
  net.waiters.splice(0).forEach((resolve) => resolve(app.iceServers));
  const count = app.iceServers.length;
  byId('ice-info').textContent = `${count} ICE server${count === 1 ? '' : 's'}${m.turn ? ', TURN available' : ', no TURN'}`;
});
signaling.on(TO_TAB.CALL_STATE, onCallState);
// Media signals count only inside the accepted call they name: an offer that comes while the call still rings
// (a callee's node sending one without its user's accept) would otherwise get our camera answered to it.
function current(m) {
  const c = app.call;
  return c && app.state === CALL_STATES.IN_CALL && typeof m.call === 'string' && m.call === app.callId && m.from === app.peer ? c : null;
}
signaling.on(TO_TAB.OFFER, (m) => { const c = current(m); if (c && !c.offerer && typeof m.sdp === 'string') c.enqueue(() => c.onOffer(m.sdp)); });
signaling.on(TO_TAB.ANSWER, (m) => { const c = current(m); if (c && c.offerer && typeof m.sdp === 'string') c.enqueue(() => c.onAnswer(m.sdp)); });
signaling.on(TO_TAB.CANDIDATE, (m) => { const c = current(m); if (c && m.candidate && typeof m.candidate === 'object') c.enqueue(() => c.onCandidate(m.candidate)); });
signaling.on(TO_TAB.NOTICE, (m) => notice(m.message));
signaling.on(TO_TAB.ERROR, (m) => notice(m.message));
signaling.on(TO_TAB.PEER_ADDED, (m) => { notice(m.message || `added peer ${m.peer}`); $('add-peer-input').value = ''; });
signaling.on('disconnected', () => {
  if (!app.open) return;
  app.open = false;
  endCall();
  app.state = CALL_STATES.IDLE;
  renderState();
  notice('lost the connection to the node; reconnecting…');
});
signaling.on('connected', () => { if (!signaling.stopped) notice(''); });
signaling.on('unreachable', async () => {
  if (!token) {
    notice(accessHelp(false));
    return;
  }
  try {
    const response = await fetch(`/api/node?k=${encodeURIComponent(token)}`, { cache: 'no-store' });
    if (response.status === 403) notice(accessHelp(true));
  } catch {
    notice('cannot reach the node: is it still running? retrying…');
  }
});

// ---- user actions ---------------------------------------------------------------------------------------

byId('key-cancel').addEventListener('click', () => { $('key-warning').hidden = true; });
// Escape declines a ringing call and closes the key warning (the device dialog closes itself on Escape).
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
  if (app.state === CALL_STATES.RINGING) {
    event.preventDefault();
    $('reject').click();
  } else if (!$('key-warning').hidden) {
    event.preventDefault();
    byId('key-cancel').click();
  }
});
byId('key-accept').addEventListener('click', () => {
  const box = $('key-warning');
  signaling.send({ type: FROM_TAB.ACCEPT_KEY, name: box.dataset.user });
  box.hidden = true;
});
$('accept').addEventListener('click', () => {
  if (app.state !== CALL_STATES.RINGING) return;
  signaling.send({ type: FROM_TAB.ACCEPT, call: app.callId });
  const call = newCall(app.peer, true);
  call.enqueue(() => call.start());
});
$('reject').addEventListener('click', () => {
  if (app.state === CALL_STATES.RINGING) signaling.send({ type: FROM_TAB.REJECT, reason: 'rejected', call: app.callId });
});
$('hangup').addEventListener('click', () => {
  if (app.state === CALL_STATES.IDLE) return;
  signaling.send({ type: FROM_TAB.LEAVE, call: app.callId });
  endCall();
});
$('share-screen').addEventListener('click', async () => {
  if (!app.call && !conference.active()) return;
  try {
    const sharing = app.call ? await app.call.toggleScreen() : await conference.toggleScreen();
    $('share-screen').textContent = sharing ? 'Stop sharing' : 'Share screen';
  } catch (e) {
    notice(`screen sharing failed: ${e.name === 'NotAllowedError' ? 'permission denied' : e.message}`);
  }
});
for (const [id, kind, on, off] of [['mute-mic', 'audio', 'Unmute mic', 'Mute mic'], ['mute-camera', 'video', 'Camera on', 'Camera off']]) {
  $(id).addEventListener('click', () => {
    if (!app.call && !conference.active()) return;
    const muted = $(id).textContent === off;
    if (app.call) app.call.setMuted(kind, muted);
    else conference.setMuted(kind, muted);
    $(id).textContent = muted ? on : off;
    $(id).setAttribute('aria-pressed', String(muted));
  });
}
byId('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('chat-input');
  if (conference.active() && input.value) {
    conference.sendChat(input.value.slice(0, 16 * 1024));
    input.value = '';
    return;
  }
  if (app.state !== CALL_STATES.IN_CALL || !input.value) return;
  chat.send(app.me, input.value);
  input.value = '';
});
$('file-input').addEventListener('change', (event) => {
  const input = /** @type {HTMLInputElement} */ (event.target);
  if (conference.active() && input.files.length > 0) conference.sendFiles([...input.files]);
  else if (app.state === CALL_STATES.IN_CALL && input.files.length > 0) files.send([...input.files]);
  input.value = ''; // the same file can be picked again
});
const sizeLimit = $('file-size-limit');
sizeLimit.value = localStorage.getItem('decwebrtc.fileSizeLimitMiB') || sizeLimit.value;
const applySizeLimit = () => {
  const mib = Number(sizeLimit.value);
  if (Number.isFinite(mib) && mib > 0) {
    files.maxIncomingBytes = Math.floor(mib * 1024 * 1024);
    localStorage.setItem('decwebrtc.fileSizeLimitMiB', String(mib));
  }
};
sizeLimit.addEventListener('change', applySizeLimit);
applySizeLimit();
window.addEventListener('pagehide', () => files.releaseAll());
byId('add-peer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('add-peer-input').value.trim();
  if (!value) {
    notice('type a peer as ip:port');
    return;
  }
  signaling.send({ type: FROM_TAB.ADD_PEER, peer: value });
});
$('net-check').addEventListener('click', () => { runNetCheck(); });
$('quality').addEventListener('click', () => {
  const panel = byId('quality-details');
  panel.hidden = !panel.hidden;
  $('quality').setAttribute('aria-expanded', String(!panel.hidden));
});
$('turn-toggle').addEventListener('change', () => {
  notice($('turn-toggle').checked ? 'TURN relay on for the next call' : 'TURN relay off for the next call');
});
$('relay-only').addEventListener('change', () => {
  notice($('relay-only').checked ? 'relay only: the next call goes through TURN' : 'relay only off');
});
window.addEventListener('online', () => { if (app.call) app.call.restartIce(); });

const devices = setupDeviceSettings({
  $,
  onInput: async (kind, deviceId) => {
    if (app.call) await app.call.useDevice(kind, deviceId);
    else if (conference.active() && conference.useDevice) await conference.useDevice(kind, deviceId);
  },
  speakers: () => /** @type {NodeListOf<HTMLMediaElement>} */ (document.querySelectorAll('#remote-audio, #conf-grid audio')),
});
// Conference tiles come and go: each new one plays through the chosen speaker.
new MutationObserver(() => { devices.applySpeakerTo(document.querySelectorAll('#conf-grid audio')); })
  .observe(byId('conf-grid'), { childList: true });

// Stats for the user (and tests): frames decoded on the remote video, the path the media takes.
setInterval(async () => {
  renderTimer();
  const call = app.call;
  if (!call || !call.pc) return;
  const s = await call.stats();
  if (app.call !== call) return;
  $('remote-video').dataset.framesDecoded = String(s.framesDecoded);
  if (s.local) byId('connection').textContent = `${call.pc.connectionState} via ${s.local} ↔ ${s.remote}`;
}, 1000);

// Read-only handle for diagnostics from the console or an automated browser.
/** @type {any} */ (window).decwebrtc = {
  state: () => app.state,
  stats: () => (app.call ? app.call.stats() : Promise.resolve(null)),
  conferenceStats: () => conference.stats(),
  conferenceIgnoredSignals: () => (conference.mesh() ? conference.mesh().ignoredSignals : 0),
  sendRaw: (data) => signaling.sendRaw(data),
  restartIce: () => { if (app.call) app.call.restartIce(); },
  peerConnection: () => (app.call ? app.call.pc : null), // the bench measures a raw DataChannel on it
};
// The file transfer's counters (bytes and pieces sent, re-sent, verified, resumes) for tests and the bench.
/** @type {any} */ (window).__decwebrtcFiles = files;

renderRecent();
renderState();
signaling.connect();
