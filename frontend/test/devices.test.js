// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constraintsFor, deviceOptions, loadChoice, micLevel, saveChoice, STORE_KEY } from '../js/devices.js';

const memory = () => {
  const map = new Map();
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)), map };
};

test('the choice is kept and read back; nothing stored means the default devices', () => {
  const storage = memory();
  assert.deepEqual(loadChoice(storage), { camera: '', mic: '', speaker: '' });
  saveChoice(storage, { camera: 'cam-2', mic: 'mic-1', speaker: 'out-3' });
  assert.deepEqual(loadChoice(storage), { camera: 'cam-2', mic: 'mic-1', speaker: 'out-3' });
});

test('a malformed stored choice reads as the default devices', () => {
  for (const bad of ['not json', '[1,2]', '42', JSON.stringify({ camera: 7, mic: { x: 1 }, speaker: 'x'.repeat(300) })]) {
    const storage = memory();
    storage.map.set(STORE_KEY, bad);
    assert.deepEqual(loadChoice(storage), { camera: '', mic: '', speaker: '' }, bad.slice(0, 30));
  }
});

test('the chosen devices go into getUserMedia as ideal, keeping the call\'s own constraints', () => {
  assert.deepEqual(constraintsFor({ camera: '', mic: '', speaker: '' }), { audio: true, video: true });
  assert.deepEqual(constraintsFor({ camera: 'cam-2', mic: 'mic-1', speaker: '' }),
    { audio: { deviceId: { ideal: 'mic-1' } }, video: { deviceId: { ideal: 'cam-2' } } });
  const small = { audio: true, video: { width: { ideal: 320 }, frameRate: { ideal: 15 } } };
  assert.deepEqual(constraintsFor({ camera: 'cam-2', mic: '', speaker: '' }, small),
    { audio: true, video: { width: { ideal: 320 }, frameRate: { ideal: 15 }, deviceId: { ideal: 'cam-2' } } });
  assert.deepEqual(constraintsFor({ camera: 'cam-2', mic: 'm', speaker: '' }, { audio: true, video: false }),
    { audio: { deviceId: { ideal: 'm' } }, video: false }, 'a kind the call does not want stays off');
});

test('options list each device of the kind once, with a name even before labels are revealed', () => {
  const devices = [
    { deviceId: 'default', kind: 'audioinput', label: 'Default' },
    { deviceId: 'a1', kind: 'audioinput', label: 'Fake Audio Input 1' },
    { deviceId: 'a1', kind: 'audioinput', label: 'Fake Audio Input 1' },
    { deviceId: 'v1', kind: 'videoinput', label: '' },
    { deviceId: 'o1', kind: 'audiooutput', label: 'Speakers' },
  ];
  assert.deepEqual(deviceOptions(devices, 'mic'), [{ value: 'default', label: 'Default' }, { value: 'a1', label: 'Fake Audio Input 1' }]);
  assert.deepEqual(deviceOptions(devices, 'camera'), [{ value: '', label: 'Default camera' }, { value: 'v1', label: 'Camera 1' }]);
  assert.deepEqual(deviceOptions(devices, 'speaker'), [{ value: '', label: 'Default speaker' }, { value: 'o1', label: 'Speakers' }]);
  // No permission yet: one entry per kind with an empty id.
  assert.deepEqual(deviceOptions([{ deviceId: '', kind: 'videoinput', label: '' }], 'camera'), [{ value: '', label: 'Default camera' }]);
  assert.deepEqual(deviceOptions([], 'speaker'), [{ value: '', label: 'Default speaker' }]);
});

test('the mic level is 0 for silence and grows with loudness, capped at 1', () => {
  assert.equal(micLevel([]), 0);
  assert.equal(micLevel(new Float32Array(512)), 0);
  const quiet = micLevel(Float32Array.from({ length: 512 }, (_, i) => 0.02 * Math.sin(i / 5)));
  const loud = micLevel(Float32Array.from({ length: 512 }, (_, i) => 0.2 * Math.sin(i / 5)));
  assert.ok(quiet > 0 && quiet < loud, `${quiet} < ${loud}`);
  assert.equal(micLevel(Float32Array.from({ length: 512 }, () => 1)), 1);
});

test('the chosen device can be asked for as exact', () => {
  assert.deepEqual(constraintsFor({ camera: 'cam-2', mic: '', speaker: '' }, undefined, 'exact'),
    { audio: true, video: { deviceId: { exact: 'cam-2' } } });
});
