// @ts-check
// Where an incoming file's verified pieces go. Pieces arrive in order, so both sinks only ever append.
//
// - DiskSink: the Origin Private File System (navigator.storage.getDirectory + createWritable). Chromium (since
//   86) and Firefox (since 111) have it in a window; the bytes go to disk as they come, so a 1 GiB file costs the
//   page one piece of memory. The finished File is read back from disk by the download link.
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
  }
}

/** A sink for one incoming file: on disk where the browser allows it, else in Blobs. */
export async function openSink(name, preferDisk = true) {
  if (preferDisk && typeof navigator !== 'undefined' && navigator.storage && navigator.storage.getDirectory) {
    try {
      return await DiskSink.open(name);
    } catch (e) {
      console.warn('no disk storage for incoming files, keeping them in memory', e);
    }
  }
  return new BlobSink();
}
