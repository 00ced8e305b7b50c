// @ts-check
// The tab's one WebSocket to its gateway (message types: protocol.js).
// Each message from the gateway is dispatched as an event named after its type, with the message as detail.
import { TO_TAB, WS_PATH } from './protocol.js';

export const RECONNECT_MS = 2000;

export class Signaling extends EventTarget {
  /** @param {string} token the gateway's access key, sent as ?k= (a browser WebSocket cannot set headers) */
  constructor(token, url = `wss://${location.host}${WS_PATH}?k=${encodeURIComponent(token)}`) {
    super();
    this.url = url;
    this.ws = null;
    this.stopped = false;
  }

  connect() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.dispatchEvent(new CustomEvent('connected'));
    };
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message && typeof message.type === 'string') {
        if (message.type === TO_TAB.ALREADY_OPEN) this.stopped = true; // another tab owns the node: stay quiet
        this.dispatchEvent(new CustomEvent(message.type, { detail: message }));
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      // Never opened: refused (no access key, or an old one) or the node is down; the page cannot tell which.
      this.dispatchEvent(new CustomEvent(opened ? 'disconnected' : 'unreachable'));
      if (!this.stopped) setTimeout(() => this.connect(), RECONNECT_MS);
    };
  }

  get connected() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a message; returns false when the gateway is not reachable right now. */
  send(message) {
    if (!this.connected) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** For diagnostics and tests: puts raw data on the socket. */
  sendRaw(data) {
    if (!this.connected) return false;
    this.ws.send(data);
    return true;
  }

  on(type, handler) {
    this.addEventListener(type, (event) => handler(/** @type {CustomEvent} */ (event).detail));
  }
}
