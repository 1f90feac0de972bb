const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

const namedEntities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const characterReference = /^#(?:([0-9]{1,7})|x([0-9A-Fa-f]{1,6}))$/;

/** XML 1.0 `Char`. */
function isXmlChar(code: number): boolean {
  return (
    code === TAB ||
    code === LF ||
    code === CR ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** The text of an entity or character reference (what comes between `&` and `;`), or undefined. */
function referencedText(reference: string): string | undefined {
  if (Object.hasOwn(namedEntities, reference)) return namedEntities[reference];
  const match = characterReference.exec(reference);
  if (!match) return undefined;
  const code = match[1] === undefined ? parseInt(match[2] ?? '', 16) : parseInt(match[1], 10);
  return isXmlChar(code) ? String.fromCodePoint(code) : undefined;
}

/**
 * `raw` with XML's five entities and its character references replaced by
 * what they stand for; undefined if a reference is anything else (an
 * undefined entity, `&` without `;`, a reference to a character XML forbids).
 *
 * @example
 * ```ts
 * decodeReferences('&lt;1m&gt; &amp; &#x1F52D;'); // '<1m> & 🔭'
 * decodeReferences('&bogus;'); // undefined
 * ```
 */
export function decodeReferences(raw: string): string | undefined {
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
