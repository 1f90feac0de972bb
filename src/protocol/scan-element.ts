import { indiSchema } from './schema.js';
import type { XmlElement } from './to-message.js';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const AMPERSAND = 0x26;
const APOSTROPHE = 0x27;
const SLASH = 0x2f;
const LT = 0x3c;
const EQUALS = 0x3d;
const GT = 0x3e;
const BRACKET = 0x5d;

/** What a character means in text or in an attribute value: nothing special. */
const PLAIN = 0;
/** XML whitespace other than carriage return (in attribute values it is normalised, so SPECIAL). */
const BLANK = 1;
/** Needs decoding or normalising: `&` and carriage return, and in attribute values tab and newline. */
const SPECIAL = 2;
/** A character XML forbids here: give up. */
const FORBIDDEN = 3;
/** Text ends: `<`. */
const MARKUP = 4;
/** `>` in text, forbidden after `]]`. */
const CLOSER = 5;
/** The high half of a surrogate pair, followed by its low half. */
const PAIR = 6;

function asciiKinds(kinds: Readonly<Record<number, number>>): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < SPACE; code++) table[code] = FORBIDDEN;
  for (const [code, kind] of Object.entries(kinds)) table[Number(code)] = kind;
  return table;
}

const textKinds = asciiKinds({
  [TAB]: BLANK,
  [LF]: BLANK,
  [SPACE]: BLANK,
  [CR]: SPECIAL,
  [AMPERSAND]: SPECIAL,
  [GT]: CLOSER,
  [LT]: MARKUP,
});
const attributeKinds = asciiKinds({
  [TAB]: SPECIAL,
  [LF]: SPECIAL,
  [CR]: SPECIAL,
  [AMPERSAND]: SPECIAL,
  [LT]: FORBIDDEN,
});

/** 1 for the ASCII characters a name may start with, 2 for those it may continue with. */
const nameChars = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  if (/[A-Za-z_]/.test(char)) nameChars[code] = 1;
  else if (/[0-9.-]/.test(char)) nameChars[code] = 2;
}

/**
 * Every element and attribute name of the schema, by first character. A name
 * read from a frame that is one of these is returned as the schema's own
 * string: nothing is allocated, and comparing it with the schema later is a
 * pointer comparison.
 */
const knownNames: string[][] = [];
for (const [type, spec] of Object.entries(indiSchema)) {
  const names = [type, ...spec.attributes.map((attribute) => attribute.name)];
  if (spec.members)
    names.push(spec.members.element, ...spec.members.attributes.map((attribute) => attribute.name));
  for (const name of names) {
    const sameStart = (knownNames[name.charCodeAt(0)] ??= []);
    if (!sameStart.includes(name)) sameStart.push(name);
  }
}

const namedEntities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const characterReference = /^#(?:([0-9]{1,7})|x([0-9A-Fa-f]{1,6}))$/;

/** Whether `name` occurs in `text` at `at` (much faster than `startsWith` with a position). */
function occursAt(text: string, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (text.charCodeAt(at + i) !== name.charCodeAt(i)) return false;
  return true;
}

/** XML 1.0 `Char`. */
function isXmlChar(code: number): boolean {
  return (
    code === TAB ||
    code === LF ||
    code === CR ||
    (code >= SPACE && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** The text of an entity or character reference (between `&` and `;`), or undefined. */
function referencedText(reference: string): string | undefined {
  if (Object.hasOwn(namedEntities, reference)) return namedEntities[reference];
  const match = characterReference.exec(reference);
  if (!match) return undefined;
  const code = match[1] === undefined ? parseInt(match[2] ?? '', 16) : parseInt(match[1], 10);
  return isXmlChar(code) ? String.fromCodePoint(code) : undefined;
}

/** `raw` with its references replaced by what they stand for; undefined if one is not XML's. */
function decodeReferences(raw: string): string | undefined {
  let decoded = '';
  let from = 0;
  for (let ampersand = raw.indexOf('&'); ampersand >= 0; ampersand = raw.indexOf('&', from)) {
    const semicolon = raw.indexOf(';', ampersand + 1);
    if (semicolon < 0) return undefined;
    const text = referencedText(raw.slice(ampersand + 1, semicolon));
    if (text === undefined) return undefined;
    decoded += raw.slice(from, ampersand) + text;
    from = semicolon + 1;
  }
  return decoded + raw.slice(from);
}

/**
 * Reads INDI's two levels of XML straight from a frame's text, without saxes:
 * one top-level element, its attributes (either quote), text, and member
 * elements with attributes and text, self-closing or not; the five entities
 * and character references decoded, line ends and attribute whitespace
 * normalised as XML 1.0 requires. It gives up (undefined) on everything else
 * — comments, CDATA, processing instructions, deeper nesting, names outside
 * ASCII, anything not well-formed — so that saxes decides those, with its
 * error messages. What it accepts, it reads exactly as saxes does.
 *
 * @example
 * ```ts
 * scanElement("<pingReply uid='1'/>"); // { name: 'pingReply', attributes: ['uid', '1'], text: '', children: [] }
 * scanElement('<message><!-- x --></message>'); // undefined
 * ```
 */
export function scanElement(xml: string): XmlElement | undefined {
  return scanner.scan(xml);
}

class ElementScanner {
  private xml = '';
  private pos = 0;
  /** Whether the start tag read last ended with `/>`. */
  private selfClosed = false;

  scan(xml: string): XmlElement | undefined {
    this.xml = xml;
    this.pos = 0;
    const root = this.startTag();
    const read = root !== undefined && (this.selfClosed || this.content(root, 1)) && this.pos === xml.length;
    this.xml = '';
    return read ? root : undefined;
  }

  /** Reads the start tag at `pos`, up to and including its `>`. */
  private startTag(): XmlElement | undefined {
    const xml = this.xml;
    if (xml.charCodeAt(this.pos) !== LT) return undefined;
    this.pos += 1;
    const name = this.name();
    if (name === undefined) return undefined;
    const attributes: string[] = [];
    for (;;) {
      const spaced = this.skipSpace();
      const code = xml.charCodeAt(this.pos);
      if (code === GT || (code === SLASH && xml.charCodeAt(this.pos + 1) === GT)) {
        this.selfClosed = code === SLASH;
        this.pos += this.selfClosed ? 2 : 1;
        return { name, attributes, text: '', children: [] };
      }
      const attribute = spaced ? this.name() : undefined;
      if (attribute === undefined) return undefined;
      this.skipSpace();
      if (xml.charCodeAt(this.pos) !== EQUALS) return undefined;
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
    const xml = this.xml;
    for (;;) {
      const text = this.text(element.text !== '');
      if (text === undefined) return false;
      element.text += text;
      if (xml.charCodeAt(this.pos + 1) === SLASH) return this.endTag(element.name);
      if (depth > 1) return false;
      const child = this.startTag();
      if (child === undefined) return false;
      element.children.push(child);
      if (!this.selfClosed && !this.content(child, depth + 1)) return false;
    }
  }

  private endTag(name: string): boolean {
    const xml = this.xml;
    if (!occursAt(xml, this.pos + 2, name)) return false;
    this.pos += 2 + name.length;
    this.skipSpace();
    if (xml.charCodeAt(this.pos) !== GT) return false;
    this.pos += 1;
    return true;
  }

  /** Skips XML whitespace; true if there was some. */
  private skipSpace(): boolean {
    const xml = this.xml;
    const start = this.pos;
    let code = xml.charCodeAt(this.pos);
    while (code === SPACE || code === LF || code === TAB || code === CR) code = xml.charCodeAt(++this.pos);
    return this.pos > start;
  }

  /** An ASCII XML name (no `:`) at `pos`, or undefined. */
  private name(): string | undefined {
    const xml = this.xml;
    const start = this.pos;
    if (nameChars[xml.charCodeAt(start)] !== 1) return undefined;
    let pos = start + 1;
    while ((nameChars[xml.charCodeAt(pos)] ?? 0) !== 0) pos += 1;
    this.pos = pos;
    const candidates = knownNames[xml.charCodeAt(start)];
    if (candidates !== undefined) {
      for (const known of candidates)
        if (known.length === pos - start && occursAt(xml, start, known)) return known;
    }
    return xml.slice(start, pos);
  }

  /** A quoted attribute value at `pos`, normalised and decoded. */
  private attributeValue(): string | undefined {
    const xml = this.xml;
    const quote = xml.charCodeAt(this.pos);
    if (quote !== QUOTE && quote !== APOSTROPHE) return undefined;
    const start = this.pos + 1;
    const end = xml.indexOf(quote === QUOTE ? '"' : "'", start);
    if (end < 0) return undefined;
    let special = false;
    for (let pos = start; pos < end; pos++) {
      const code = xml.charCodeAt(pos);
      const kind = code < 128 ? attributeKinds[code] : this.wideKind(code, pos);
      if (kind === PLAIN) continue;
      if (kind === FORBIDDEN) return undefined;
      if (kind === SPECIAL) special = true;
      else pos += 1;
    }
    this.pos = end + 1;
    const raw = xml.slice(start, end);
    return special ? decodeReferences(raw.replace(/\r\n|[\t\n\r]/g, ' ')) : raw;
  }

  /**
   * The text at `pos` up to the next `<`, line ends normalised, references
   * decoded; without its leading whitespace unless `keepBlank` (text came
   * before it in the element), and without its trailing whitespace when the
   * element ends after it. What is left out is what trimming would remove.
   */
  private text(keepBlank: boolean): string | undefined {
    const xml = this.xml;
    const start = this.pos;
    /** The first and last characters that are not XML whitespace. */
    let first = -1;
    let last = -1;
    let special = false;
    let pos = start;
    for (; pos < xml.length; pos++) {
      const code = xml.charCodeAt(pos);
      const kind = code < 128 ? textKinds[code] : this.wideKind(code, pos);
      if (kind === BLANK) continue;
      if (kind === MARKUP) break;
      if (kind === FORBIDDEN) return undefined;
      if (kind === SPECIAL) {
        special = true;
        if (code === CR) continue;
      } else if (
        kind === CLOSER &&
        xml.charCodeAt(pos - 1) === BRACKET &&
        xml.charCodeAt(pos - 2) === BRACKET
      ) {
        return undefined;
      }
      if (first < 0) first = pos;
      if (kind === PAIR) pos += 1;
      last = pos;
    }
    if (pos >= xml.length) return undefined;
    this.pos = pos;
    const ending = xml.charCodeAt(pos + 1) === SLASH;
    if (first < 0) return keepBlank && !ending ? this.decoded(start, pos, special) : '';
    return this.decoded(keepBlank ? start : first, ending ? last + 1 : pos, special);
  }

  /** Text from `start` to `end`, with line ends normalised and references decoded if `special`. */
  private decoded(start: number, end: number, special: boolean): string | undefined {
    const raw = this.xml.slice(start, end);
    return special ? decodeReferences(raw.replace(/\r\n?/g, '\n')) : raw;
  }

  /** How a character at or above 128 reads: PLAIN, PAIR, or FORBIDDEN (U+FFFE, U+FFFF, a lone surrogate). */
  private wideKind(code: number, pos: number): number {
    if (code < 0xd800) return PLAIN;
    if (code <= 0xdbff) {
      const low = this.xml.charCodeAt(pos + 1);
      return low >= 0xdc00 && low <= 0xdfff ? PAIR : FORBIDDEN;
    }
    return code <= 0xdfff || code >= 0xfffe ? FORBIDDEN : PLAIN;
  }
}

const scanner = new ElementScanner();
