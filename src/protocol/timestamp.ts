/**
 * A time in INDI's timestamp format: UTC, `YYYY-MM-DDTHH:MM:SS`, as libindi writes it.
 *
 * @example
 * ```ts
 * indiTimestamp(new Date(0)); // '1970-01-01T00:00:00'
 * ```
 */
export function indiTimestamp(date: Date = new Date()): string {
  return date.toISOString().slice(0, 19);
}
