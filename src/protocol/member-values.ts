import type { DefVector } from '../protocol/messages.js';

/**
 * A vector's member values by member name: numbers for number vectors,
 * 'On' / 'Off' for switches, states for lights, text for text; BLOB members
 * hold no value in a definition and are left out.
 *
 * @example
 * ```ts
 * client.watch('Telescope Simulator', 'CONNECTION').pipe(
 *   filter((vector) => vector !== undefined && memberValues(vector).CONNECT === 'On'),
 * );
 * ```
 */
export function memberValues(vector: DefVector): Readonly<Record<string, string | number>> {
  const values: Record<string, string | number> = {};
  for (const member of vector.members) if ('value' in member) values[member.name] = member.value;
  return values;
}
