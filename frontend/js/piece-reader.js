// @ts-check
// Reads an outgoing file piece by piece, with each piece's SHA-256, from one byte stream over the file.
//
// Why a stream and not File.slice().arrayBuffer() per piece: on Chromium a slice read costs ~3-4 ms of CPU per MiB
// (a Blob read through the browser process into a new buffer each time), a stream read into the page's own buffer
// (a "bring your own buffer" reader) ~1, on a CPU the browsers' SCTP and DTLS already fill. The buffers of pieces
// that went out are read into again (recycle), so the page does not touch fresh memory for every piece.
// Pieces are asked for in order; asking for another one (a resume from an earlier piece) opens the stream there.
// Where a browser has no byte stream for files, chunks of its default stream are copied into the piece's buffer;
// where it has no stream at all, each piece is a slice.

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

export class PieceReader {
  /**
   * @param {Blob} file
   * @param {number} pieceBytes
   * @param {number} spares  buffers of pieces that went out kept to be read into again
   */
  constructor(file, pieceBytes, spares) {
    this.file = file;
    this.pieceBytes = pieceBytes;
    this.maxSpares = spares;
    /** @type {ArrayBuffer[]} */
    this.spares = [];
    /** @type {any} a ReadableStreamBYOBReader or a default reader */
    this.reader = null;
    this.byob = false;
    this.position = -1; // the file offset the reader is at
    /** @type {Uint8Array|null} what the default reader gave beyond the last piece */
    this.rest = null;
    /** @type {Promise<unknown>} reads run one after the other, in the order they were asked for */
    this.tail = Promise.resolve();
    this.closed = false;
  }

  /**
   * Piece `index`: its bytes (the caller hands them back with recycle once sent) and its SHA-256 in hex.
   * @param {number} index
   * @returns {Promise<{bytes: Uint8Array, digest: string}>}
   */
  read(index) {
    const reading = this.tail.then(() => this.readBytes(index));
    this.tail = reading.catch(() => {}); // a failed read leaves the next one to open the stream again
    // The SHA-256 runs while the next piece is being read.
    const piece = reading.then(async (bytes) => ({ bytes, digest: hex(await crypto.subtle.digest('SHA-256', bytes)) }));
    piece.catch(() => {}); // a piece read ahead and then not needed must not report an unhandled rejection
    return piece;
  }

  /** A piece that went out: its buffer may be read into again. Its bytes must not be used afterwards. */
  recycle(bytes) {
    if (!this.closed && this.spares.length < this.maxSpares && bytes.buffer.byteLength === this.pieceBytes) {
      this.spares.push(/** @type {ArrayBuffer} */ (bytes.buffer));
    }
  }

  /** The file is no longer sent: the stream and the buffers go. */
  close() {
    this.closed = true;
    this.spares = [];
    this.drop();
  }

  drop() {
    if (this.reader) this.reader.cancel().catch(() => {});
    this.reader = null;
    this.rest = null;
    this.position = -1;
  }

  /** @param {number} start */
  open(start) {
    this.drop();
    const stream = this.file.slice(start).stream();
    try {
      this.reader = stream.getReader({ mode: 'byob' });
      this.byob = true;
    } catch {
      this.reader = stream.getReader();
      this.byob = false;
    }
    this.position = start;
  }

  /**
   * @param {number} index
   * @returns {Promise<Uint8Array<ArrayBuffer>>}
   */
  async readBytes(index) {
    if (this.closed) throw new Error('file no longer sent');
    const start = index * this.pieceBytes;
    const length = Math.min(this.pieceBytes, this.file.size - start);
    if (!(length > 0)) throw new RangeError(`no piece ${index}`);
    if (typeof this.file.stream !== 'function') return new Uint8Array(await this.file.slice(start, start + length).arrayBuffer());
    if (!this.reader || this.position !== start) this.open(start);
    let buffer = this.spares.pop() || new ArrayBuffer(this.pieceBytes);
    let filled = 0;
    try {
      if (this.byob) {
        while (filled < length) {
          const { done, value } = await this.reader.read(new Uint8Array(buffer, filled, length - filled));
          if (value) buffer = /** @type {ArrayBuffer} */ (value.buffer); // the reader hands the buffer back (it was transferred to the stream)
          if (done || !value) break;
          filled += value.byteLength;
        }
      } else {
        const target = new Uint8Array(buffer);
        while (filled < length) {
          let chunk = this.rest;
          this.rest = null;
          if (!chunk) {
            const { done, value } = await this.reader.read();
            if (done) break;
            chunk = value instanceof Uint8Array ? value : new Uint8Array(value);
          }
          const take = Math.min(chunk.length, length - filled);
          target.set(chunk.subarray(0, take), filled);
          filled += take;
          if (take < chunk.length) this.rest = chunk.subarray(take);
        }
      }
    } catch (e) {
      this.drop();
      throw e;
    }
    if (filled !== length) {
      this.drop();
      throw new Error('the file changed while it was being sent');
    }
    this.position = start + length;
    return new Uint8Array(buffer, 0, length);
  }
}
