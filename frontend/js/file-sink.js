// @ts-check
// Where an incoming file's verified pieces go. Pieces arrive in order, so the sinks only ever append.
//
// - MemorySink: a file up to a limit (files.js: the receiver's whole-file SHA-256 needs its bytes in memory at
//   the end anyway) is received into one buffer of its size: each piece is copied there once, straight from its
//   messages, checked there, and hashed whole from there; the finished Blob (which Chromium pages to disk) is
//   made from it. No disk write during the transfer, no reading back for the hash.
// - WorkerSink: the Origin Private File System through a synchronous access handle in a worker
//   (file-sink-worker.js; Chromium 102+, Firefox 111+, Safari 15.2+): one system call per piece. The bytes go to
//   disk as they come, so a 1 GiB file costs the page one piece of memory. The finished File is read back from
//   disk by the download link.
// - DiskSink: the same directory through a page's createWritable stream (where workers cannot open access
//   handles); each write goes through a Blob to the storage process, tens of ms per MiB on a busy machine.
// - BlobSink: everywhere else (Safari has no createWritable in a window; a profile may refuse storage). One Blob
//   per piece; Chromium pages Blob data out to disk when it grows, other browsers may keep it in memory.

const DIRECTORY = 'decwebrtc-incoming';

let directory = null;

async function incomingDirectory() {
  if (!directory) {
    directory = (async () => {
      const root = await navigator.storage.getDirectory();
      // Files of an earlier page load are never offered again: clear them.
      await root.removeEntry(DIRECTORY, { recursive: true }).catch(() => {});
      return root.getDirectoryHandle(DIRECTORY, { create: true });
    })();
    directory.catch(() => { directory = null; });
  }
  return directory;
}

/** A worker started while the user decides on an offer, so Accept does not wait for its script. */
let spareWorker = null;

function sinkWorker() {
  const worker = spareWorker || new Worker(new URL('./file-sink-worker.js', import.meta.url), { type: 'module' });
  spareWorker = null;
  return worker;
}

class WorkerSink {
  static async open(name) {
    const dir = await incomingDirectory();
    const sink = new WorkerSink(dir, name, sinkWorker());
    try {
      await sink.call({ op: 'open', directory: DIRECTORY, name });
    } catch (e) {
      sink.worker.terminate();
      throw e;
    }
    return sink;
  }

  /**
   * @param {FileSystemDirectoryHandle} dir
   * @param {string} name
   * @param {Worker} worker
   */
  constructor(dir, name, worker) {
    this.dir = dir;
    this.name = name;
    this.worker = worker;
    this.kind = 'disk-worker';
    this.length = 0;
    this.seq = 0;
    /** @type {Map<number, {resolve: () => void, reject: (e: Error) => void}>} */
    this.pending = new Map();
    worker.onmessage = (event) => {
      const waiting = this.pending.get(event.data.seq);
      this.pending.delete(event.data.seq);
      if (!waiting) return;
      if (event.data.error) waiting.reject(new Error(event.data.error));
      else waiting.resolve();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      for (const waiting of this.pending.values()) waiting.reject(new Error(event.message || 'disk worker failed'));
      this.pending.clear();
    };
  }

  /** @returns {Promise<void>} */
  call(message, transfer = []) {
    return new Promise((resolve, reject) => {
      this.seq += 1;
      this.pending.set(this.seq, { resolve, reject });
      this.worker.postMessage({ ...message, seq: this.seq }, transfer);
    });
  }

  /** Writes the bytes; `bytes` is unusable afterwards (its buffer moves to the worker). */
  async append(bytes) {
    const at = this.length;
    this.length += bytes.length;
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const buffer = whole ? bytes.buffer : bytes.slice().buffer;
    await this.call({ op: 'write', at, bytes: buffer }, [buffer]);
  }

  /** @returns {Promise<Blob>} the whole file, backed by disk */
  async finish() {
    await this.call({ op: 'close' });
    this.worker.terminate();
    const file = await (await this.dir.getFileHandle(this.name)).getFile();
    // Always octet-stream: a received HTML file must be saved, never rendered in this page's origin.
    return new Blob([file], { type: 'application/octet-stream' });
  }

  async discard() {
    await this.call({ op: 'discard' }).catch(() => {});
    this.worker.terminate();
    await this.dir.removeEntry(this.name).catch(() => {});
  }

  async remove() {
    await this.dir.removeEntry(this.name).catch(() => {});
  }
}

class DiskSink {
  static async open(name) {
    const dir = await incomingDirectory();
    const handle = await dir.getFileHandle(name, { create: true });
    const writable = await handle.createWritable({ keepExistingData: false });
    return new DiskSink(dir, name, handle, writable);
  }

  /**
   * @param {FileSystemDirectoryHandle} dir
   * @param {string} name
   * @param {FileSystemFileHandle} handle
   * @param {FileSystemWritableFileStream} writable
   */
  constructor(dir, name, handle, writable) {
    this.dir = dir;
    this.name = name;
    this.handle = handle;
    this.writable = writable;
    this.kind = 'disk';
    this.length = 0;
  }

  async append(bytes) {
    await this.writable.write({ type: 'write', position: this.length, data: bytes });
    this.length += bytes.length;
  }

  /** @returns {Promise<Blob>} the whole file, backed by disk */
  async finish() {
    await this.writable.close();
    const file = await this.handle.getFile();
    // Always octet-stream: a received HTML file must be saved, never rendered in this page's origin.
    return new Blob([file], { type: 'application/octet-stream' });
  }

  async discard() {
    await this.writable.abort().catch(() => {});
    await this.dir.removeEntry(this.name).catch(() => {});
  }

  /** After the user no longer needs the file (its object URL was revoked). */
  async remove() {
    await this.dir.removeEntry(this.name).catch(() => {});
  }
}

export class MemorySink {
  /** @param {number} size */
  constructor(size) {
    this.kind = 'memory';
    /** @type {Uint8Array<ArrayBuffer>|null} */
    this.bytes = new Uint8Array(new ArrayBuffer(size));
    this.length = 0;
  }

  /** Where the bytes at `at` go: the receiver copies a piece's messages straight there. */
  region(at, length) {
    if (!this.bytes) throw new Error('file already released');
    return this.bytes.subarray(at, at + length);
  }

  /** @param {Uint8Array} bytes  the next bytes, usually the region they were received into */
  async append(bytes) {
    if (!this.bytes) throw new Error('file already released');
    if (bytes.buffer !== this.bytes.buffer || bytes.byteOffset !== this.length) this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** @returns {Promise<ArrayBuffer>} SHA-256 of everything appended */
  async sha256() {
    if (!this.bytes) throw new Error('file already released');
    return crypto.subtle.digest('SHA-256', this.bytes.subarray(0, this.length));
  }

  /** @returns {Promise<Blob>} the whole file; the buffer is released */
  async finish() {
    if (!this.bytes) throw new Error('file already released');
    // Always octet-stream: a received HTML file must be saved, never rendered in this page's origin.
    const blob = new Blob([this.bytes.subarray(0, this.length)], { type: 'application/octet-stream' });
    this.bytes = null;
    return blob;
  }

  async discard() {
    this.bytes = null;
  }

  async remove() {
    this.bytes = null;
  }
}

class BlobSink {
  constructor() {
    this.kind = 'blob';
    this.parts = [];
    this.length = 0;
  }

  async append(bytes) {
    this.parts.push(new Blob([bytes]));
    this.length += bytes.length;
  }

  async finish() {
    const blob = new Blob(this.parts, { type: 'application/octet-stream' });
    this.parts = [];
    return blob;
  }

  async discard() {
    this.parts = [];
  }

  async remove() {}
}

/**
 * Gets the disk ready (the storage directory, cleared of an earlier page load's files) while the user decides on
 * an offer, so Accept does not wait for it. Nothing of the offered file is stored.
 */
export function prepareSinks() {
  if (typeof navigator !== 'undefined' && navigator.storage && navigator.storage.getDirectory) {
    incomingDirectory().catch(() => {});
    if (!spareWorker && typeof Worker !== 'undefined') {
      try {
        spareWorker = new Worker(new URL('./file-sink-worker.js', import.meta.url), { type: 'module' });
      } catch {
        spareWorker = null;
      }
    }
  }
}

/** A sink for one incoming file: on disk where the browser allows it, else in Blobs. */
export async function openSink(name, preferDisk = true, useWorker = true) {
  if (preferDisk && typeof navigator !== 'undefined' && navigator.storage && navigator.storage.getDirectory) {
    if (useWorker && typeof Worker !== 'undefined') {
      try {
        return await WorkerSink.open(name);
      } catch (e) {
        console.warn('no access handle for incoming files, writing them through a stream', e);
      }
    }
    try {
      return await DiskSink.open(name);
    } catch (e) {
      console.warn('no disk storage for incoming files, keeping them in memory', e);
    }
  }
  return new BlobSink();
}
