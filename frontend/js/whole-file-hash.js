// @ts-check
// SHA-256 of a file fed in order, piece by piece, computed in a worker (sha256-worker.js) so the page's thread
// stays free; in the page itself where workers are unavailable.

import { Sha256 } from './sha256.js';

export class WholeFileHash {
  constructor() {
    this.worker = null;
    this.inline = null;
  }

  /** The worker starts with the first bytes: a file that is only offered costs no thread. */
  start() {
    if (this.worker || this.inline) return;
    try {
      this.worker = new Worker(new URL('./sha256-worker.js', import.meta.url), { type: 'module' });
    } catch {
      this.inline = new Sha256();
    }
  }

  /** Adds bytes; the caller must not use `bytes` afterwards (its buffer may move to the worker). */
  update(bytes) {
    this.start();
    if (this.inline) {
      this.inline.update(bytes);
      return;
    }
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const buffer = whole ? bytes.buffer : bytes.slice().buffer;
    this.worker.postMessage(buffer, [buffer]);
  }

  /** @returns {Promise<string>} 64 lowercase hex digits; the hash cannot be fed afterwards */
  digest() {
    this.start();
    if (this.inline) return Promise.resolve(this.inline.hex());
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      worker.onmessage = (event) => {
        worker.terminate();
        resolve(event.data);
      };
      worker.onerror = (event) => {
        worker.terminate();
        reject(new Error(event.message || 'hash worker failed'));
      };
      worker.postMessage('digest');
    });
  }

  /** Drops the hash of an abandoned transfer. */
  close() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.inline = null;
  }
}
