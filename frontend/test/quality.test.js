// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, describe, LinkProbe, readReport, sample } from '../js/quality.js';

/** A getStats report as Chromium gives it, reduced to the fields quality.js reads. */
function report({ at, bytesIn = 0, packetsIn = 0, lost = 0, bytesOut = 0, frames = 0, rtt = 0.04, fractionLost = 0, fps = 30 }) {
  return readReport([
    { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: rtt, availableOutgoingBitrate: 900_000 },
    { id: 'CPx', type: 'candidate-pair', state: 'failed', nominated: false, currentRoundTripTime: 9 },
    { id: 'IV', type: 'inbound-rtp', kind: 'video', bytesReceived: bytesIn, packetsReceived: packetsIn, packetsLost: lost, framesDecoded: frames, framesPerSecond: fps, frameWidth: 640, frameHeight: 480 },
    { id: 'IA', type: 'inbound-rtp', kind: 'audio', bytesReceived: 0, packetsReceived: 0, packetsLost: 0 },
    { id: 'OV', type: 'outbound-rtp', kind: 'video', bytesSent: bytesOut },
    { id: 'RV', type: 'remote-inbound-rtp', kind: 'video', fractionLost },
  ], at);
}

test('a sample takes rates and loss from the difference of two reports and RTT from the selected pair', () => {
  const a = report({ at: 0, bytesIn: 0, packetsIn: 0, lost: 0, bytesOut: 0 });
  const b = report({ at: 1000, bytesIn: 125_000, packetsIn: 950, lost: 50, bytesOut: 62_500, rtt: 0.12 });
  const s = sample(a, b);
  assert.equal(s.inKbps, 1000);
  assert.equal(s.outKbps, 500);
  assert.equal(s.lossPct, 5);
  assert.equal(s.rttMs, 120); // the selected pair's, not the failed one's 9 s
  assert.equal(s.availableOutKbps, 900);
  assert.deepEqual([s.fps, s.width, s.height], [30, 640, 480]);
});

test('the first report gives no rates, and the remote side\'s loss of our packets counts too', () => {
  const s = sample(null, report({ at: 0, bytesIn: 5000, packetsIn: 10, fractionLost: 0.2 }));
  assert.equal(s.inKbps, 0);
  const t = sample(report({ at: 0, bytesOut: 0 }), report({ at: 1000, bytesOut: 1000, fractionLost: 0.2 }));
  assert.equal(t.lossPct, 20);
});

test('a stale loss report about our packets is ignored while we send nothing (media paused by the ladder)', () => {
  const paused = sample(report({ at: 0, bytesOut: 5000, fractionLost: 0.5 }), report({ at: 1000, bytesOut: 5000, fractionLost: 0.5 }));
  assert.equal(paused.lossPct, null);
  const sending = sample(report({ at: 0, bytesOut: 5000, fractionLost: 0.5 }), report({ at: 1000, bytesOut: 9000, fractionLost: 0.5 }));
  assert.equal(sending.lossPct, 50);
});

test('counters that go backwards (a new stream after renegotiation) never give negative rates', () => {
  const s = sample(report({ at: 0, bytesIn: 9e6, packetsIn: 9000 }), report({ at: 1000, bytesIn: 1000, packetsIn: 10 }));
  assert.equal(s.inKbps, 0);
  assert.ok(s.lossPct === 0 || s.lossPct === null);
});

test('classification: good, fair, poor at the stated limits, with reasons', () => {
  assert.deepEqual(classify({ rttMs: 40, lossPct: 0, fps: 30 }, { videoExpected: true }), { level: 'good', reasons: [] });
  assert.equal(classify({ rttMs: 300, lossPct: 0 }).level, 'fair');
  assert.equal(classify({ rttMs: 40, lossPct: 4 }).level, 'fair');
  assert.equal(classify({ rttMs: 40, lossPct: 0, fps: 5 }, { videoExpected: true }).level, 'fair');
  assert.equal(classify({ rttMs: 40, lossPct: 0, fps: 5 }, { videoExpected: false }).level, 'good', 'paused video is not a fault');
  const poor = classify({ rttMs: 700, lossPct: 25 });
  assert.equal(poor.level, 'poor');
  assert.ok(poor.reasons.some((r) => r.includes('700 ms')));
  assert.ok(poor.reasons.some((r) => r.includes('25% packets lost')));
  assert.equal(classify({ rttMs: null, lossPct: null }).level, 'good', 'no figures yet is not a bad link');
});

test('describe gives a line per figure for the details', () => {
  const lines = describe({ rttMs: 33.4, lossPct: 1.25, inKbps: 812.2, outKbps: 400, fps: 29.6, width: 640, height: 480 });
  assert.deepEqual(lines, ['round trip: 33 ms', 'loss: 1.3 %', 'bitrate: in 812 kbit/s, out 400 kbit/s', 'video: 640×480 at 30 frames/s']);
  assert.equal(describe({})[3], 'video: none received');
});

test('the link probe counts unanswered pings as lost only after their timeout, and ignores replays', () => {
  const probe = new LinkProbe({ timeoutMs: 2000, windowMs: 4000 });
  const ids = [];
  for (let t = 0; t < 4000; t += 500) ids.push(probe.ping(t).id);
  // every other ping answered after 100 ms
  ids.forEach((id, i) => { if (i % 2 === 0) probe.pong(id, i * 500 + 100); });
  probe.pong(ids[0], 3900); // a replayed pong changes nothing
  probe.pong(999, 3900); // nor does one for a ping never sent
  const m = probe.measure(6000);
  assert.equal(m.lossPct, 50);
  assert.equal(m.rttMs, 100);
  // pings still within their timeout are not yet lost
  const fresh = new LinkProbe();
  for (let t = 0; t < 1500; t += 500) fresh.ping(t);
  assert.deepEqual(fresh.measure(1600), { lossPct: null, rttMs: null });
});

test('after the link recovers, old losses leave the window', () => {
  const probe = new LinkProbe({ timeoutMs: 2000, windowMs: 4000 });
  for (let t = 0; t < 10_000; t += 500) probe.ping(t); // all lost
  for (let t = 10_000; t < 20_000; t += 500) probe.pong(probe.ping(t).id, t + 30);
  assert.equal(probe.measure(20_000).lossPct, 0);
  assert.ok(probe.pings.length <= 26, 'old pings are dropped, memory stays bounded');
});
