// @ts-check
// File transfer over the call's "files" DataChannel: a JSON metadata message {kind:"meta", name, size, type,
// sha256}, then the bytes as binary messages of at most 16 KiB. The sender reads the File slice by slice and
// waits on bufferedAmountLowThreshold, so a 1 GiB file never sits in its memory; the receiver hashes as bytes
// arrive and only offers the file when the SHA-256 matches.
import { FILE_MESSAGES } from './protocol.js';
import { Sha256, sha256Blob } from './sha256.js';

export const CHUNK_BYTES = 16 * 1024;
const READ_BYTES = 2 * 1024 * 1024;
// Chromium closes a DataChannel whose send buffer passes 16 MiB; stay well below, but keep SCTP fed.
const HIGH_WATER = 8 * 1024 * 1024;
const LOW_WATER = 2 * 1024 * 1024;
const BLOB_FLUSH_BYTES = 8 * 1024 * 1024;
export const MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024;

function row(list, label) {
  const item = document.createElement('li');
  const name = document.createElement('span');
  name.className = 'file-name';
  name.textContent = label;
  const progress = document.createElement('progress');
  progress.dataset.testid = 'file-progress';
  progress.max = 1;
  progress.value = 0;
  const status = document.createElement('span');
  status.className = 'file-status';
  item.append(name, progress, status);
  list.append(item);
  return { item, progress, status };
}

// A rate only means something once a transfer lasts a while.
function rateText(bytes, seconds) {
  return bytes < 1024 * 1024 ? '' : `, ${(bytes / 1024 / 1024 / Math.max(seconds, 0.001)).toFixed(1)} MiB/s`;
}

function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export class FileTransfer {
  constructor(list, notify) {
    this.list = list;
    this.notify = notify;
    this.channel = null;
    this.outgoing = [];
    this.sending = false;
    this.incoming = null;
  }

  attach(channel) {
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER;
    // Listeners check the channel: a previous call's channel may still fire while the next call runs.
    channel.addEventListener('open', () => { if (this.channel === channel) this.pump(); });
    channel.addEventListener('message', (event) => { if (this.channel === channel) this.receive(event.data); });
    channel.addEventListener('close', () => { if (this.channel === channel) this.abortIncoming(); });
    this.pump();
  }

  detach() {
    this.channel = null;
    this.abortIncoming();
    for (const job of this.outgoing) job.ui.status.textContent = 'not sent: call ended';
    this.outgoing = [];
  }

  /** Queues files; they go one after the other once the channel is open. */
  send(files) {
    for (const file of files) {
      this.outgoing.push({ file, ui: row(this.list, `↑ ${file.name} (${sizeText(file.size)})`) });
    }
    this.pump();
  }

  async pump() {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.outgoing.length > 0 && this.channel && this.channel.readyState === 'open') {
        const job = this.outgoing.shift();
        try {
          await this.sendOne(job);
        } catch (e) {
          job.ui.status.textContent = `failed: ${e.message}`;
          this.notify(`sending ${job.file.name} failed: ${e.message}`);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  async sendOne({ file, ui }) {
    const channel = this.channel;
    ui.status.textContent = 'hashing…';
    const sha256 = await sha256Blob(file, (done) => { ui.progress.value = file.size ? done / file.size / 2 : 0; });
    if (channel.readyState !== 'open') throw new Error('call ended');
    const started = performance.now();
    channel.send(JSON.stringify({ kind: FILE_MESSAGES.META, name: file.name, size: file.size, type: file.type, sha256 }));
    ui.status.textContent = 'sending…';
    ui.progress.value = 0;
    let sent = 0;
    while (sent < file.size) {
      const block = new Uint8Array(await file.slice(sent, sent + READ_BYTES).arrayBuffer());
      for (let offset = 0; offset < block.length; offset += CHUNK_BYTES) {
        if (channel.bufferedAmount > HIGH_WATER) await drained(channel);
        if (channel.readyState !== 'open') throw new Error('call ended');
        channel.send(block.subarray(offset, Math.min(offset + CHUNK_BYTES, block.length)));
      }
      sent += block.length;
      ui.progress.value = sent / file.size;
    }
    ui.progress.value = 1;
    const seconds = (performance.now() - started) / 1000;
    ui.status.textContent = `sent${rateText(file.size, seconds)}`;
  }

  receive(data) {
    if (typeof data === 'string') {
      this.startIncoming(data);
      return;
    }
    const t = this.incoming;
    if (!t) return; // bytes without metadata: nothing to attach them to
    const bytes = new Uint8Array(data);
    if (t.received + bytes.length > t.meta.size) {
      this.abortIncoming(`${t.meta.name}: more bytes than announced`);
      return;
    }
    t.hash.update(bytes);
    t.pending.push(bytes);
    t.pendingBytes += bytes.length;
    t.received += bytes.length;
    if (t.pendingBytes >= BLOB_FLUSH_BYTES) this.flushBlob(t);
    if ((++t.chunks & 31) === 0) t.ui.progress.value = t.received / t.meta.size;
    if (t.received === t.meta.size) this.finish();
  }

  startIncoming(text) {
    let meta;
    try {
      meta = JSON.parse(text);
    } catch {
      return;
    }
    if (!meta || meta.kind !== FILE_MESSAGES.META) return;
    if (typeof meta.name !== 'string' || !Number.isSafeInteger(meta.size) || meta.size < 0
        || meta.size > MAX_FILE_BYTES || typeof meta.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(meta.sha256)) {
      this.notify('received a file announcement that makes no sense; ignored');
      return;
    }
    if (this.incoming) this.abortIncoming(`${this.incoming.meta.name}: cut short by the next file`);
    const name = meta.name.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'file';
    this.incoming = {
      meta: { ...meta, name }, hash: new Sha256(), parts: [], pending: [], pendingBytes: 0, received: 0, chunks: 0,
      started: performance.now(), ui: row(this.list, `↓ ${name} (${sizeText(meta.size)})`),
    };
    this.incoming.ui.status.textContent = 'receiving…';
    if (meta.size === 0) this.finish();
  }

  // Small Blobs are merged into bigger ones so the browser can move them out of the JS heap.
  flushBlob(t) {
    t.parts.push(new Blob(t.pending));
    t.pending = [];
    t.pendingBytes = 0;
  }

  finish() {
    const t = this.incoming;
    this.incoming = null;
    this.flushBlob(t);
    const digest = t.hash.hex();
    t.ui.progress.value = 1;
    if (digest !== t.meta.sha256) {
      t.ui.status.textContent = 'damaged in transit (SHA-256 mismatch), discarded';
      this.notify(`${t.meta.name} arrived damaged (SHA-256 mismatch) and was discarded`);
      return;
    }
    // Always octet-stream: a received HTML file must be saved, never rendered in this page's origin.
    const blob = new Blob(t.parts, { type: 'application/octet-stream' });
    const link = document.createElement('a');
    link.dataset.testid = 'received-file';
    link.dataset.sha256 = digest;
    link.download = t.meta.name;
    link.href = URL.createObjectURL(blob);
    link.textContent = `save ${t.meta.name}`;
    const seconds = (performance.now() - t.started) / 1000;
    t.ui.status.textContent = `received, SHA-256 ok${rateText(t.meta.size, seconds)} `;
    t.ui.status.append(link);
  }

  abortIncoming(reason = null) {
    const t = this.incoming;
    if (!t) return;
    this.incoming = null;
    t.ui.status.textContent = `interrupted after ${sizeText(t.received)}`;
    if (reason) this.notify(reason);
  }
}

function drained(channel) {
  return new Promise((resolve) => {
    const done = () => {
      channel.removeEventListener('bufferedamountlow', done);
      channel.removeEventListener('close', done);
      resolve();
    };
    channel.addEventListener('bufferedamountlow', done);
    channel.addEventListener('close', done);
  });
}
