import { excerptOf, type IndiProtocolErrorReason } from './errors.js';
import type { IndiMessage } from './messages.js';
import { parseNumber } from './numbers.js';
import { indiSchema, isIndiElement, type AttributeSpec, type ValueKind } from './schema.js';
import { payloadText, type BlobPayload } from './extract-blob-payloads.js';

/**
 * One XML element, as either reader of a frame produces it (`scanElement`,
 * or `SaxesReader` for what that gives up on): entities decoded, line ends and
 * attribute whitespace normalised as XML 1.0 requires. {@link toMessage}
 * checks it against the schema, whichever reader it came from.
 */
export interface XmlElement {
  readonly name: string;
  /** Attribute names and values, alternating, in document order, no name twice. */
  readonly attributes: readonly string[];
  /** The element's own text; only ever read trimmed, so whitespace at either end may be left out. */
  text: string;
  readonly children: XmlElement[];
}

/**
 * Why an element is not a valid INDI message (or, from `SaxesReader`, not
 * well-formed XML): the reason and wording its `IndiProtocolError` gets.
 *
 * @example
 * ```ts
 * new Refusal('unknown-element', '<fooVector> is not an INDI element; skipped');
 * ```
 */
export class Refusal {
  constructor(
    readonly reason: IndiProtocolErrorReason,
    readonly detail: string,
  ) {}
}

const vocabularies: Partial<Record<ValueKind, readonly string[]>> = {
  state: ['Idle', 'Ok', 'Busy', 'Alert'],
  perm: ['ro', 'wo', 'rw'],
  rule: ['OneOfMany', 'AtMostOne', 'AnyOfMany'],
  switch: ['On', 'Off'],
  blobMode: ['Never', 'Also', 'Only'],
  boolean: ['true', 'false'],
};

/**
 * Gives a BLOB member a `value` that is made from its payload on first read
 * and kept: forwarding a BLOB never pays for copying its base64 text.
 */
function lazyValue(member: Record<string, unknown>, payload: BlobPayload | undefined): void {
  if (payload === undefined) {
    member.value = '';
    return;
  }
  Object.defineProperty(member, 'value', {
    enumerable: true,
    configurable: true,
    get(): string {
      const value = payloadText(payload);
      Object.defineProperty(member, 'value', { value, enumerable: true, writable: false });
      return value;
    },
  });
}

/** Something `toMessage` let through but reports: an unknown attribute, or a request's unreadable number. */
export type Warn = (reason: IndiProtocolErrorReason, detail: string) => void;

/**
 * Checks an element against the INDI schema and builds its message, fields
 * in schema order; BLOB members take their values from `payloads`, in order,
 * made into text only when read.
 * Unknown attributes are left out and reported to `warn`. A number a client
 * request (`new*Vector`) holds that does not parse becomes NaN and is
 * reported, so that the driver answers it (refused, with Alert) instead of
 * it vanishing; anything else that is not INDI refuses the whole element.
 *
 * @example
 * ```ts
 * toMessage({ name: 'pingReply', attributes: ['uid', '1'], text: '', children: [] }, [], console.warn);
 * // { type: 'pingReply', uid: '1' }
 * ```
 */
export function toMessage(
  element: XmlElement,
  payloads: readonly BlobPayload[],
  warn: Warn,
): IndiMessage | Refusal {
  const type = element.name;
  if (!isIndiElement(type))
    return new Refusal('unknown-element', `<${type}> is not an INDI element; skipped`);
  const spec = indiSchema[type];
  const message: Record<string, unknown> = { type };
  const refused = readAttributes(element, spec.attributes, message, warn);
  if (refused) return refused;
  const text = element.text.trim();
  if (spec.text) {
    const value = readValue(spec.text.kind, text);
    if (value instanceof Refusal) return inElement(element, value);
    message[spec.text.field] = value;
  } else if (text !== '') {
    return new Refusal('bad-value', `<${type}> holds text outside its members`);
  }
  const memberSpec = spec.members;
  if (!memberSpec) {
    if (element.children.length > 0) return new Refusal('wrong-member', `<${type}> takes no members`);
    return message as unknown as IndiMessage;
  }
  const members: Record<string, unknown>[] = [];
  let payload = 0;
  for (const child of element.children) {
    if (child.name !== memberSpec.element) {
      return new Refusal(
        'wrong-member',
        `<${child.name}> inside <${type}>, which holds <${memberSpec.element}>`,
      );
    }
    if (child.children.length > 0) return new Refusal('too-deep', `<${child.name}> holds elements`);
    const member: Record<string, unknown> = {};
    const memberRefused = readAttributes(child, memberSpec.attributes, member, warn);
    if (memberRefused) return memberRefused;
    if (memberSpec.value === 'base64') {
      lazyValue(member, payloads[payload++]);
    } else if (memberSpec.value !== undefined) {
      const value = readValue(memberSpec.value, child.text.trim());
      if (value instanceof Refusal && memberSpec.value === 'number' && type.startsWith('new')) {
        warn('bad-value', `${inElement(child, value).detail}; passed on as NaN for the driver to refuse`);
        member.value = NaN;
      } else if (value instanceof Refusal) {
        return inElement(child, value);
      } else {
        member.value = value;
      }
    }
    members.push(member);
  }
  message.members = members;
  return message as unknown as IndiMessage;
}

/** The value of the attribute `name`, if the element has it. */
function attribute(element: XmlElement, name: string): string | undefined {
  const { attributes } = element;
  for (let i = 0; i < attributes.length; i += 2) {
    if (attributes[i] === name) return attributes[i + 1];
  }
  return undefined;
}

function inElement(element: XmlElement, refusal: Refusal): Refusal {
  const name = attribute(element, 'name');
  const where = name === undefined ? `<${element.name}>` : `<${element.name} name='${name}'>`;
  return new Refusal(refusal.reason, `${where}: ${refusal.detail}`);
}

/** Reads the attributes `specs` lists into `into`, in spec order; warns of the others. */
function readAttributes(
  element: XmlElement,
  specs: readonly AttributeSpec[],
  into: Record<string, unknown>,
  warn: Warn,
): Refusal | undefined {
  let known = 0;
  for (const spec of specs) {
    const text = attribute(element, spec.name);
    if (text === undefined) {
      if (spec.required)
        return new Refusal('missing-attribute', `<${element.name}> needs a '${spec.name}' attribute`);
      continue;
    }
    known += 1;
    const value = readValue(spec.kind, text);
    if (value instanceof Refusal)
      return inElement(element, new Refusal(value.reason, `${spec.name}: ${value.detail}`));
    into[spec.name] = value;
  }
  const { attributes } = element;
  if (known * 2 === attributes.length) return undefined;
  for (let i = 0; i < attributes.length; i += 2) {
    const name = attributes[i];
    if (!specs.some((spec) => spec.name === name))
      warn('unknown-attribute', `<${element.name}> has an unknown attribute '${name}'; ignored`);
  }
  return undefined;
}

function readValue(kind: ValueKind, text: string): string | number | boolean | Refusal {
  if (kind === 'text' || kind === 'base64') return text;
  if (kind === 'number') {
    return parseNumber(text) ?? new Refusal('bad-value', `'${excerptOf(text)}' is not a number`);
  }
  const allowed = vocabularies[kind] ?? [];
  if (!allowed.includes(text)) {
    return new Refusal('bad-value', `'${excerptOf(text)}' is not one of ${allowed.join(', ')}`);
  }
  return kind === 'boolean' ? text === 'true' : text;
}
