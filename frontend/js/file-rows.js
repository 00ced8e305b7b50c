// @ts-check
// One row per file in the transfers list. Test hooks: an incoming file's row is [data-testid=file-offer] with
// file-accept / file-decline until the user decides, then file-cancel while it runs; a sent file's row is
// [data-testid=file-outgoing] with file-cancel; every row has a file-progress bar; a verified file ends as a
// [data-testid=received-file] link carrying data-sha256.

export function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

const PROGRESS_EVERY_MS = 200;

function button(testid, text, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.testid = testid;
  b.className = className;
  b.textContent = text;
  b.addEventListener('click', onClick, { once: true });
  return b;
}

export class TransferRow {
  /**
   * @param {HTMLElement} list
   * @param {'in'|'out'} direction
   * @param {{name: string, size: number, type: string}} meta
   */
  constructor(list, direction, meta) {
    const item = document.createElement('li');
    item.dataset.testid = direction === 'in' ? 'file-offer' : 'file-outgoing';
    const name = document.createElement('span');
    name.className = 'file-name';
    name.textContent = `${direction === 'in' ? '↓' : '↑'} ${meta.name}`;
    const details = document.createElement('span');
    details.className = 'file-details';
    details.textContent = `${sizeText(meta.size)}${meta.type ? `, ${meta.type}` : ''}`;
    this.progress = document.createElement('progress');
    this.progress.dataset.testid = 'file-progress';
    this.progress.max = 1;
    this.progress.value = 0;
    this.shown = 0;
    this.progressAt = 0;
    /** @type {ReturnType<typeof setTimeout>|null} */
    this.progressTimer = null;
    this.status = document.createElement('span');
    this.status.className = 'file-status';
    this.status.dataset.testid = 'file-status';
    this.buttons = document.createElement('span');
    this.buttons.className = 'file-buttons';
    item.append(name, details, this.progress, this.status, this.buttons);
    list.append(item);
    this.item = item;
  }

  setStatus(text) {
    this.status.textContent = text;
    this.item.dataset.state = text.split(/[ ,:…]/)[0];
  }

  /**
   * The bar moves at most every PROGRESS_EVERY_MS (the last value follows): each move costs the page a style,
   * layout and paint, which a file moving tens of pieces a second would pay on the thread its messages need.
   */
  setProgress(fraction) {
    this.shown = Math.max(0, Math.min(1, fraction));
    const since = Date.now() - this.progressAt;
    if (this.shown === 0 || this.shown === 1 || since >= PROGRESS_EVERY_MS) {
      this.showProgress();
    } else if (!this.progressTimer) {
      this.progressTimer = setTimeout(() => this.showProgress(), PROGRESS_EVERY_MS - since);
    }
  }

  showProgress() {
    clearTimeout(this.progressTimer);
    this.progressTimer = null;
    this.progressAt = Date.now();
    this.progress.value = this.shown;
  }

  askConsent(onAccept, onDecline) {
    this.buttons.replaceChildren(button('file-accept', 'Accept', 'accept', onAccept),
      button('file-decline', 'Decline', 'reject', onDecline));
  }

  offerCancel(onCancel) {
    this.buttons.replaceChildren(button('file-cancel', 'Cancel', 'reject', onCancel));
  }

  offerRemove(onRemove) {
    this.buttons.replaceChildren(button('file-remove', 'Remove', '', onRemove));
  }

  clearButtons() {
    this.buttons.replaceChildren();
  }

  showLink(url, name, sha256, text) {
    const link = document.createElement('a');
    link.dataset.testid = 'received-file';
    link.dataset.sha256 = sha256;
    link.download = name;
    link.href = url;
    link.textContent = `save ${name}`;
    this.status.textContent = `${text} `;
    this.status.append(link);
    this.item.dataset.state = 'received';
    return link;
  }

  remove() {
    clearTimeout(this.progressTimer);
    this.progressTimer = null;
    this.item.remove();
  }
}
