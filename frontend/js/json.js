// @ts-check
// JSON from the other end of a DataChannel: anything may arrive there, so parsing never throws.

/**
 * The JSON object in `data`, or null when `data` is not a string, is longer than `maxChars` (checked before any
 * parsing work), is not JSON, or is not an object.
 * @param {unknown} data
 * @param {number} maxChars
 * @returns {any}
 */
export function parseObject(data, maxChars) {
  if (typeof data !== 'string' || data.length > maxChars) return null;
  try {
    const value = JSON.parse(data);
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}
