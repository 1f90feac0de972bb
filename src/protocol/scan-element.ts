import {
  attributeKinds,
  BLANK,
  CLOSER,
  FORBIDDEN,
  isNonCharacter,
  MARKUP,
  nameKinds,
  PLAIN,
  SPECIAL,
  textKinds,
  WIDE,
} from './byte-kinds.js';
import { decodeReferences } from './decode-references.js';
import { occursAt, schemaNameAt } from './schema-name-at.js';
import type { XmlElement } from './to-message.js';

// Byte values as module constants, as in frame-indi.ts and end-of-tag.ts: importing
// them from one module made this loop measurably slower (tried in session 1).
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const SLASH = 0x2f;
const LT = 0x3c;
const EQUALS = 0x3d;
const GT = 0x3e;
const BRACKET = 0x5d;

/**
 * Reads INDI's two levels of XML straight from a frame's UTF-8 bytes, without
 * saxes: one top-level element, its attributes (either quote), text, and
 * member elements with attributes and text, self-closing or not; the five
 * entities and character references decoded, line ends and attribute
 * whitespace normalised as XML 1.0 requires. It gives up (undefined) on
 * everything else — comments, CDATA, processing instructions, deeper nesting,
 * names outside ASCII, anything not well-formed — so that saxes decides
 * those, with its error messages. What it accepts, it reads as saxes reads
 * the frame's UTF-8 decoding, except that whitespace at either end of text
 * may be left out (the parser only reads text trimmed).
 *
 * @example
 * ```ts
 * scanElement(Buffer.from("<pingReply uid='1'/>")); // { name: 'pingReply', attributes: ['uid', '1'], text: '', children: [] }
 * scanElement(Buffer.from('<message><!-- x --></message>')); // undefined
 * ```
 */
export function scanElement(bytes: Buffer): XmlElement | undefined {
  return scanner.scan(bytes);
}

const noBytes: Buffer = Buffer.alloc(0);

class ElementScanner {
  private bytes = noBytes;
  /** The bytes as latin1, one character per byte: ASCII runs are sliced from it by byte offset. */
  private latin1 = '';
  private pos = 0;
  /** Whether the start tag read last ended with `/>`. */
  private selfClosed = false;

  scan(bytes: Buffer): XmlElement | undefined {
    this.bytes = bytes;
    this.latin1 = bytes.toString('latin1');
    this.pos = 0;
    const root = this.startTag();
    const read =
      root !== undefined && (this.selfClosed || this.content(root, 1)) && this.pos === bytes.length;
    this.bytes = noBytes;
    this.latin1 = '';
    return read ? root : undefined;
  }

  /** Reads the start tag at `pos`, up to and including its `>`. */
  private startTag(): XmlElement | undefined {
    const bytes = this.bytes;
    if (bytes[this.pos] !== LT) return undefined;
    this.pos += 1;
    const name = this.name();
    if (name === undefined) return undefined;
    const attributes: string[] = [];
    for (;;) {
      const spaced = this.skipSpace();
      const byte = bytes[this.pos];
      if (byte === GT || (byte === SLASH && bytes[this.pos + 1] === GT)) {
        this.selfClosed = byte === SLASH;
        this.pos += this.selfClosed ? 2 : 1;
        return { name, attributes, text: '', children: [] };
      }
      const attribute = spaced ? this.name() : undefined;
      if (attribute === undefined) return undefined;
      this.skipSpace();
      if (bytes[this.pos] !== EQUALS) return undefined;
      this.pos += 1;
      this.skipSpace();
      const value = this.attributeValue();
      if (value === undefined) return undefined;
      for (let i = 0; i < attributes.length; i += 2) if (attributes[i] === attribute) return undefined;
      attributes.push(attribute, value);
    }
  }

  /** Reads what follows a start tag up to and including the end tag; children only below the top. */
  private content(element: XmlElement, depth: number): boolean {
    const bytes = this.bytes;
    for (;;) {
      const text = this.text(element.text !== '');
      if (text === undefined) return false;
      element.text += text;
      if (bytes[this.pos + 1] === SLASH) return this.endTag(element.name);
      if (depth > 1) return false;
      const child = this.startTag();
      if (child === undefined) return false;
      element.children.push(child);
      if (!this.selfClosed && !this.content(child, depth + 1)) return false;
    }
  }

  private endTag(name: string): boolean {
    if (!occursAt(this.bytes, this.pos + 2, name)) return false;
    this.pos += 2 + name.length;
    this.skipSpace();
    if (this.bytes[this.pos] !== GT) return false;
    this.pos += 1;
    return true;
  }

  /** Skips XML whitespace; true if there was some. */
  private skipSpace(): boolean {
    const bytes = this.bytes;
    const start = this.pos;
    let pos = start;
    let byte = bytes[pos];
    while (byte === SPACE || byte === LF || byte === TAB || byte === CR) byte = bytes[++pos];
    this.pos = pos;
    return pos > start;
  }

  /** An ASCII XML name (no `:`) at `pos`, or undefined. */
  private name(): string | undefined {
    const bytes = this.bytes;
    const start = this.pos;
    if (nameKinds[bytes[start] ?? 0] !== 1) return undefined;
    let pos = start + 1;
    while (nameKinds[bytes[pos] ?? 0] !== 0) pos += 1;
    this.pos = pos;
    return schemaNameAt(bytes, start, pos) ?? this.latin1.slice(start, pos);
  }

  /** A quoted attribute value at `pos`, normalised and decoded. */
  private attributeValue(): string | undefined {
    const bytes = this.bytes;
    const quote = bytes[this.pos];
    if (quote !== QUOTE && quote !== APOSTROPHE) return undefined;
    const start = this.pos + 1;
    let special = false;
    let wide = false;
    let end = start;
    for (; end < bytes.length; end++) {
      const byte = bytes[end] ?? 0;
      if (byte === quote) break;
      const kind = attributeKinds[byte];
      if (kind === PLAIN) continue;
      if (kind === SPECIAL) special = true;
      else if (kind === WIDE && !isNonCharacter(bytes, end)) wide = true;
      else return undefined;
    }
    if (end >= bytes.length) return undefined;
    this.pos = end + 1;
    const raw = this.string(start, end, wide);
    return special ? decodeReferences(raw.replace(/\r\n|[\t\n\r]/g, ' ')) : raw;
  }

  /**
   * The text at `pos` up to the next `<`, line ends normalised, references
   * decoded; without its leading whitespace unless `keepBlank` (text came
   * before it in the element), and without its trailing whitespace when the
   * element ends after it. What is left out is what trimming would remove.
   */
  private text(keepBlank: boolean): string | undefined {
    const bytes = this.bytes;
    const start = this.pos;
    /** The first and last bytes that are not XML whitespace. */
    let first = -1;
    let last = -1;
    let special = false;
    let wide = false;
    let pos = start;
    for (; pos < bytes.length; pos++) {
      const byte = bytes[pos] ?? 0;
      const kind = textKinds[byte];
      if (kind === BLANK) continue;
      if (kind === MARKUP) break;
      if (kind === SPECIAL) {
        special = true;
        if (byte === CR) continue;
      } else if (kind === WIDE) {
        if (isNonCharacter(bytes, pos)) return undefined;
        wide = true;
      } else if (kind === CLOSER) {
        if (bytes[pos - 1] === BRACKET && bytes[pos - 2] === BRACKET) return undefined;
      } else if (kind === FORBIDDEN) {
        return undefined;
      }
      if (first < 0) first = pos;
      last = pos;
    }
    if (pos >= bytes.length) return undefined;
    this.pos = pos;
    const ending = bytes[pos + 1] === SLASH;
    if (first < 0) return keepBlank && !ending ? this.decoded(start, pos, special, wide) : '';
    return this.decoded(keepBlank ? start : first, ending ? last + 1 : pos, special, wide);
  }

  /** Text from `start` to `end`, line ends normalised and references decoded if `special`. */
  private decoded(start: number, end: number, special: boolean, wide: boolean): string | undefined {
    const raw = this.string(start, end, wide);
    return special ? decodeReferences(raw.replace(/\r\n?/g, '\n')) : raw;
  }

  /**
   * The characters of bytes `start` to `end`. The range is bounded by ASCII
   * (markup or whitespace), where UTF-8 decoding starts afresh, so decoding it
   * alone gives what decoding the whole frame gives there.
   */
  private string(start: number, end: number, wide: boolean): string {
    return wide ? this.bytes.toString('utf8', start, end) : this.latin1.slice(start, end);
  }
}

const scanner = new ElementScanner();
