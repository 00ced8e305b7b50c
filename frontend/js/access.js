// @ts-check
// The gateway's access key. The node prints its GUI link as https://127.0.0.1:<port>/#k=<key> (a fragment never
// leaves the browser: not in requests, logs or Referer). The page keeps the key for this tab's session and takes it
// out of the address bar, so it is not shared with a screenshot or a copied link.

export const TOKEN_KEY = 'decwebrtc-token';

/** The key from the link (kept for the session), or the one kept earlier in this tab; '' when there is none. */
export function accessToken(loc = window.location, storage = window.sessionStorage, history = window.history) {
  const match = /(?:^#|&)k=([A-Za-z0-9_-]{16,128})(?:&|$)/.exec(loc.hash || '');
  if (match) {
    try { storage.setItem(TOKEN_KEY, match[1]); } catch { /* storage off: the key lives as long as the page */ }
    history.replaceState(null, '', loc.pathname + loc.search);
    return match[1];
  }
  try {
    return storage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

/** What to tell a user whose page has no key, or an old one (the node restarted: it makes a new key each start). */
export function accessHelp(hadToken) {
  return hadToken
    ? 'the node refused this page\'s access key; it makes a new one at every start: open the link it printed last (https://…/#k=…)'
    : 'this page needs its access key: open the link the node printed when it started (https://…/#k=…)';
}
