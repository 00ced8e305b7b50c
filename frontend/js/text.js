// @ts-check
// Text chosen by other people's nodes (user names, reasons) made fit to show: no control or bidirectional-override
// characters (which make "evil" read as "live"), and a length a row can hold. The gateway cleans what it builds
// itself; the page cleans again what it shows, whatever the source.

const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
export const MAX_NAME_CHARS = 64;

export function displayText(text, max = MAX_NAME_CHARS) {
  const clean = String(text ?? '').replace(HIDDEN, '').replace(/\s+/g, ' ').trim();
  const chars = [...clean];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : clean;
}
