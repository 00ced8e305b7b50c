// @ts-check
// Text the page shows for numbers: pure functions, unit-tested in test/format.test.js.

/**
 * The call timer: `mm:ss`, and `h:mm:ss` from the first hour on.
 * @param {number} totalSeconds whole seconds since the call was answered
 */
export function callDuration(totalSeconds) {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return hours > 0 ? `${hours}:${two(minutes)}:${two(rest)}` : `${two(minutes)}:${two(rest)}`;
}
