// @ts-check
// Text chat over the call's "chat" DataChannel. Messages typed before the channel opens wait in a queue.
// Text is only ever placed with textContent: a message is data, never markup.

export const MAX_CHAT_CHARS = 16 * 1024;

export class Chat {
  constructor(log) {
    this.log = log;
    this.channel = null;
    this.queue = [];
  }

  attach(channel, peerName) {
    this.channel = channel;
    this.peerName = peerName;
    channel.addEventListener('open', () => { if (this.channel === channel) this.flush(); });
    channel.addEventListener('message', (event) => {
      if (this.channel !== channel || typeof event.data !== 'string') return;
      let text;
      try {
        text = JSON.parse(event.data).text;
      } catch {
        return;
      }
      if (typeof text === 'string') this.render(peerName, text.slice(0, MAX_CHAT_CHARS), 'theirs');
    });
    if (channel.readyState === 'open') this.flush();
  }

  detach() {
    this.channel = null;
    for (const pending of this.queue) pending.item.classList.add('unsent');
    this.queue = [];
  }

  send(me, text) {
    if (!text) return;
    const trimmed = text.slice(0, MAX_CHAT_CHARS);
    const item = this.render(me, trimmed, 'mine pending');
    this.queue.push({ text: trimmed, item });
    this.flush();
  }

  flush() {
    if (!this.channel || this.channel.readyState !== 'open') return;
    while (this.queue.length > 0) {
      const { text, item } = this.queue.shift();
      this.channel.send(JSON.stringify({ text }));
      item.classList.remove('pending');
    }
  }

  render(who, text, kind) {
    const item = document.createElement('li');
    item.className = kind;
    const author = document.createElement('span');
    author.className = 'who';
    author.textContent = who;
    const body = document.createElement('span');
    body.dataset.testid = 'chat-message';
    body.textContent = text;
    item.append(author, body);
    this.log.append(item);
    item.scrollIntoView({ block: 'end' });
    return item;
  }
}
