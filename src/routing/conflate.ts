import type { IndiMessage, OneLight, OneNumber, OneText, SetVector } from '../protocol/messages.js';

type Conflatable = Extract<SetVector, { type: 'setNumberVector' | 'setTextVector' | 'setLightVector' }>;

function isConflatable(message: IndiMessage): message is Conflatable {
  return message.type === 'setNumberVector' || message.type === 'setTextVector' || message.type === 'setLightVector';
}

/**
 * The key under which a queued message may be replaced by a newer one: set
 * vectors of numbers, texts and lights, per device and vector. Switches,
 * BLOBs, definitions, deletions and messages have none: they are never
 * conflated away.
 *
 * @example
 * ```ts
 * conflationKey({ type: 'setNumberVector', device: 'Scope', name: 'RA_DEC', members: [] }); // 'Scope\u0000RA_DEC'
 * ```
 */
export function conflationKey(message: IndiMessage): string | undefined {
  return isConflatable(message) ? `${message.device}\u0000${message.name}` : undefined;
}

/**
 * One update standing for two of the same vector, when nothing is lost by
 * it: the newer values of every member (members only in the older update
 * keep theirs), the newer attributes. Undefined when the two must both
 * arrive: a change of state, or a `message` text on the older one.
 *
 * @example
 * ```ts
 * conflate(
 *   { type: 'setNumberVector', device: 'Scope', name: 'RA_DEC', state: 'Busy', members: [{ name: 'RA', value: 1 }] },
 *   { type: 'setNumberVector', device: 'Scope', name: 'RA_DEC', state: 'Busy', members: [{ name: 'RA', value: 2 }] },
 * ); // the second, RA = 2
 * ```
 */
export function conflate(older: IndiMessage, newer: IndiMessage): IndiMessage | undefined {
  if (!isConflatable(older) || !isConflatable(newer) || older.type !== newer.type) return undefined;
  if (older.device !== newer.device || older.name !== newer.name) return undefined;
  if (older.message !== undefined || (older.state ?? newer.state) !== (newer.state ?? older.state)) return undefined;
  if (older.members.every((member) => newer.members.some((update) => update.name === member.name))) return newer;
  const newest = new Map<string, OneNumber | OneText | OneLight>(newer.members.map((member) => [member.name, member]));
  const members = [
    ...older.members.map((member) => newest.get(member.name) ?? member),
    ...newer.members.filter((member) => !older.members.some((old) => old.name === member.name)),
  ];
  return { ...newer, members } as IndiMessage;
}
