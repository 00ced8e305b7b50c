// @ts-check
// Recent calls for the idle page: who, which way, when, and how it went, built from the call states the page goes
// through and kept in localStorage (each node's page has its own origin, so its own list). Pure functions,
// unit-tested in test/recent.test.js.
import { CALL_STATES } from './protocol.js';

export const STORE_KEY = 'decwebrtc.recentCalls';
export const MAX_RECENT = 10;

/**
 * @typedef {{peer: string, direction: 'in'|'out', at: number, seconds: number,
 *   outcome: 'talked'|'missed'|'not answered'}} RecentCall
 * @typedef {{peer: string, direction: 'in'|'out', at: number, answeredAt: number}} CallInProgress
 */

/**
 * The next list and the call in progress after a state change.
 * @param {{list: RecentCall[], current: CallInProgress|null}} recent
 * @param {string} previous
 * @param {string} next
 * @param {string|null} peer  the remote user of the call-state message
 * @param {number} now  ms since the epoch
 * @returns {{list: RecentCall[], current: CallInProgress|null}}
 */
export function afterStateChange(recent, previous, next, peer, now) {
  let { list, current } = recent;
  if (previous === CALL_STATES.IDLE && (next === CALL_STATES.CALLING || next === CALL_STATES.RINGING) && peer) {
    current = { peer, direction: next === CALL_STATES.CALLING ? 'out' : 'in', at: now, answeredAt: 0 };
  } else if (previous === CALL_STATES.CALLING && next === CALL_STATES.RINGING && peer) {
    // Both called each other at once: the other call won, ours never happened.
    current = { peer, direction: 'in', at: now, answeredAt: 0 };
  } else if (next === CALL_STATES.IN_CALL && current && !current.answeredAt) {
    current = { ...current, answeredAt: now };
  } else if (next === CALL_STATES.IDLE && current) {
    const talked = current.answeredAt > 0;
    /** @type {RecentCall} */
    const entry = {
      peer: current.peer,
      direction: current.direction,
      at: current.at,
      seconds: talked ? Math.max(0, Math.round((now - current.answeredAt) / 1000)) : 0,
      outcome: talked ? 'talked' : current.direction === 'in' ? 'missed' : 'not answered',
    };
    list = [entry, ...list].slice(0, MAX_RECENT);
    current = null;
  }
  return { list, current };
}

/**
 * The stored list; malformed entries are left out.
 * @param {Pick<Storage, 'getItem'>} storage
 * @returns {RecentCall[]}
 */
export function loadRecent(storage) {
  let stored;
  try {
    stored = JSON.parse(storage.getItem(STORE_KEY) || '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(stored)) return [];
  return stored.filter((e) => e && typeof e === 'object' && typeof e.peer === 'string' && e.peer.length <= 256
      && (e.direction === 'in' || e.direction === 'out') && Number.isFinite(e.at) && Number.isFinite(e.seconds)
      && ['talked', 'missed', 'not answered'].includes(e.outcome))
    .slice(0, MAX_RECENT)
    .map((e) => ({ peer: e.peer, direction: e.direction, at: e.at, seconds: e.seconds, outcome: e.outcome }));
}

/** @param {Pick<Storage, 'setItem'>} storage @param {RecentCall[]} list */
export function saveRecent(storage, list) {
  try {
    storage.setItem(STORE_KEY, JSON.stringify(list.slice(0, MAX_RECENT)));
  } catch {
    // storage full or denied: the list lasts as long as the page
  }
}

/**
 * "talked 2 min", "missed", "not answered".
 * @param {RecentCall} entry
 */
export function describeOutcome(entry) {
  if (entry.outcome !== 'talked') return entry.outcome;
  if (entry.seconds < 60) return `talked ${entry.seconds} s`;
  return `talked ${Math.round(entry.seconds / 60)} min`;
}

/**
 * When, relative to now: "just now", "5 min ago", "3 h ago", or the date.
 * @param {number} at @param {number} now
 */
export function when(at, now) {
  const seconds = Math.max(0, (now - at) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(at).toISOString().slice(0, 10);
}
