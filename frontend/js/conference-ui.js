// @ts-check
// The conference part of the page: start, invitations, the conference list, the grid of tiles, and routing of the
// node's conf-* messages to the ConferenceMesh. Hooks: conf-start, conf-title, conf-invite (on user rows),
// conf-invitation/conf-join/conf-decline, conf-item[data-conf][data-state]/conf-enter, conf-tile, conf-leave.

import { CAMERA, ConferenceMesh } from './conference.js';
import { switchInput } from './devices.js';
import { CONFERENCE_STATES, FROM_TAB, TO_TAB } from './protocol.js';

/** @typedef {HTMLInputElement & HTMLVideoElement} PageElement */
/** @type {(testid: string) => PageElement} */
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
/** @type {(id: string) => PageElement} */
const byId = (id) => /** @type {PageElement} */ (document.getElementById(id));

export function setupConferences({ signaling, me, rtcConfig, notice, chat, renderState }) {
  let conferences = [];
  let current = null;
  let mesh = null;

  const label = (c) => (c.title ? c.title : `${c.starter}'s conference`);

  function closeMesh() {
    if (mesh) mesh.close();
    mesh = null;
    byId('conf-grid').replaceChildren();
  }

  function ensureMesh(entry) {
    if (mesh && mesh.conf !== entry.conf) closeMesh();
    if (!mesh) {
      // ?budget=off sends without the per-leg cap; ?uplink=<bit/s> sets the uplink the cap divides (a bench's
      // stand-in for a home line on a machine whose loopback has no limit).
      const params = new URLSearchParams(location.search);
      const budget = params.get('budget') !== 'off';
      const uplink = Number(params.get('uplink'));
      mesh = new ConferenceMesh({
        me: me(), conf: entry.conf, config: rtcConfig(), send: (m) => signaling.send(m), grid: byId('conf-grid'),
        localVideo: $('local-video'), fileList: byId('transfers'), chat, notify: notice, budget,
      });
      if (Number.isFinite(uplink) && uplink > 0) mesh.uplinkOverride = Math.min(uplink, 1e9);
      mesh.addEventListener('members', renderFileTargets);
      mesh.addEventListener('screen', () => { $('share-screen').textContent = 'Share screen'; });
    }
    mesh.update(entry.members || []);
  }

  function renderFileTargets() {
    const select = byId('conf-file-to');
    const users = mesh ? [...mesh.legs.keys()].sort() : [];
    const chosen = select.value;
    select.replaceChildren(new Option('to everyone', ''), ...users.map((u) => new Option(`to ${u} only`, u)));
    select.value = users.includes(chosen) ? chosen : '';
  }

  function renderList() {
    const list = byId('conf-list');
    list.replaceChildren();
    for (const c of conferences) {
      const item = document.createElement('li');
      item.dataset.testid = 'conf-item';
      item.dataset.conf = c.conf;
      item.dataset.state = c.state;
      const title = document.createElement('span');
      title.className = 'conf-title';
      title.textContent = label(c);
      const state = document.createElement('span');
      state.className = 'conf-state';
      state.textContent = `${c.state}${c.members && c.members.length ? ` · ${c.members.length} in` : ''}`;
      item.append(title, state);
      if (c.state === CONFERENCE_STATES.ACTIVE && !c.joined && !current) {
        const enter = document.createElement('button');
        enter.dataset.testid = 'conf-enter';
        enter.textContent = 'Enter';
        enter.addEventListener('click', () => join(c.conf));
        item.append(enter);
      }
      list.append(item);
    }
    byId('no-conferences').hidden = conferences.length > 0;
    const ringing = conferences.find((c) => c.ringing && !c.joined);
    const invitation = $('conf-invitation');
    invitation.hidden = !ringing || Boolean(current);
    if (ringing) {
      invitation.dataset.conf = ringing.conf;
      byId('conf-invitation-text').textContent = `${ringing.starter} invites you to “${label(ringing)}”`;
      byId('conf-invitation-roster').textContent = `in: ${(ringing.members || []).join(', ') || 'no one yet'}`;
    }
    const entry = conferences.find((c) => c.conf === current);
    byId('conf-name').textContent = entry ? label(entry) : '';
  }

  function join(conf) {
    signaling.send({ type: FROM_TAB.ICE_SERVERS }); // fresh relay credentials for the legs
    if (!signaling.send({ type: FROM_TAB.CONF_JOIN, conf })) notice('not connected to the node; retrying');
  }

  signaling.on(TO_TAB.CONF_LIST, (m) => {
    conferences = Array.isArray(m.conferences) ? m.conferences.filter((c) => c && typeof c.conf === 'string') : [];
    current = typeof m.current === 'string' ? m.current : null;
    const entry = conferences.find((c) => c.conf === current && c.joined);
    if (entry) ensureMesh(entry);
    else closeMesh();
    renderList();
    renderFileTargets();
    renderState();
  });
  for (const type of [TO_TAB.CONF_OFFER, TO_TAB.CONF_ANSWER, TO_TAB.CONF_CANDIDATE]) {
    signaling.on(type, (m) => { if (mesh && m.conf === mesh.conf && typeof m.from === 'string') mesh.onSignal(type, m); });
  }
  signaling.on('disconnected', () => {
    // Without its node the page cannot be reached by anyone: leave every leg, so the others see it go.
    current = null;
    closeMesh();
    renderList();
  });

  byId('conf-start-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signaling.send({ type: FROM_TAB.ICE_SERVERS });
    if (!signaling.send({ type: FROM_TAB.CONF_START, title: $('conf-title').value })) notice('not connected to the node; retrying');
    $('conf-title').value = '';
  });
  $('conf-join').addEventListener('click', () => join($('conf-invitation').dataset.conf));
  $('conf-decline').addEventListener('click', () => signaling.send({ type: FROM_TAB.CONF_DECLINE, conf: $('conf-invitation').dataset.conf }));
  $('conf-leave').addEventListener('click', () => leave());
  byId('users').addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (/** @type {HTMLElement} */ (event.target).closest('[data-testid="conf-invite"]'));
    if (!button || !current) return;
    signaling.send({ type: FROM_TAB.CONF_INVITE, conf: current, user: button.dataset.user });
    button.textContent = 'Invited';
  });

  function leave() {
    if (!current) return;
    signaling.send({ type: FROM_TAB.CONF_LEAVE, conf: current });
    closeMesh();
  }

  return {
    active: () => Boolean(current),
    mesh: () => mesh,
    leave,
    sendChat: (text) => mesh && mesh.sendChat(text),
    sendFiles: (files) => mesh && mesh.sendFiles(files, byId('conf-file-to').value || null),
    toggleScreen: () => (mesh ? mesh.toggleScreen() : Promise.resolve(false)),
    setMuted: (kind, muted) => mesh && mesh.setMuted(kind, muted),
    /** Another camera or microphone on every leg by replaceTrack (the device settings). */
    useDevice: async (/** @type {'audio'|'video'} */ kind, /** @type {string} */ deviceId) => {
      if (!mesh || !mesh.camera) return;
      const [current] = kind === 'audio' ? mesh.camera.getAudioTracks() : mesh.camera.getVideoTracks();
      await switchInput(mesh.camera, kind, deviceId, {
        senders: [...mesh.legs.values()].map((leg) => leg.senders[kind]),
        enabled: current ? current.enabled : true,
        onSenders: !(kind === 'video' && mesh.screen),
        base: kind === 'video' ? /** @type {MediaTrackConstraints} */ (CAMERA.video) : {},
      });
      if (!mesh.screen) {
        mesh.localVideo.srcObject = null;
        mesh.localVideo.srcObject = mesh.camera;
      }
    },
    stats: () => (mesh ? mesh.stats() : Promise.resolve(null)),
  };
}
