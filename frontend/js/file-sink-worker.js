// @ts-check
// Writes one incoming file to the Origin Private File System through a synchronous access handle, which only a
// worker may open: a piece goes to disk in one system call, where a page's createWritable stream costs tens of ms
// per MiB on a busy machine (every write goes through a Blob to the storage process) and so bounds the transfer.
// Messages in (each with a number `seq`, answered with {seq} or {seq, error}):
//   {op: 'open', directory, name}   create the file (empty)
//   {op: 'write', at, bytes}        bytes: an ArrayBuffer (transferred), written at offset `at`
//   {op: 'close'}                   flush and close: the page then reads the file through its own handle
//   {op: 'discard'}                 close and remove the file

/** @type {any} */
let access = null;
/** @type {FileSystemDirectoryHandle|null} */
let dir = null;
let fileName = '';

async function handle(m) {
  switch (m.op) {
    case 'open': {
      const root = await navigator.storage.getDirectory();
      dir = await root.getDirectoryHandle(m.directory, { create: true });
      fileName = m.name;
      const file = /** @type {any} */ (await dir.getFileHandle(fileName, { create: true }));
      access = await file.createSyncAccessHandle();
      access.truncate(0);
      return;
    }
    case 'write': {
      const bytes = new Uint8Array(m.bytes);
      let done = 0;
      while (done < bytes.length) done += access.write(bytes.subarray(done), { at: m.at + done });
      return;
    }
    case 'close':
      access.flush();
      access.close();
      access = null;
      return;
    case 'discard':
      if (access) access.close();
      access = null;
      if (dir && fileName) await dir.removeEntry(fileName).catch(() => {});
      return;
    default:
      throw new Error(`unknown operation ${m.op}`);
  }
}

// One message after the other: a write never overtakes the open, the close never overtakes a write.
let queue = Promise.resolve();
self.onmessage = (event) => {
  const m = event.data;
  queue = queue.then(() => handle(m)).then(
    () => self.postMessage({ seq: m.seq }),
    (e) => self.postMessage({ seq: m.seq, error: String((e && e.message) || e) }),
  );
};

export {}; // a module (the page starts it with type: 'module')
