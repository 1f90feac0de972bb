const LT = 0x3c;
const GT = 0x3e;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/**
 * Where the tag whose name starts at `from` ends: the index of its `>`,
 * skipping quoted attribute values (XML allows a raw `>` in them); -1 when
 * the bytes up to `length` do not hold the end yet; -2 when a `<` comes
 * first, which no well-formed tag contains.
 *
 * @example
 * ```ts
 * endOfTag(Buffer.from("<a b='>'/>"), 1); // 9
 * ```
 */
export function endOfTag(bytes: Uint8Array, from: number, length: number = bytes.length): number {
  let quote = 0;
  for (let i = from; i < length; i++) {
    const byte = bytes[i];
    if (quote !== 0) {
      if (byte === quote) quote = 0;
    } else if (byte === QUOTE || byte === APOSTROPHE) {
      quote = byte;
    } else if (byte === GT) {
      return i;
    } else if (byte === LT) {
      return -2;
    }
  }
  return -1;
}
