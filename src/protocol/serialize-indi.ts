import type { IndiMessage } from './messages.js';
import { indiSchema, type AttributeSpec, type ValueKind } from './schema.js';

const escapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Escapes the five XML special characters, as libindi's `entityXML` does.
 *
 * @example
 * ```ts
 * escapeXml(`Tom's "scope" <1m> & co`); // 'Tom&apos;s &quot;scope&quot; &lt;1m&gt; &amp; co'
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char] ?? char);
}

const base64LineLength = 72;

/**
 * Writes a number so that parsing it gives back exactly the same double
 * (shortest round-trip form; C's `strtod` reads it like libindi's `%.20g`).
 *
 * @example
 * ```ts
 * numberText(0.1); // '0.1'
 * ```
 */
export function numberText(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

function valueText(kind: ValueKind, value: unknown): string {
  if (kind === 'number' && typeof value === 'number') return numberText(value);
  if (kind === 'boolean') return value === true ? 'true' : 'false';
  if (kind === 'base64' && typeof value === 'string') {
    const lines: string[] = [];
    for (let at = 0; at < value.length; at += base64LineLength) {
      lines.push(value.slice(at, at + base64LineLength));
    }
    return lines.join('\n');
  }
  return escapeXml(typeof value === 'string' ? value : String(value));
}

function attributesText(specs: readonly AttributeSpec[], from: Readonly<Record<string, unknown>>): string {
  let text = '';
  for (const spec of specs) {
    const value = from[spec.name];
    if (value !== undefined) text += ` ${spec.name}="${valueText(spec.kind, value)}"`;
  }
  return text;
}

/**
 * Writes one message as INDI XML, in the layout indiserver sends its clients:
 * attributes in libindi's order, double quotes, one member per block indented
 * by four spaces, element text on its own line, a newline at the end.
 *
 * @example
 * ```ts
 * serializeIndi({ type: 'getProperties', version: '1.7' }); // '<getProperties version="1.7"/>\n'
 * ```
 */
export function serializeIndi(message: IndiMessage): string {
  const spec = indiSchema[message.type];
  const fields = message as unknown as Readonly<Record<string, unknown>>;
  const open = `<${message.type}${attributesText(spec.attributes, fields)}`;
  if (spec.text) {
    return `${open}>\n${valueText(spec.text.kind, fields[spec.text.field])}\n</${message.type}>\n`;
  }
  const members = spec.members;
  if (!members) return `${open}/>\n`;
  let text = `${open}>\n`;
  for (const member of fields.members as readonly Readonly<Record<string, unknown>>[]) {
    const memberOpen = `    <${members.element}${attributesText(members.attributes, member)}`;
    text +=
      members.value === undefined
        ? `${memberOpen}/>\n`
        : `${memberOpen}>\n${valueText(members.value, member.value)}\n    </${members.element}>\n`;
  }
  return `${text}</${message.type}>\n`;
}
