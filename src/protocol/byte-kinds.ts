/**
 * What each byte of a frame means to `scanElement`, as lookup tables
 * indexed by the byte: one load per byte instead of a chain of comparisons.
 *
 * @module
 */

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const AMPERSAND = 0x26;
const LT = 0x3c;
const GT = 0x3e;

/** Nothing special. */
export const PLAIN = 0;
/** XML whitespace other than carriage return (in attribute values it is normalised, so SPECIAL). */
export const BLANK = 1;
/** Needs decoding or normalising: `&` and carriage return, and in attribute values tab and newline. */
export const SPECIAL = 2;
/** A character XML forbids here (C0 controls, `<` in attribute values): give up. */
export const FORBIDDEN = 3;
/** Text ends: `<`. */
export const MARKUP = 4;
/** `>` in text, forbidden after `]]`. */
export const CLOSER = 5;
/** A byte of a multi-byte UTF-8 character (see {@link isNonCharacter}). */
export const WIDE = 6;

function byteKinds(kinds: Readonly<Record<number, number>>): Uint8Array {
  const table = new Uint8Array(256).fill(WIDE, 0x80);
  table.fill(FORBIDDEN, 0, SPACE);
  for (const [byte, kind] of Object.entries(kinds)) table[Number(byte)] = kind;
  return table;
}

/** Bytes of element text. */
export const textKinds = byteKinds({
  [TAB]: BLANK,
  [LF]: BLANK,
  [SPACE]: BLANK,
  [CR]: SPECIAL,
  [AMPERSAND]: SPECIAL,
  [GT]: CLOSER,
  [LT]: MARKUP,
});

/** Bytes of a quoted attribute value (the quote itself is looked for first). */
export const attributeKinds = byteKinds({
  [TAB]: SPECIAL,
  [LF]: SPECIAL,
  [CR]: SPECIAL,
  [AMPERSAND]: SPECIAL,
  [LT]: FORBIDDEN,
});

/** 1 for the bytes an XML name may start with, 2 for those it may only continue with: ASCII, no `:`. */
export const nameKinds = new Uint8Array(256);
for (let byte = 0; byte < 128; byte++) {
  const char = String.fromCharCode(byte);
  if (/[A-Za-z_]/.test(char)) nameKinds[byte] = 1;
  else if (/[0-9.-]/.test(char)) nameKinds[byte] = 2;
}

/**
 * Whether the bytes at `at` are U+FFFE or U+FFFF (EF BF BE, EF BF BF): the
 * only characters XML forbids that decoding UTF-8 can give (invalid bytes
 * decode to U+FFFD, which XML allows).
 *
 * @example
 * ```ts
 * isNonCharacter(Buffer.from('\uffff'), 0); // true
 * ```
 */
export function isNonCharacter(bytes: Buffer, at: number): boolean {
  return bytes[at] === 0xef && bytes[at + 1] === 0xbf && ((bytes[at + 2] ?? 0) & 0xfe) === 0xbe;
}
