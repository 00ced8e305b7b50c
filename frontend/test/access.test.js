import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessToken, TOKEN_KEY } from '../js/access.js';

function fakes(hash, stored) {
  const data = new Map(stored ? [[TOKEN_KEY, stored]] : []);
  const storage = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v) };
  const replaced = [];
  const history = { replaceState: (_s, _t, url) => replaced.push(url) };
  return { loc: { hash, pathname: '/', search: '' }, storage, history, data, replaced };
}

test('the key in the link is kept for the session and taken out of the address bar', () => {
  const f = fakes('#k=AbCdEfGhIjKlMnOpQrStUv_-12', null);
  assert.equal(accessToken(f.loc, f.storage, f.history), 'AbCdEfGhIjKlMnOpQrStUv_-12');
  assert.equal(f.data.get(TOKEN_KEY), 'AbCdEfGhIjKlMnOpQrStUv_-12');
  assert.deepEqual(f.replaced, ['/']);
});

test('a reload without the fragment uses the key kept earlier; nothing kept means no key', () => {
  const kept = fakes('', 'kept-key-kept-key-1');
  assert.equal(accessToken(kept.loc, kept.storage, kept.history), 'kept-key-kept-key-1');
  const none = fakes('', null);
  assert.equal(accessToken(none.loc, none.storage, none.history), '');
});

test('junk in the fragment is not taken for a key', () => {
  for (const hash of ['#k=short', '#k=<script>alert(1)</script>xxxxxxxxxx', '#x=AbCdEfGhIjKlMnOpQrStUv']) {
    const f = fakes(hash, null);
    assert.equal(accessToken(f.loc, f.storage, f.history), '', hash);
    assert.deepEqual(f.replaced, []);
  }
});
