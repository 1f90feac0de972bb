import { indiSchema } from './schema.js';

/** Every element and attribute name of the schema, by first byte. */
const schemaNames: string[][] = [];
for (const [type, spec] of Object.entries(indiSchema)) {
  const names = [type, ...spec.attributes.map((attribute) => attribute.name)];
  if (spec.members)
    names.push(spec.members.element, ...spec.members.attributes.map((attribute) => attribute.name));
  for (const name of names) {
    const sameStart = (schemaNames[name.charCodeAt(0)] ??= []);
    if (!sameStart.includes(name)) sameStart.push(name);
  }
}

/**
 * Whether the ASCII `name` occurs in `bytes` at `at`.
 *
 * @example
 * ```ts
 * occursAt(Buffer.from('</oneText>'), 2, 'oneText'); // true
 * ```
 */
export function occursAt(bytes: Buffer, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (bytes[at + i] !== name.charCodeAt(i)) return false;
  return true;
}

/**
 * The schema's own string for the element or attribute name in
 * `bytes[start, end)`, if the schema has it: the parser then allocates
 * nothing for the name, and comparing it with the schema later is a pointer
 * comparison.
 *
 * @example
 * ```ts
 * schemaNameAt(Buffer.from("<oneNumber name='RA'>"), 1, 10); // 'oneNumber'
 * ```
 */
export function schemaNameAt(bytes: Buffer, start: number, end: number): string | undefined {
  const candidates = schemaNames[bytes[start] ?? 0];
  if (candidates === undefined) return undefined;
  for (const name of candidates) if (name.length === end - start && occursAt(bytes, start, name)) return name;
  return undefined;
}
