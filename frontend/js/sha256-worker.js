// @ts-check
// The whole-file SHA-256 off the page's thread: SubtleCrypto cannot hash a stream, and this incremental hash costs
// a CPU core ~12 ms per MiB, which on the page's thread would compete with the call and the channel's messages.
// Messages in: an ArrayBuffer (more bytes) or 'digest'; out: the hex digest.

import { Sha256 } from './sha256.js';

const hash = new Sha256();
self.onmessage = (event) => {
  if (event.data === 'digest') self.postMessage(hash.hex());
  else hash.update(new Uint8Array(event.data));
};
