// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advertUrls, kindOf, natBehaviour, probesFor, verdict, VERDICTS } from '../js/netcheck.js';

const srflx = (address, port) => ({ type: 'srflx', protocol: 'udp', address, port, relayProtocol: null });
const probe = (kind, ok) => ({ kind, ok, url: `${kind}:x`, candidates: [], ms: 1 });

test('each URL of the page\'s servers is tried on its own, TURN with its credentials, STUN without', () => {
  const probes = probesFor([
    { urls: ['stun:198.18.1.1:3478'] },
    { urls: ['turn:198.18.1.1:3478?transport=udp', 'turn:198.18.1.1:3478?transport=tcp', 'turns:198.18.1.1:5349?transport=tcp'],
      username: '1:alice', credential: 'pw' },
    { urls: 'stun:198.18.1.2:3478' },
    { urls: ['stun:198.18.1.1:3478', 'foo:bar', 42] },
  ]);
  assert.deepEqual(probes.map((p) => p.kind), ['stun', 'turn-udp', 'turn-tcp', 'turn-tls', 'stun']);
  assert.deepEqual(probes[2].server, { urls: 'turn:198.18.1.1:3478?transport=tcp', username: '1:alice', credential: 'pw' });
  assert.deepEqual(probes[0].server, { urls: 'stun:198.18.1.1:3478' });
  assert.equal(kindOf('turn:h:1'), 'turn-udp');
  assert.equal(kindOf('http://x'), null);
});

test('NAT: one public address with two ports is symmetric; a private address next to a public one is not', () => {
  assert.equal(natBehaviour([srflx('198.18.210.21', 40000), srflx('198.18.210.21', 51234)]), 'symmetric');
  // the own node inside the LAN sees the private address; two public servers agree on the public mapping
  assert.equal(natBehaviour([srflx('198.18.211.10', 40000), srflx('198.18.210.21', 40000), srflx('198.18.210.21', 40000)]),
    'endpoint-independent');
  assert.equal(natBehaviour([{ type: 'host', protocol: 'udp', address: '198.18.1.5', port: 1, relayProtocol: null }]), 'none-or-unknown');
  assert.equal(natBehaviour([{ ...srflx('198.18.210.21', 1), protocol: 'tcp' }, srflx('198.18.210.21', 2)]), 'endpoint-independent');
});

test('verdicts', () => {
  const stun = probe('stun', true);
  const turnUdp = probe('turn-udp', true);
  assert.equal(verdict({ probes: [stun, turnUdp], nat: 'endpoint-independent' }).text, VERDICTS.direct);
  assert.equal(verdict({ probes: [stun], nat: 'none-or-unknown' }).text, 'direct calls likely');
  assert.equal(verdict({ probes: [stun, turnUdp], nat: 'symmetric' }).text, 'calls will go through a relay');
  assert.equal(verdict({ probes: [stun, probe('turn-udp', false)], nat: 'symmetric' }).key, 'noRelay');
  assert.equal(verdict({ probes: [probe('stun', false), probe('turn-udp', false), probe('turn-tcp', true), probe('turn-tls', false)],
    nat: 'none-or-unknown' }).text, 'UDP blocked: relay over TCP/TLS');
  assert.equal(verdict({ probes: [probe('stun', false), probe('turn-udp', false), probe('turn-tls', true)], nat: 'none-or-unknown' }).key,
    'udpBlocked');
  assert.equal(verdict({ probes: [probe('stun', false), probe('turn-tcp', false)], nat: 'none-or-unknown' }).key, 'nothing');
  assert.equal(verdict({ probes: [], nat: 'none-or-unknown' }).key, 'nothing');
});

test('a TURN server listed with UDP only is tried over TCP as well', () => {
  const probes = probesFor([{ urls: ['turn:198.18.1.1:3478?transport=udp'], username: 'u', credential: 'p' }]);
  assert.deepEqual(probes.map((p) => p.url), ['turn:198.18.1.1:3478?transport=udp', 'turn:198.18.1.1:3478?transport=tcp']);
  assert.equal(probes[1].server.username, 'u');
});

test('other nodes\' STUN adverts: nearest two, and nothing that is not host:port', () => {
  const urls = advertUrls([
    { name: 'far', stun: '198.18.9.9:3478', hops: 4 },
    { name: 'r1', stun: '198.18.210.11:3478', hops: 1 },
    { name: 'evil', stun: 'x?transport=tcp&a=b:1', hops: 0 },
    { name: 'evil2', stun: 'turn:foo:bar', hops: 0 },
    { name: 'none', hops: 0 },
    { name: 'r2', stun: '198.18.210.12:3478', hops: 2 },
    { name: 'v6', stun: '[2001:db8::1]:3478', hops: 3 },
  ]);
  assert.deepEqual(urls, [{ urls: 'stun:198.18.210.11:3478' }, { urls: 'stun:198.18.210.12:3478' }]);
  assert.deepEqual(advertUrls([{ stun: '[2001:db8::1]:3478', hops: 1 }]), [{ urls: 'stun:[2001:db8::1]:3478' }]);
});
