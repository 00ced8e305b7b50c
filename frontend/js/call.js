// @ts-check
// One call's RTCPeerConnection. The callee makes the offer and the caller answers. The callee
// adds its transceivers and sends the offer while its camera is still starting, then swaps the tracks in with
// replaceTrack: ICE and DTLS run in parallel with getUserMedia, which is what keeps accept→video short.
// Quality and the degradation ladder run per connection in CallQuality (callquality.js).
import { DATA_CHANNELS, FROM_TAB, FILES_REOPENED_FIRST_ID } from './protocol.js';
import { CallQuality, createLinkChannel } from './callquality.js';
import { MediaStateLink } from './mediastate.js';
import { openChosenMedia, switchInput } from './devices.js';
import { RemoteCandidates } from './candidates.js';
import { attachTracks, sendOnOfferedTransceivers } from './senders.js';

const GIVE_UP_MS = 15000;
const CONNECT_MS = 20000;
const CLOSE_GRACE_MS = 2000;
const RESTART_AFTER_MS = 3000;
// No answer to the link probe this long while ICE still says "connected" (consent checks take ~30 s to notice):
// the media path is dead, handled like a disconnect (ICE restart, then the call ends after GIVE_UP_MS).
const SILENT_MS = 8000;

export class Call extends EventTarget {
  /**
   * @param {object} o
   * @param {string} o.peer       the other user's name
   * @param {boolean} o.offerer   true on the callee side
   * @param {RTCConfiguration} o.config
   * @param {(msg: object) => void} o.send  to the gateway
   * @param {HTMLVideoElement} o.localVideo
   * @param {HTMLVideoElement} o.remoteVideo
   * @param {HTMLAudioElement} o.remoteAudio
   */
  constructor({ peer, offerer, config, send, localVideo, remoteVideo, remoteAudio }) {
    super();
    this.peer = peer;
    this.offerer = offerer;
    this.config = config;
    this.send = send;
    this.localVideo = localVideo;
    this.remoteVideo = remoteVideo;
    this.remoteAudio = remoteAudio;
    this.pc = null;
    this.candidates = new RemoteCandidates(() => this.pc);
    this.restarts = 0;
    this.answered = false;
    this.closed = false;
    this.camera = null;
    this.screen = null;
    this.senders = { audio: null, video: null };
    /** The user's mute / camera-off buttons; kept here so a camera that starts late or is switched obeys them. */
    this.muted = { audio: false, video: false };
    /** @type {MediaStateLink|null} tells the remote user's page about them */
    this.mediaState = null;
    this.remoteStream = new MediaStream();
    this.remoteAudioStream = new MediaStream();
    this.chain = Promise.resolve();
    this.born = performance.now();
    this.timeline = []; // [event, ms since the call object was made]: where call setup time goes
    this.media = this.openMedia();
    this.media.catch(() => {}); // reported by whoever awaits it
  }

  mark(event) {
    this.timeline.push([event, Math.round(performance.now() - this.born)]);
  }

  /** Runs signaling steps one at a time: an ICE-restart offer must not overtake the answer to the first one. */
  enqueue(step) {
    this.chain = this.chain.then(step).catch((e) => {
      if (!this.closed) this.fail(`call setup failed: ${e.message || e}`);
    });
    return this.chain;
  }

  // ---- media -------------------------------------------------------------------------------------------

  async openMedia() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new Error('this browser gives no access to camera and microphone (is the page on https?)');
    }
    const stream = await openChosenMedia();
    if (this.closed) {
      stream.getTracks().forEach((t) => t.stop());
      throw new Error('call ended');
    }
    for (const track of stream.getTracks()) track.enabled = !this.muted[track.kind];
    this.camera = stream;
    this.localVideo.srcObject = stream;
    this.mark('camera');
    return stream;
  }

  async mediaOrFail() {
    try {
      return await this.media;
    } catch (e) {
      if (!this.closed) this.fail(`camera or microphone unavailable: ${e.name === 'NotAllowedError' ? 'permission denied' : e.message || e.name}`);
      return null;
    }
  }

  // ---- peer connection ---------------------------------------------------------------------------------

  createPeerConnection() {
    const pc = new RTCPeerConnection(this.config);
    this.pc = pc;
    pc.onicecandidate = (event) => {
      if (event.candidate) this.send({ type: FROM_TAB.CANDIDATE, candidate: event.candidate.toJSON() });
    };
    pc.ontrack = (event) => {
      this.mark(`track-${event.track.kind}`);
      const stream = event.track.kind === 'video' ? this.remoteStream : this.remoteAudioStream;
      stream.addTrack(event.track);
      if (event.track.kind === 'video') {
        this.remoteVideo.srcObject = stream;
        this.remoteVideo.play().catch(() => {});
      } else {
        this.remoteAudio.srcObject = stream;
        this.remoteAudio.play().catch(() => {});
      }
    };
    pc.onconnectionstatechange = () => this.onConnectionState();
    // Negotiated channels exist on both sides from the start, so nothing waits for ondatachannel.
    const chat = pc.createDataChannel(DATA_CHANNELS.CHAT.label, { negotiated: true, id: DATA_CHANNELS.CHAT.id });
    const files = this.openFilesChannel(pc);
    const link = createLinkChannel(pc);
    this.quality = new CallQuality({ pc, channel: link, senders: () => this.senders, remoteName: this.peer });
    this.mediaState = new MediaStateLink({ channel: link, local: this.localMediaState() });
    this.mediaState.addEventListener('remote', (event) => {
      this.dispatchEvent(new CustomEvent('remote-media', { detail: /** @type {CustomEvent} */ (event).detail }));
    });
    for (const type of ['quality', 'level']) {
      this.quality.addEventListener(type, (event) => {
        if (type === 'quality') this.checkSilence();
        this.dispatchEvent(new CustomEvent(type, { detail: /** @type {CustomEvent} */ (event).detail }));
      });
    }
    // The peer's browser closed its connection (tab killed, node gone). A normal hang-up closes it too, so
    // give its "leave" a moment to arrive first and only then call the connection lost.
    chat.addEventListener('close', () => {
      setTimeout(() => { if (!this.closed) this.fail(`the connection to ${this.peer} was lost`); }, CLOSE_GRACE_MS);
    });
    this.dispatchEvent(new CustomEvent('channels', { detail: { chat, files } }));
    return pc;
  }

  /**
   * The files channel, on low priority so a transfer yields to the call's audio and video. When it closes
   * while the call goes on (the remote user's browser reset it, SCTP gave up during a network change), both
   * sides open it again with the same id and the file transfer resumes on it ('files-channel' event).
   */
  openFilesChannel(pc, reopened = 0) {
    // Each side sees each close once, so both count the same re-opens and pick the same id.
    const id = reopened === 0 ? DATA_CHANNELS.FILES.id : FILES_REOPENED_FIRST_ID + reopened - 1;
    const files = pc.createDataChannel(DATA_CHANNELS.FILES.label,
      /** @type {RTCDataChannelInit} */ ({ negotiated: true, id, priority: 'very-low' }));
    // The end whose remote user closed the channel sees 'closing' first, and its 'close' only once its own stream
    // reset completes, which can take long or never come (seen during an ICE restart): it re-opens at 'closing'.
    // The end that closed gets no 'closing' event and re-opens at 'close'. Either way once per channel.
    let next = null;
    const reopen = () => {
      if (next || this.closed || this.pc !== pc || pc.signalingState === 'closed' || reopened >= 1000) return;
      this.mark('files-reopen');
      next = this.openFilesChannel(pc, reopened + 1);
      this.dispatchEvent(new CustomEvent('files-channel', { detail: next }));
    };
    files.addEventListener('closing', reopen);
    files.addEventListener('close', reopen);
    return files;
  }

  /** With relay only and no TURN, or every path blocked, ICE may never even report failure: give up in time. */
  armConnectTimer() {
    if (this.connectTimer) return;
    this.connectTimer = setTimeout(() => {
      if (!this.closed && this.pc.connectionState !== 'connected') {
        this.fail(`could not connect to ${this.peer}: no network path worked${this.config.iceTransportPolicy === 'relay' ? ' (relay only: is TURN available?)' : ''}`);
      }
    }, CONNECT_MS);
  }

  /** Caller, while it rings: the peer connection is made now so the offer finds it ready. */
  prepare() {
    if (!this.pc && !this.closed) this.createPeerConnection();
  }

  /** Callee: offer first, camera in parallel. */
  async start() {
    const pc = this.createPeerConnection();
    this.armConnectTimer();
    const audio = pc.addTransceiver('audio', { direction: 'sendrecv' });
    const video = pc.addTransceiver('video', { direction: 'sendrecv' });
    this.senders = { audio: audio.sender, video: video.sender };
    this.attachMedia(); // not awaited: ICE and DTLS run while the camera starts
    await this.sendOffer({});
  }

  /** Puts the camera and microphone on the senders as soon as they exist: replaceTrack needs no renegotiation. */
  async attachMedia() {
    const stream = await this.mediaOrFail();
    if (!stream || this.closed) return;
    await attachTracks(stream, this.senders, this.screen);
    this.mark('media-attached');
  }

  async sendOffer(options) {
    const offer = await this.pc.createOffer(options);
    if (this.closed) return;
    await this.pc.setLocalDescription(offer);
    this.send({ type: FROM_TAB.OFFER, sdp: this.pc.localDescription.sdp });
    this.mark('offer-sent');
  }

  /** Caller: the callee's offer (first one, or an ICE restart). */
  async onOffer(sdp) {
    if (this.closed) return;
    this.mark('offer-received');
    if (!this.pc) this.createPeerConnection();
    this.armConnectTimer();
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this.candidates.flush();
    if (!this.answered) {
      this.answered = true;
      // Answer at once with sending transceivers; the camera joins them when ready (it usually already is:
      // it started when the call was placed).
      sendOnOfferedTransceivers(this.pc, this.senders);
      this.attachMedia();
    }
    const answer = await this.pc.createAnswer();
    if (this.closed) return;
    await this.pc.setLocalDescription(answer);
    this.send({ type: FROM_TAB.ANSWER, sdp: this.pc.localDescription.sdp });
    this.mark('answer-sent');
  }

  async onAnswer(sdp) {
    if (this.closed || !this.pc) return;
    this.mark('answer-received');
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.candidates.flush();
  }

  async onCandidate(candidate) {
    if (this.closed) return;
    await this.candidates.add(candidate);
  }

  // ---- failure handling: ICE restart, then give up ------------------------------------------------------

  onConnectionState() {
    const state = this.pc.connectionState;
    this.mark(state);
    this.dispatchEvent(new CustomEvent('connection', { detail: state }));
    if (state === 'connected') {
      if (this.quality && this.quality.startedAt === 0) this.quality.start();
      this.connectedAt = performance.now(); // the probe's answers resume from here
      clearTimeout(this.connectTimer);
      clearTimeout(this.restartTimer);
      clearTimeout(this.giveUpTimer);
      this.restartTimer = null;
      this.giveUpTimer = null;
      return;
    }
    if (state === 'disconnected' || state === 'failed') this.pathLost(state === 'failed' ? 0 : RESTART_AFTER_MS);
  }

  /** ICE restart (by the offerer), and the call ends if nothing comes back within GIVE_UP_MS. */
  pathLost(restartAfterMs) {
    if (this.offerer && !this.restartTimer) {
      this.restartTimer = setTimeout(() => this.restartIce(), restartAfterMs);
    }
    if (!this.giveUpTimer) {
      this.giveUpTimer = setTimeout(() => {
        if (!this.closed && !this.pathAlive()) {
          this.fail(`the connection to ${this.peer} was lost (no network path for ${Math.round(GIVE_UP_MS / 1000)} s)`);
        }
      }, GIVE_UP_MS);
    }
  }

  pathAlive() {
    return this.pc.connectionState === 'connected' && !this.silent();
  }

  /** The link probe got no answer for SILENT_MS (it answers every 500 ms on a live path). */
  silent() {
    const q = this.quality;
    if (!q || q.startedAt === 0) return false;
    const last = Math.max(q.probe.lastReplyAt, q.startedAt, this.connectedAt || 0);
    return performance.now() - last > SILENT_MS;
  }

  checkSilence() {
    if (this.closed || this.pc.connectionState !== 'connected') return;
    if (this.silent()) {
      this.pathLost(0);
    } else if (this.giveUpTimer) {
      clearTimeout(this.restartTimer);
      clearTimeout(this.giveUpTimer);
      this.restartTimer = null;
      this.giveUpTimer = null;
    }
  }

  /** After a network change or a dead path: new candidates, same call. Only the offerer restarts. */
  restartIce() {
    if (this.closed || !this.pc || !this.offerer) return;
    this.restarts += 1;
    this.restartTimer = null;
    this.enqueue(() => this.sendOffer({ iceRestart: true }));
  }

  fail(reason) {
    if (this.closed) return;
    this.dispatchEvent(new CustomEvent('failed', { detail: reason }));
  }

  // ---- in-call controls --------------------------------------------------------------------------------

  setMuted(kind, muted) {
    this.muted[kind] = muted;
    const stream = this.camera;
    if (stream) {
      for (const track of kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks()) track.enabled = !muted;
    }
    this.tellMediaState();
  }

  /** What the remote user sees of us: a shared screen counts as a picture even with the camera off. */
  localMediaState() {
    return { mic: !this.muted.audio, camera: !this.muted.video || Boolean(this.screen) };
  }

  tellMediaState() {
    if (this.mediaState) this.mediaState.setLocal(this.localMediaState());
  }

  /**
   * Another camera or microphone during the call (the device settings): replaceTrack on the sender, no
   * renegotiation. Before the camera is open there is nothing to swap: openMedia reads the stored choice.
   * @param {'audio'|'video'} kind @param {string} deviceId
   */
  async useDevice(kind, deviceId) {
    if (this.closed || !this.camera) return;
    await switchInput(this.camera, kind, deviceId, {
      senders: [this.senders[kind]],
      enabled: !this.muted[kind],
      onSenders: !(kind === 'video' && this.screen),
    });
    if (this.closed) return;
    if (!this.screen) {
      // A new track in the same stream: setting it again makes every browser show the new picture.
      this.localVideo.srcObject = null;
      this.localVideo.srcObject = this.camera;
    }
  }

  /** Camera → screen → camera by replaceTrack: the peer keeps its receiver, nothing is renegotiated. */
  async toggleScreen() {
    if (this.screen) {
      await this.stopScreen();
      return false;
    }
    const screen = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const [track] = screen.getVideoTracks();
    track.contentHint = 'detail'; // keep the resolution readable, drop frame rate instead
    track.addEventListener('ended', () => this.stopScreen());
    this.screen = screen;
    if (this.senders.video) await this.senders.video.replaceTrack(track);
    this.localVideo.srcObject = screen;
    this.tellMediaState();
    return true;
  }

  async stopScreen() {
    const screen = this.screen;
    if (!screen) return;
    this.screen = null;
    const camera = this.camera && this.camera.getVideoTracks()[0];
    if (this.senders.video) await this.senders.video.replaceTrack(camera || null);
    screen.getTracks().forEach((t) => t.stop());
    this.localVideo.srcObject = this.camera;
    this.tellMediaState();
    this.dispatchEvent(new CustomEvent('screen', { detail: false }));
  }

  // ---- stats -------------------------------------------------------------------------------------------

  /** {framesDecoded, local, remote}: decoded video frames and the selected candidate pair's types. */
  async stats() {
    const result = {
      framesDecoded: 0, local: null, remote: null, frameWidth: 0, frameHeight: 0, restarts: this.restarts,
      timeline: this.timeline.map(([event, ms]) => `${event}@${ms}`).join(' '),
      connection: this.pc ? this.pc.connectionState : 'new',
      iceUfrag: this.pc && this.pc.localDescription ? (/a=ice-ufrag:(\S+)/.exec(this.pc.localDescription.sdp) || [])[1] : null,
    };
    if (!this.pc) return result;
    const report = await this.pc.getStats();
    let pairId = null;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        result.framesDecoded = s.framesDecoded || 0;
        result.frameWidth = s.frameWidth || 0;
        result.frameHeight = s.frameHeight || 0;
      }
      if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    });
    if (!pairId) {
      report.forEach((s) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pairId = s.id;
      });
    }
    const pair = pairId && report.get(pairId);
    if (pair) {
      const local = report.get(pair.localCandidateId);
      const remote = report.get(pair.remoteCandidateId);
      result.local = local ? local.candidateType : null;
      result.remote = remote ? remote.candidateType : null;
      // how this browser reaches its TURN server when the local end is a relay (udp, tcp or tls)
      result.relayProtocol = local && local.relayProtocol ? local.relayProtocol : null;
      result.pair = local && remote ? `${local.candidateType} ${local.protocol} ${local.address}:${local.port}`
        + `${local.relayProtocol ? ` (to TURN over ${local.relayProtocol})` : ''} <-> ${remote.candidateType} ${remote.protocol} ${remote.address}:${remote.port}` : null;
    }
    return result;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.quality) this.quality.stop();
    if (this.mediaState) this.mediaState.stop();
    clearTimeout(this.connectTimer);
    clearTimeout(this.restartTimer);
    clearTimeout(this.giveUpTimer);
    for (const stream of [this.camera, this.screen]) if (stream) stream.getTracks().forEach((t) => t.stop());
    if (this.pc) this.pc.close();
    this.localVideo.srcObject = null;
    this.remoteVideo.srcObject = null;
    this.remoteAudio.srcObject = null;
  }
}
