// @ts-check
// A conference is a full mesh: one RTCPeerConnection ("leg") per other member, each signaled through the node
// like a 1:1 call (conf-offer/conf-answer/conf-candidate with {conf, user, leg}). No glare: of two members, the
// one whose name sorts first makes the offer, always; the other only answers. Each offer carries the offerer's
// leg id, so a member who left and came back gets a fresh connection instead of a renegotiation of a dead one.
// Each leg runs the quality indicator and the degradation ladder of a 1:1 call (CallQuality), its video capped at
// the leg's share of the uplink at full quality.

import { CallQuality, createLinkChannel, qualityText } from './callquality.js';
import { FileTransfer } from './files.js';
import { DATA_CHANNELS, FROM_TAB, TO_TAB } from './protocol.js';
import { openChosenMedia } from './devices.js';
import { MediaStateLink, tileMediaMarks } from './mediastate.js';
import { displayText } from './text.js';
import { RemoteCandidates } from './candidates.js';
import { attachTracks, sendOnOfferedTransceivers } from './senders.js';

export const MAX_MEMBERS = 6;
// A small picture: six people on one machine or one home uplink must stay watchable.
export const CAMERA = { audio: true, video: { width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 15 } } };
const CLOSE_GRACE_MS = 1500;
const GIVE_UP_MS = 15000;
const RESTART_AFTER_MS = 3000;
const BUDGET_EVERY_MS = 4000;
/** Uplink assumed before any connection has measured one: a modest home line. */
export const DEFAULT_UPLINK_BPS = 2_500_000;
const MIN_LEG_BPS = 100_000;
const MAX_LEG_BPS = 1_500_000;
const SPEAKING_LEVEL = 0.02;
const OFFER_RESEND_MS = 4000;

/** Of two members, the one whose name sorts first makes the offer: both sides know it, so there is no glare. */
export const offers = (me, other) => me < other;

/**
 * The media budget: an uplink shared by the legs, each video sender capped at uplink / others, within
 * [100 kbit/s, 1.5 Mbit/s]. `measured` is the best estimate any leg's congestion control has (0: none yet).
 */
export function legBudget(measured, others, override = 0) {
  const uplink = override || (measured > 0 ? Math.min(measured, DEFAULT_UPLINK_BPS * 4) : DEFAULT_UPLINK_BPS);
  return Math.round(Math.min(MAX_LEG_BPS, Math.max(MIN_LEG_BPS, uplink / Math.max(1, others))));
}

const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');

class Leg {
  constructor(mesh, user) {
    this.mesh = mesh;
    this.user = user;
    this.offerer = offers(mesh.me, user);
    this.id = this.offerer ? randomId() : null; // the answerer takes the offerer's id
    this.pc = null;
    this.senders = { audio: null, video: null };
    this.candidates = new RemoteCandidates(() => this.pc);
    this.chain = Promise.resolve();
    this.closed = false;
    this.chatQueue = [];
    this.stats = {
      framesDecoded: 0, fps: 0, audioLevel: 0, bitrateOut: 0, bytesSent: 0, available: 0, local: null, remote: null,
      connection: 'new', signaling: 'none',
    };
    this.tile = mesh.makeTile(user);
    this.showRemoteMedia = tileMediaMarks(this.tile.root, user, displayText(user));
  }

  enqueue(step) {
    this.chain = this.chain.then(step).catch((e) => {
      if (!this.closed) this.mesh.lost(this, `the connection to ${this.user} failed: ${e.message || e}`);
    });
    return this.chain;
  }

  send(type, payload) {
    this.mesh.send({ type, conf: this.mesh.conf, user: this.user, leg: this.id, ...payload });
  }

  createPeerConnection() {
    const pc = new RTCPeerConnection(this.mesh.config);
    this.pc = pc;
    pc.onicecandidate = (event) => {
      if (event.candidate) this.send(FROM_TAB.CONF_CANDIDATE, { candidate: event.candidate.toJSON() });
    };
    pc.ontrack = (event) => {
      const element = event.track.kind === 'video' ? this.tile.video : this.tile.audio;
      const stream = element.srcObject || new MediaStream();
      stream.addTrack(event.track);
      element.srcObject = stream;
      element.play().catch(() => {});
    };
    pc.onconnectionstatechange = () => this.onConnectionState();
    const chat = pc.createDataChannel(DATA_CHANNELS.CHAT.label, { negotiated: true, id: DATA_CHANNELS.CHAT.id });
    const files = pc.createDataChannel(DATA_CHANNELS.FILES.label, { negotiated: true, id: DATA_CHANNELS.FILES.id });
    this.chat = chat;
    chat.addEventListener('open', () => this.flushChat());
    chat.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      let text;
      try {
        text = JSON.parse(event.data).text;
      } catch {
        return;
      }
      if (typeof text === 'string') this.mesh.chat.render(this.user, text.slice(0, 16 * 1024), 'theirs');
    });
    // The member's browser closed its connection (left, tab gone, node gone and the page with it). A normal
    // leave closes it too; give the node's roster a moment to say so first.
    chat.addEventListener('close', () => {
      setTimeout(() => { if (!this.closed) this.mesh.lost(this, `the connection to ${this.user} was lost`); }, CLOSE_GRACE_MS);
    });
    this.files = new FileTransfer(this.mesh.fileList, this.mesh.notify);
    this.files.attach(files);
    const link = createLinkChannel(pc);
    this.quality = new CallQuality({
      pc, channel: link, senders: () => this.senders, remoteName: this.user,
      maxBitrate: () => this.capBps || null,
    });
    this.quality.addEventListener('quality', (event) => this.renderQuality(/** @type {CustomEvent} */ (event).detail));
    this.quality.addEventListener('level', (event) => this.renderLevel(/** @type {CustomEvent} */ (event).detail));
    // Mute and camera off, both ways, on the same link channel as a 1:1 call's (mediastate.js).
    this.mediaState = new MediaStateLink({ channel: link, local: this.mesh.localMediaState() });
    this.mediaState.addEventListener('remote', (event) => this.showRemoteMedia(/** @type {CustomEvent} */ (event).detail));
    this.renderState();
    return pc;
  }

  /** Offerer: transceivers now, the camera joins them by replaceTrack as soon as it is there. */
  async start() {
    const pc = this.createPeerConnection();
    this.senders.audio = pc.addTransceiver('audio', { direction: 'sendrecv' }).sender;
    this.senders.video = pc.addTransceiver('video', { direction: 'sendrecv' }).sender;
    this.attachMedia();
    await this.sendOffer({});
  }

  async sendOffer(options) {
    const offer = await this.pc.createOffer(options);
    if (this.closed) return;
    await this.pc.setLocalDescription(offer);
    this.send(FROM_TAB.CONF_OFFER, { sdp: this.pc.localDescription.sdp });
    this.armOfferResend();
  }

  /** Signals travel as datagrams: an offer or its answer may be lost, so an unanswered offer is sent again. */
  armOfferResend() {
    clearTimeout(this.resendTimer);
    this.resendTimer = setTimeout(() => {
      if (this.closed || !this.pc || this.pc.signalingState !== 'have-local-offer') return;
      this.send(FROM_TAB.CONF_OFFER, { sdp: this.pc.localDescription.sdp });
      this.armOfferResend();
    }, OFFER_RESEND_MS);
  }

  async attachMedia() {
    const stream = await this.mesh.media.catch(() => null);
    if (!stream || this.closed) return;
    await attachTracks(stream, this.senders, this.mesh.screen);
  }

  async onOffer(sdp, legId) {
    if (this.closed || this.offerer) return;
    if (!this.pc) {
      this.id = legId;
      this.createPeerConnection();
    }
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this.candidates.flush();
    if (!this.senders.video) {
      sendOnOfferedTransceivers(this.pc, this.senders);
      this.attachMedia();
    }
    const answer = await this.pc.createAnswer();
    if (this.closed) return;
    await this.pc.setLocalDescription(answer);
    this.send(FROM_TAB.CONF_ANSWER, { sdp: this.pc.localDescription.sdp });
  }

  async onAnswer(sdp) {
    if (this.closed || !this.pc || !this.offerer || this.pc.signalingState !== 'have-local-offer') return;
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.candidates.flush();
  }

  async onCandidate(candidate) {
    if (this.closed) return;
    await this.candidates.add(candidate);
  }

  onConnectionState() {
    const state = this.pc.connectionState;
    this.renderState();
    if (state === 'connected') {
      clearTimeout(this.restartTimer);
      clearTimeout(this.giveUpTimer);
      this.restartTimer = null;
      this.giveUpTimer = null;
      if (this.quality && this.quality.startedAt === 0) this.quality.start();
      this.mesh.applyBudget();
      return;
    }
    if (state === 'disconnected' || state === 'failed') {
      if (this.offerer && !this.restartTimer) {
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          if (!this.closed) this.enqueue(() => this.sendOffer({ iceRestart: true }));
        }, state === 'failed' ? 0 : RESTART_AFTER_MS);
      }
      if (!this.giveUpTimer) {
        this.giveUpTimer = setTimeout(() => {
          if (!this.closed && this.pc.connectionState !== 'connected') this.mesh.lost(this, `the connection to ${this.user} was lost`);
        }, GIVE_UP_MS);
      }
    }
  }

  renderState() {
    const state = this.pc ? this.pc.connectionState : 'new';
    this.tile.root.dataset.connection = state;
    this.tile.state.textContent = state;
  }

  /** The tile's indicator: good / fair / poor, the figures on hover (title) or tap. */
  renderQuality(detail) {
    const badge = this.tile.quality;
    badge.hidden = false;
    badge.dataset.level = detail.level;
    badge.textContent = detail.level;
    badge.title = qualityText(detail);
    if (this.tile.details.hidden === false) this.tile.details.textContent = badge.title;
  }

  /** The ladder's step on this leg; a change is told, with whose network is the cause. */
  renderLevel(detail) {
    const changed = this.tile.root.dataset.mediaLevel !== detail.mediaLevel;
    this.tile.root.dataset.mediaLevel = detail.mediaLevel;
    this.tile.root.dataset.step = String(detail.step);
    if (changed && detail.previous >= 0) {
      this.mesh.notify(`${this.user}: ${detail.text || `${detail.mediaLevel} back: the network recovered`}`);
    }
  }

  sendChat(text) {
    this.chatQueue.push(text);
    this.flushChat();
  }

  flushChat() {
    if (!this.chat || this.chat.readyState !== 'open') return;
    while (this.chatQueue.length > 0) this.chat.send(JSON.stringify({ text: this.chatQueue.shift() }));
  }

  /**
   * Caps this leg's video at {@code bps} (0: no cap); re-applied only when it changes. The ladder applies it with
   * its step (one setParameters at a time per sender), so a lowered step keeps its own, smaller, bitrate.
   */
  async capVideo(bps) {
    const sender = this.senders.video;
    if (!sender || !this.quality || this.capBps === bps) return;
    const params = sender.getParameters();
    if (!params.encodings || params.encodings.length === 0) return; // not negotiated yet: next round
    this.capBps = bps;
    this.tile.root.dataset.maxBitrate = String(bps || 0);
    await this.quality.reapply();
  }

  /** Frames decoded, frame rate, audio level, outgoing bitrate and candidate types from getStats. */
  async measure() {
    if (!this.pc || this.closed) return this.stats;
    const report = await this.pc.getStats();
    const now = performance.now();
    const previous = this.previous || { at: now, framesDecoded: 0, bytesSent: 0 };
    let framesDecoded = 0;
    let audioLevel = 0;
    let bytesSent = 0;
    let pairId = null;
    let available = 0;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') framesDecoded = s.framesDecoded || 0;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') audioLevel = s.audioLevel || 0;
      if (s.type === 'outbound-rtp' && s.kind === 'video') bytesSent += s.bytesSent || 0;
      if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    });
    const pair = pairId && report.get(pairId);
    if (pair) {
      available = pair.availableOutgoingBitrate || 0;
      const local = report.get(pair.localCandidateId);
      const remote = report.get(pair.remoteCandidateId);
      this.stats.local = local ? local.candidateType : null;
      this.stats.remote = remote ? remote.candidateType : null;
    }
    const seconds = Math.max((now - previous.at) / 1000, 0.001);
    this.stats.fps = previous.at === now ? 0 : (framesDecoded - previous.framesDecoded) / seconds;
    this.stats.bitrateOut = previous.at === now ? 0 : ((bytesSent - previous.bytesSent) * 8) / seconds;
    this.stats.framesDecoded = framesDecoded;
    this.stats.audioLevel = audioLevel;
    this.stats.bytesSent = bytesSent;
    this.stats.available = available;
    this.stats.connection = this.pc.connectionState;
    this.stats.signaling = this.pc.signalingState;
    this.previous = { at: now, framesDecoded, bytesSent };
    this.tile.root.dataset.framesDecoded = String(framesDecoded);
    this.tile.root.classList.toggle('speaking', audioLevel > SPEAKING_LEVEL);
    this.tile.root.dataset.speaking = String(audioLevel > SPEAKING_LEVEL);
    return this.stats;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.giveUpTimer);
    clearTimeout(this.resendTimer);
    if (this.quality) this.quality.stop();
    if (this.mediaState) this.mediaState.stop();
    if (this.files) this.files.detach();
    if (this.pc) this.pc.close();
    this.tile.video.srcObject = null;
    this.tile.audio.srcObject = null;
    this.tile.root.remove();
  }
}

/**
 * The page's side of one conference: its legs, its grid of tiles, chat and files to everyone (or files to one),
 * screen share on every leg, and the media budget.
 */
export class ConferenceMesh extends EventTarget {
  /**
   * @param {object} o
   * @param {string} o.me
   * @param {string} o.conf
   * @param {RTCConfiguration} o.config
   * @param {(msg: object) => void} o.send to the gateway
   * @param {HTMLElement} o.grid where tiles go
   * @param {HTMLVideoElement} o.localVideo own picture
   * @param {HTMLElement} o.fileList transfer rows
   * @param {import('./chat.js').Chat} o.chat renders messages
   * @param {(text: string) => void} o.notify
   * @param {boolean} [o.budget] cap each leg's video from the uplink estimate
   */
  constructor({ me, conf, config, send, grid, localVideo, fileList, chat, notify, budget = true }) {
    super();
    this.me = me;
    this.conf = conf;
    this.config = config;
    this.send = send;
    this.grid = grid;
    this.localVideo = localVideo;
    this.fileList = fileList;
    this.chat = chat;
    this.notify = notify;
    this.budget = budget;
    /** Set from the console or a bench to try another uplink, in bits per second. */
    this.uplinkOverride = 0;
    this.legs = new Map();
    this.dropped = new Set();
    /** Signals from the node this page did not use (see ignore()). */
    this.ignoredSignals = 0;
    this.screen = null;
    this.camera = null;
    this.closed = false;
    this.media = this.openMedia();
    this.media.catch((e) => notify(`camera or microphone unavailable: ${e.message || e.name}`));
    this.timer = setInterval(() => this.tick(), 1000);
    this.budgetTimer = setInterval(() => this.applyBudget(), BUDGET_EVERY_MS);
  }

  async openMedia() {
    const stream = await openChosenMedia(CAMERA); // the camera and microphone chosen in the device settings
    if (this.closed) {
      stream.getTracks().forEach((t) => t.stop());
      throw new Error('conference left');
    }
    for (const track of stream.getTracks()) track.enabled = !(this.muted && this.muted[track.kind]);
    this.camera = stream;
    this.localVideo.srcObject = stream;
    return stream;
  }

  makeTile(user) {
    const root = document.createElement('div');
    root.className = 'conf-tile';
    root.dataset.testid = 'conf-tile';
    root.dataset.user = user;
    root.dataset.connection = 'new';
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true; // sound comes from the tile's audio element
    const audio = document.createElement('audio');
    audio.autoplay = true;
    const label = document.createElement('div');
    label.className = 'tile-label';
    const name = document.createElement('span');
    name.className = 'tile-name';
    name.textContent = user;
    const state = document.createElement('span');
    state.className = 'tile-state';
    // The network quality of this leg (the same hook as a 1:1 call's remote video); tap for the figures.
    const quality = document.createElement('button');
    quality.type = 'button';
    quality.className = 'tile-quality';
    quality.dataset.testid = 'quality';
    quality.hidden = true;
    const details = document.createElement('div');
    details.className = 'tile-quality-details';
    details.hidden = true;
    quality.addEventListener('click', () => {
      details.hidden = !details.hidden;
      details.textContent = quality.title;
      quality.setAttribute('aria-expanded', String(!details.hidden));
    });
    label.append(name, state, quality);
    root.append(video, audio, label, details);
    this.grid.append(root);
    this.layout();
    return { root, video, audio, state, quality, details };
  }

  /** 1–5 remote tiles: columns so that tiles stay as large as the stage allows. */
  layout() {
    const n = this.grid.children.length;
    this.grid.dataset.tiles = String(n);
    this.grid.style.setProperty('--columns', String(n <= 1 ? 1 : n <= 4 ? 2 : 3));
  }

  /** The node's roster: a leg for every other member, none for anyone else. */
  update(members) {
    if (this.closed) return;
    const wanted = new Set(members.filter((m) => typeof m === 'string' && m !== this.me).slice(0, MAX_MEMBERS - 1));
    for (const [user, leg] of this.legs) {
      if (!wanted.has(user)) this.removeLeg(user, leg);
    }
    for (const user of wanted) {
      if (this.legs.has(user)) continue;
      if (this.dropped.has(user)) continue; // lost it; the node is told and will drop it from the roster
      const leg = new Leg(this, user);
      this.legs.set(user, leg);
      if (leg.offerer) leg.enqueue(() => leg.start());
    }
    for (const user of [...this.dropped]) if (!wanted.has(user)) this.dropped.delete(user);
    this.layout();
    this.dispatchEvent(new CustomEvent('members', { detail: [...this.legs.keys()] }));
  }

  removeLeg(user, leg) {
    leg.close();
    this.legs.delete(user);
    this.layout();
  }

  /** A leg died on the page's side: drop it and tell the node, which takes the member off its roster. */
  lost(leg, why) {
    if (this.closed || this.legs.get(leg.user) !== leg) return;
    this.removeLeg(leg.user, leg);
    this.dropped.add(leg.user);
    this.notify(why);
    this.send({ type: FROM_TAB.CONF_DROP, conf: this.conf, user: leg.user });
  }

  onSignal(type, message) {
    const leg = this.legs.get(message.from);
    if (type === TO_TAB.CONF_OFFER && typeof message.leg !== 'string') {
      this.ignore(type, message, 'an offer without its leg id');
      return;
    }
    if (!leg) {
      // Members answer an offer that outran the roster: the node only passes signals of members.
      if (type !== TO_TAB.CONF_OFFER || this.dropped.has(message.from) || !offers(message.from, this.me)) {
        this.ignore(type, message, 'no leg to that member');
        return;
      }
    }
    const target = leg || this.legFor(message.from);
    if (type === TO_TAB.CONF_OFFER) {
      if (target.id && target.id !== message.leg) {
        // A new connection from a member who came back: start over with it.
        this.removeLeg(target.user, target);
        const fresh = this.legFor(message.from);
        fresh.enqueue(() => fresh.onOffer(message.sdp, message.leg));
        return;
      }
      target.enqueue(() => target.onOffer(message.sdp, message.leg));
    } else if (message.leg === target.id || (target.id === null && !target.offerer)) {
      // (A candidate that outran its offer waits in the leg until the offer is there.)
      if (type === TO_TAB.CONF_ANSWER) target.enqueue(() => target.onAnswer(message.sdp));
      if (type === TO_TAB.CONF_CANDIDATE) target.enqueue(() => target.onCandidate(message.candidate));
    } else {
      this.ignore(type, message, 'for a connection to that member that is gone');
    }
  }

  /**
   * A signal the page does not use (for a leg that was made anew since, or a member it has no leg to) is counted
   * and told on the console, never dropped without a trace; the bench prints the count.
   */
  ignore(type, message, why) {
    this.ignoredSignals += 1;
    console.debug(`conference: ignored ${type} from ${message.from} (leg ${message.leg}): ${why}; ${this.ignoredSignals} so far`);
  }

  legFor(user) {
    let leg = this.legs.get(user);
    if (!leg) {
      leg = new Leg(this, user);
      this.legs.set(user, leg);
    }
    return leg;
  }

  sendChat(text) {
    this.chat.render(this.me, text, 'mine');
    for (const leg of this.legs.values()) leg.sendChat(text);
  }

  /** Files to every member, or only to {@code user}. */
  sendFiles(files, user = null) {
    for (const leg of this.legs.values()) {
      if ((!user || leg.user === user) && leg.files) leg.files.send(files);
    }
  }

  setMuted(kind, muted) {
    this.muted = { ...this.muted, [kind]: muted };
    if (this.camera) {
      for (const track of kind === 'audio' ? this.camera.getAudioTracks() : this.camera.getVideoTracks()) track.enabled = !muted;
    }
    this.tellMediaState();
  }

  /** What the members see of us: a shared screen counts as a picture even with the camera off. */
  localMediaState() {
    const muted = this.muted || { audio: false, video: false };
    return { mic: !muted.audio, camera: !muted.video || Boolean(this.screen) };
  }

  tellMediaState() {
    for (const leg of this.legs.values()) if (leg.mediaState) leg.mediaState.setLocal(this.localMediaState());
  }

  /** Camera → screen → camera on every leg by replaceTrack: nothing is renegotiated. */
  async toggleScreen() {
    if (this.screen) {
      await this.stopScreen();
      return false;
    }
    const screen = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const [track] = screen.getVideoTracks();
    track.contentHint = 'detail';
    track.addEventListener('ended', () => this.stopScreen());
    this.screen = screen;
    await Promise.all([...this.legs.values()].map((leg) => leg.senders.video && leg.senders.video.replaceTrack(track)));
    this.localVideo.srcObject = screen;
    this.tellMediaState();
    return true;
  }

  async stopScreen() {
    const screen = this.screen;
    if (!screen) return;
    this.screen = null;
    const camera = this.camera && this.camera.getVideoTracks()[0];
    await Promise.all([...this.legs.values()].map((leg) => leg.senders.video && leg.senders.video.replaceTrack(camera || null)));
    screen.getTracks().forEach((t) => t.stop());
    this.localVideo.srcObject = this.camera;
    this.tellMediaState();
    this.dispatchEvent(new CustomEvent('screen', { detail: false }));
  }

  /**
   * The media budget: the uplink (the best estimate any leg's congestion control has, or a modest default) is
   * shared by the legs, so each video sender is capped at uplink / others.
   */
  legCap() {
    const measured = Math.max(0, ...[...this.legs.values()].map((leg) => leg.stats.available || 0));
    return legBudget(measured, this.legs.size, this.uplinkOverride);
  }

  async applyBudget() {
    if (this.closed) return;
    const cap = this.budget ? this.legCap() : 0;
    for (const leg of this.legs.values()) {
      if (leg.pc && leg.pc.connectionState === 'connected') await leg.capVideo(cap);
    }
  }

  async tick() {
    if (this.closed) return;
    for (const leg of [...this.legs.values()]) await leg.measure().catch(() => {});
    this.reportLegs();
  }

  /**
   * Tells the node which legs are connected: media from a member proves it alive, so the node keeps it on the
   * roster even when gossip signals are late (a loaded machine), instead of tearing down a working leg.
   */
  reportLegs() {
    if (this.closed) return;
    const connected = [...this.legs.values()].filter((leg) => leg.pc && leg.pc.connectionState === 'connected').map((leg) => leg.user);
    if (connected.length > 0) this.send({ type: FROM_TAB.CONF_LEGS, conf: this.conf, connected });
  }

  /** Per-leg figures for the page's diagnostics handle, tests and the bench. */
  async stats() {
    const result = {};
    for (const leg of this.legs.values()) {
      const s = await leg.measure().catch(() => leg.stats);
      result[leg.user] = {
        ...s, cap: leg.capBps || 0, quality: leg.tile.quality.dataset.level || null,
        mediaLevel: leg.tile.root.dataset.mediaLevel || null,
      };
    }
    return result;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.budgetTimer);
    for (const [user, leg] of this.legs) this.removeLeg(user, leg);
    for (const stream of [this.camera, this.screen]) if (stream) stream.getTracks().forEach((t) => t.stop());
    this.localVideo.srcObject = null;
  }
}
