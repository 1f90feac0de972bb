import { SaxesParser } from 'saxes';
import { IndiProtocolError, excerptOf, type IndiProtocolErrorReason } from './errors.js';
import type { IndiFrame } from './frame-indi.js';
import type { IndiMessage } from './messages.js';
import { parseNumber } from './numbers.js';
import { indiSchema, isIndiElement, type AttributeSpec, type ValueKind } from './schema.js';
import { rememberOriginalText } from './original-text.js';
import { extractBlobPayloads } from './extract-blob-payloads.js';

interface ElementNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  text: string;
  readonly children: ElementNode[];
}

const vocabularies: Partial<Record<ValueKind, readonly string[]>> = {
  state: ['Idle', 'Ok', 'Busy', 'Alert'],
  perm: ['ro', 'wo', 'rw'],
  rule: ['OneOfMany', 'AtMostOne', 'AnyOfMany'],
  switch: ['On', 'Off'],
  blobMode: ['Never', 'Also', 'Only'],
  boolean: ['true', 'false'],
};

class Refusal {
  constructor(
    readonly reason: IndiProtocolErrorReason,
    readonly detail: string,
  ) {}
}

/**
 * Turns framed elements into typed messages with one reusable saxes parser.
 * BLOB payloads are cut out of the bytes before saxes sees them, so base64
 * never goes through the character-by-character XML state machine.
 */
export class FrameDecoder {
  private readonly sax = new SaxesParser();
  private stack: ElementNode[] = [];
  private root: ElementNode | undefined;
  private xmlError: string | undefined;

  constructor(private readonly onProblem: (problem: IndiProtocolError) => void) {
    this.sax.on('opentag', (tag) => {
      const node: ElementNode = { name: tag.name, attributes: tag.attributes, text: '', children: [] };
      const parent = this.stack.at(-1);
      if (parent) parent.children.push(node);
      else this.root = node;
      this.stack.push(node);
    });
    const appendText = (text: string): void => {
      const node = this.stack.at(-1);
      if (node) node.text += text;
    };
    this.sax.on('text', appendText);
    this.sax.on('cdata', appendText);
    this.sax.on('closetag', () => {
      this.stack.pop();
    });
    this.sax.on('error', (error) => {
      this.xmlError ??= error.message;
    });
  }

  /** The frame's message, or undefined when it was refused (and reported). */
  decode(frame: IndiFrame): IndiMessage | undefined {
    const { xml, payloads, payloadProblem } = extractBlobPayloads(frame.bytes);
    const problem = (reason: IndiProtocolErrorReason, detail: string): undefined => {
      this.onProblem(new IndiProtocolError(reason, detail, frame.offset, excerptOf(xml)));
      return undefined;
    };
    if (payloadProblem !== undefined) return problem('bad-base64', payloadProblem);
    const { root, xmlError } = this.parseXml(xml);
    if (xmlError !== undefined) return problem('malformed-xml', `malformed XML: ${xmlError}`);
    if (!root) return problem('malformed-xml', 'no element');
    const result = this.toMessage(root, payloads, (detail) => problem('unknown-attribute', detail));
    if (result instanceof Refusal) return problem(result.reason, result.detail);
    rememberOriginalText(result, frame.bytes);
    return result;
  }

  private parseXml(xml: string): { root: ElementNode | undefined; xmlError: string | undefined } {
    this.root = undefined;
    this.stack = [];
    this.xmlError = undefined;
    this.sax.write(xml).close();
    return { root: this.root, xmlError: this.xmlError };
  }

  private toMessage(
    node: ElementNode,
    payloads: readonly string[],
    warn: (detail: string) => void,
  ): IndiMessage | Refusal {
    if (!isIndiElement(node.name)) {
      return new Refusal('unknown-element', `<${node.name}> is not an INDI element; skipped`);
    }
    const spec = indiSchema[node.name];
    const message: Record<string, unknown> = { type: node.name };
    const refused = readAttributes(node, spec.attributes, message, warn);
    if (refused) return refused;
    const text = node.text.trim();
    if (spec.text) {
      const value = readValue(spec.text.kind, text);
      if (value instanceof Refusal) return inElement(node, value);
      message[spec.text.field] = value;
    } else if (text !== '') {
      return new Refusal('bad-value', `<${node.name}> holds text outside its members`);
    }
    const memberSpec = spec.members;
    if (!memberSpec) {
      if (node.children.length > 0) return new Refusal('wrong-member', `<${node.name}> takes no members`);
      return message as unknown as IndiMessage;
    }
    const members: Record<string, unknown>[] = [];
    let payload = 0;
    for (const child of node.children) {
      if (child.name !== memberSpec.element) {
        return new Refusal(
          'wrong-member',
          `<${child.name}> inside <${node.name}>, which holds <${memberSpec.element}>`,
        );
      }
      if (child.children.length > 0) return new Refusal('too-deep', `<${child.name}> holds elements`);
      const member: Record<string, unknown> = {};
      const memberRefused = readAttributes(child, memberSpec.attributes, member, warn);
      if (memberRefused) return memberRefused;
      if (memberSpec.value === 'base64') {
        member.value = payloads[payload++] ?? '';
      } else if (memberSpec.value !== undefined) {
        const value = readValue(memberSpec.value, child.text.trim());
        if (value instanceof Refusal) return inElement(child, value);
        member.value = value;
      }
      members.push(member);
    }
    message.members = members;
    return message as unknown as IndiMessage;
  }
}

function inElement(node: ElementNode, refusal: Refusal): Refusal {
  const name = node.attributes.name;
  const where = name === undefined ? `<${node.name}>` : `<${node.name} name='${name}'>`;
  return new Refusal(refusal.reason, `${where}: ${refusal.detail}`);
}

function readAttributes(
  node: ElementNode,
  specs: readonly AttributeSpec[],
  into: Record<string, unknown>,
  warn: (detail: string) => void,
): Refusal | undefined {
  for (const spec of specs) {
    const text = node.attributes[spec.name];
    if (text === undefined) {
      if (spec.required)
        return new Refusal('missing-attribute', `<${node.name}> needs a '${spec.name}' attribute`);
      continue;
    }
    const value = readValue(spec.kind, text);
    if (value instanceof Refusal)
      return inElement(node, new Refusal(value.reason, `${spec.name}: ${value.detail}`));
    into[spec.name] = value;
  }
  for (const name of Object.keys(node.attributes)) {
    if (!specs.some((spec) => spec.name === name))
      warn(`<${node.name}> has an unknown attribute '${name}'; ignored`);
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
