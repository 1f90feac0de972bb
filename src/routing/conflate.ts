import type { IndiMessage, OneLight, OneNumber, OneText, SetVector } from '../protocol/messages.js';

type Conflatable = Extract<SetVector, { type: 'setNumberVector' | 'setTextVector' | 'setLightVector' }>;

function isConflatable(message: IndiMessage): message is Conflatable {
  return (
    message.type === 'setNumberVector' ||
    message.type === 'setTextVector' ||
    message.type === 'setLightVector'
  );
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
 * it: the newer values of every member (members only in the older update,
 * and a number range only the older one moved, are kept), the newer
 * attributes, and the older state or timeout where the newer says nothing.
 * Undefined when the two must both arrive: a change of state, or a
 * `message` text on the older one.
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
  if (older.message !== undefined || (older.state ?? newer.state) !== (newer.state ?? older.state))
    return undefined;
  const ranged = (member: OneNumber | OneText | OneLight): boolean =>
    'min' in member || 'max' in member || 'step' in member;
  const keepsNothingOlder =
    (older.state === undefined || newer.state !== undefined) &&
    (!('timeout' in older) ||
      older.timeout === undefined ||
      ('timeout' in newer && newer.timeout !== undefined)) &&
    !older.members.some(ranged) &&
    older.members.every((member) => newer.members.some((update) => update.name === member.name));
  if (keepsNothingOlder) return newer;
  const newest = new Map<string, OneNumber | OneText | OneLight>(
    newer.members.map((member) => [member.name, member]),
  );
  // A member keeps what the newer update does not say (libindi moves a number's range once, then sends values).
  const members = [
    ...older.members.map((member) => ({ ...member, ...newest.get(member.name) })),
    ...newer.members.filter((member) => !older.members.some((old) => old.name === member.name)),
  ];
  const timeout =
    'timeout' in newer && newer.timeout !== undefined
      ? newer.timeout
      : 'timeout' in older
        ? older.timeout
        : undefined;
  return {
    ...newer,
    ...((newer.state ?? older.state) ? { state: newer.state ?? older.state } : {}),
    ...(timeout === undefined ? {} : { timeout }),
    members,
  } as IndiMessage;
}
