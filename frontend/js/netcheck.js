// @ts-check
// The network check: before a call, without camera or microphone, what can this browser reach? Each STUN and
// TURN URL is tried on its own (an RTCPeerConnection with one ICE server, relay-only for TURN, candidates
// gathered until done or a timeout); two STUN servers that see different ports for the same address mean a
// symmetric NAT; a short DataChannel transfer through a relay gives its round trip and an uplink estimate.
// `verdict` and `natBehaviour` are pure and unit-tested; `checkNetwork` drives the browser.

export const VERDICTS = Object.freeze({
  direct: 'direct calls likely',
  relay: 'calls will go through a relay',
  udpBlocked: 'UDP blocked: relay over TCP/TLS',
  noRelay: 'symmetric NAT and no relay reachable: calls will likely fail',
  nothing: 'no STUN or TURN server reachable: calls will likely fail',
});

/**
 * @typedef {object} Candidate
 * @property {string} type        host | srflx | prflx | relay
 * @property {string} protocol    udp | tcp
 * @property {string|null} address
 * @property {number|null} port
 * @property {string|null} relayProtocol  for relay candidates: how the browser reaches the TURN server
 */

/**
 * @typedef {object} Probe
 * @property {string} url
 * @property {'stun'|'turn-udp'|'turn-tcp'|'turn-tls'} kind
 * @property {boolean} ok
 * @property {Candidate[]} candidates
 * @property {number} ms  how long gathering took
 */

/** At most this many STUN adverts of other nodes are asked (each one learns this browser's address). */
export const MAX_ADVERTS = 2;

/**
 * STUN URLs from other nodes' adverts in the directory, nearest first: the page's own ICE list is kept short
 * for calls, but telling a symmetric NAT needs two servers outside it.
 * @param {Array<{stun?: unknown, hops?: unknown}>} users
 */
export function advertUrls(users) {
  return (users || [])
    .filter((u) => u && typeof u.stun === 'string' && /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253}):\d{1,5}$/.test(u.stun))
    .sort((a, b) => Number(a.hops) - Number(b.hops))
    .slice(0, MAX_ADVERTS)
    .map((u) => ({ urls: `stun:${u.stun}` }));
}

/**
 * Splits the page's iceServers into single-URL servers to try one by one. A TURN server listed with UDP only
 * is tried over TCP too (a TURN port takes both; the page's list may have been cut short).
 * @param {Array<{urls: string|string[], username?: string, credential?: string}>} iceServers
 * @returns {Array<{kind: Probe['kind'], url: string, server: RTCIceServer}>}
 */
export function probesFor(iceServers) {
  const out = [];
  const seen = new Set();
  for (const entry of iceServers || []) {
    if (!entry) continue;
    const urls = [].concat(/** @type {any} */ (entry.urls)).filter((u) => typeof u === 'string');
    for (const url of urls) {
      const tcp = url.replace(/\?transport=udp$/i, '?transport=tcp');
      if (kindOf(url) === 'turn-udp' && tcp !== url && !urls.includes(tcp)) urls.push(tcp);
    }
    for (const url of urls) {
      if (typeof url !== 'string' || seen.has(url)) continue;
      seen.add(url);
      const kind = kindOf(url);
      if (!kind) continue;
      /** @type {RTCIceServer} */
      const server = { urls: url };
      if (kind !== 'stun') Object.assign(server, { username: entry.username, credential: entry.credential });
      out.push({ kind, url, server });
    }
  }
  return out;
}

/** @param {string} url @returns {Probe['kind']|null} */
export function kindOf(url) {
  if (/^stuns?:/i.test(url)) return 'stun';
  if (/^turns:/i.test(url)) return 'turn-tls';
  if (/^turn:/i.test(url)) return /[?&]transport=tcp\b/i.test(url) ? 'turn-tcp' : 'turn-udp';
  return null;
}

/**
 * Mapping behaviour from the server-reflexive candidates of one socket asked through several STUN servers:
 * the same public address seen with different ports means the NAT maps per destination (symmetric).
 * @param {Candidate[]} candidates
 * @returns {'none-or-unknown'|'endpoint-independent'|'symmetric'}
 */
export function natBehaviour(candidates) {
  /** @type {Map<string, Set<number>>} */
  const portsByAddress = new Map();
  for (const c of candidates) {
    if (c.type !== 'srflx' || c.protocol !== 'udp' || !c.address || !c.port) continue;
    if (!portsByAddress.has(c.address)) portsByAddress.set(c.address, new Set());
    /** @type {Set<number>} */ (portsByAddress.get(c.address)).add(c.port);
  }
  if (portsByAddress.size === 0) return 'none-or-unknown';
  for (const ports of portsByAddress.values()) if (ports.size > 1) return 'symmetric';
  return 'endpoint-independent';
}

/**
 * The plain verdict.
 * @param {{probes: Probe[], nat: ReturnType<typeof natBehaviour>}} r
 * @returns {{key: keyof typeof VERDICTS, text: string}}
 */
export function verdict({ probes, nat }) {
  const ok = (/** @type {Probe['kind']} */ kind) => probes.some((p) => p.kind === kind && p.ok);
  const stunUdp = ok('stun');
  const turnUdp = ok('turn-udp');
  const turnStream = ok('turn-tcp') || ok('turn-tls');
  /** @type {keyof typeof VERDICTS} */
  let key;
  if (!stunUdp && !turnUdp) key = turnStream ? 'udpBlocked' : 'nothing';
  else if (nat === 'symmetric') key = turnUdp || turnStream ? 'relay' : 'noRelay';
  else key = 'direct';
  return { key, text: VERDICTS[key] };
}

// ---- the browser part ---------------------------------------------------------------------------------------

/**
 * Gathers this page's candidates for one configuration.
 * @param {RTCConfiguration} config
 * @param {number} timeoutMs
 * @returns {Promise<{candidates: Candidate[], ms: number}>}
 */
export async function gather(config, timeoutMs) {
  const started = performance.now();
  const pc = new RTCPeerConnection(config);
  /** @type {Candidate[]} */
  const candidates = [];
  try {
    pc.createDataChannel('probe');
    const done = new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      pc.onicecandidate = (event) => {
        if (!event.candidate) {
          clearTimeout(timer);
          resolve(undefined);
          return;
        }
        const c = /** @type {any} */ (event.candidate);
        if (!c.candidate) return;
        candidates.push({
          type: c.type || (/ typ (\w+)/.exec(c.candidate) || [])[1] || '',
          protocol: (c.protocol || (/^candidate:\S+ \d+ (\w+)/.exec(c.candidate) || [])[1] || '').toLowerCase(),
          address: c.address || null,
          port: c.port || null,
          relayProtocol: c.relayProtocol || null,
        });
      };
    });
    await pc.setLocalDescription(await pc.createOffer());
    await done;
  } finally {
    pc.close();
  }
  return { candidates, ms: Math.round(performance.now() - started) };
}

/**
 * Two local peer connections joined through one TURN server (relay only): its round trip, and how fast up to
 * 1 MiB (at most 1 s) of DataChannel data goes through it (both legs cross this browser's link, so it is a rough
 * uplink figure).
 * @param {RTCIceServer} server
 * @param {number} timeoutMs
 * @returns {Promise<{rttMs: number|null, uplinkKbps: number|null}>}
 */
export async function throughRelay(server, timeoutMs) {
  const config = { iceServers: [server], iceTransportPolicy: /** @type {RTCIceTransportPolicy} */ ('relay') };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  const timers = [];
  try {
    a.onicecandidate = (e) => { if (e.candidate) b.addIceCandidate(e.candidate).catch(() => {}); };
    b.onicecandidate = (e) => { if (e.candidate) a.addIceCandidate(e.candidate).catch(() => {}); };
    const send = a.createDataChannel('measure', { ordered: false, maxRetransmits: 0 });
    const opened = new Promise((resolve, reject) => {
      send.onopen = resolve;
      timers.push(setTimeout(() => reject(new Error('relay did not connect')), timeoutMs));
    });
    let received = 0;
    let firstAt = 0;
    let lastAt = 0;
    b.ondatachannel = (e) => {
      e.channel.onmessage = (m) => {
        lastAt = performance.now();
        if (!firstAt) firstAt = lastAt;
        else received += m.data.byteLength || m.data.size || 0;
      };
    };
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(/** @type {RTCSessionDescriptionInit} */ (a.localDescription));
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(/** @type {RTCSessionDescriptionInit} */ (b.localDescription));
    await opened;
    const chunk = new ArrayBuffer(16 * 1024);
    const until = performance.now() + 1000;
    let budget = 64; // 1 MiB at most: a check at page load must not load the relay (or this machine) for long
    send.bufferedAmountLowThreshold = 256 * 1024;
    while (performance.now() < until && budget-- > 0) {
      if (send.bufferedAmount > 1024 * 1024) {
        await new Promise((r) => { send.onbufferedamountlow = r; timers.push(setTimeout(r, 200)); });
        continue;
      }
      send.send(chunk);
    }
    await new Promise((r) => timers.push(setTimeout(r, 300)));
    const seconds = (lastAt - firstAt) / 1000;
    const uplinkKbps = seconds > 0.01 ? Math.round((8 * received) / seconds / 1000) : null;
    let rttMs = null;
    const report = await a.getStats();
    report.forEach((s) => {
      if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') {
        rttMs = Math.round(s.currentRoundTripTime * 1000);
      }
    });
    return { rttMs, uplinkKbps };
  } finally {
    timers.forEach(clearTimeout);
    a.close();
    b.close();
  }
}

/**
 * The whole check.
 * @param {Array<{urls: string|string[], username?: string, credential?: string}>} iceServers
 * @param {{timeoutMs?: number, users?: Array<{stun?: unknown, hops?: unknown}>}} [options] users: the directory
 */
export async function checkNetwork(iceServers, { timeoutMs = 6000, users = [] } = {}) {
  const started = performance.now();
  const tries = probesFor([...(iceServers || []), ...advertUrls(users)]);
  const probes = await Promise.all(tries.map(async ({ kind, url, server }) => {
    const relayOnly = kind !== 'stun';
    const { candidates, ms } = await gather({ iceServers: [server], iceTransportPolicy: relayOnly ? 'relay' : 'all' }, timeoutMs)
      .catch(() => ({ candidates: /** @type {Candidate[]} */ ([]), ms: 0 }));
    const ok = candidates.some((c) => c.type === (relayOnly ? 'relay' : 'srflx'));
    return /** @type {Probe} */ ({ kind, url, ok, candidates, ms });
  }));
  // One socket asking every STUN server at once: the NAT's mapping per destination.
  const stunServers = tries.filter((t) => t.kind === 'stun').map((t) => t.server);
  const natCandidates = stunServers.length > 0
    ? (await gather({ iceServers: stunServers }, timeoutMs).catch(() => ({ candidates: [] }))).candidates : [];
  const nat = natBehaviour(natCandidates);
  const result = verdict({ probes, nat });
  const relayTry = ['turn-udp', 'turn-tcp', 'turn-tls'].map((k) => probes.find((p) => p.kind === k && p.ok)).find(Boolean);
  let relay = { rttMs: /** @type {number|null} */ (null), uplinkKbps: /** @type {number|null} */ (null), via: '' };
  if (relayTry) {
    const server = /** @type {{server: RTCIceServer}} */ (tries.find((t) => t.url === relayTry.url)).server;
    relay = { ...(await throughRelay(server, timeoutMs).catch(() => ({ rttMs: null, uplinkKbps: null }))), via: relayTry.url };
  }
  return { ...result, probes, nat, relay, ms: Math.round(performance.now() - started) };
}

/**
 * Lines for "details".
 * @param {Awaited<ReturnType<typeof checkNetwork>>} r
 */
export function details(r) {
  const lines = [];
  const names = { stun: 'STUN over UDP', 'turn-udp': 'TURN over UDP', 'turn-tcp': 'TURN over TCP', 'turn-tls': 'TURN over TLS' };
  for (const p of r.probes) {
    const found = p.candidates.filter((c) => c.type === (p.kind === 'stun' ? 'srflx' : 'relay'));
    const seen = found.map((c) => `${c.address}:${c.port}`).join(', ');
    lines.push(`${names[p.kind]} ${p.url.replace(/^\w+:/, '').replace(/\?.*$/, '')}: ${p.ok ? `ok (${seen})` : 'not reached'} in ${p.ms} ms`);
  }
  lines.push(`NAT: ${r.nat === 'symmetric' ? 'symmetric (a new port per destination: direct calls will not work)'
    : r.nat === 'endpoint-independent' ? 'same address and port towards every server' : 'none seen'}`);
  if (r.relay.via) {
    lines.push(`relay round trip: ${r.relay.rttMs === null ? 'n/a' : `${r.relay.rttMs} ms`} (via ${r.relay.via})`);
    lines.push(`uplink estimate through the relay: ${r.relay.uplinkKbps === null ? 'n/a' : `${Math.round(r.relay.uplinkKbps)} kbit/s`}`);
  }
  lines.push(`checked in ${r.ms} ms`);
  return lines;
}
