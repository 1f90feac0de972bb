import { match } from 'ts-pattern';
import type { DefNumber, DefVector, OneNumber, SetVector } from './messages.js';

function mergeMembers<M extends { readonly name: string }, U extends { readonly name: string }>(
  members: readonly M[],
  updates: readonly U[],
  merge: (member: M, update: U) => M,
): M[] {
  const byName = new Map(updates.map((update) => [update.name, update]));
  return members.map((member) => {
    const update = byName.get(member.name);
    return update === undefined ? member : merge(member, update);
  });
}

const withValue = <M extends { readonly value: unknown }>(
  member: M,
  update: { readonly value: M['value'] },
): M => ({
  ...member,
  value: update.value,
});

/** libindi may move a number's range in a `setNumberVector`. */
const withNumber = (member: DefNumber, update: OneNumber): DefNumber => ({
  ...member,
  value: update.value,
  ...(update.min === undefined ? {} : { min: update.min }),
  ...(update.max === undefined ? {} : { max: update.max }),
  ...(update.step === undefined ? {} : { step: update.step }),
});

/**
 * A vector's definition with a `set*Vector` applied: the members it names get
 * their new values, and its state, timeout, timestamp and message replace the
 * old ones. A set of another kind than the definition changes nothing. BLOB
 * definitions hold no data, so a `setBLOBVector` only moves their state.
 *
 * @example
 * ```ts
 * const connection: DefSwitchVector = {
 *   type: 'defSwitchVector', device: 'Telescope Simulator', name: 'CONNECTION', state: 'Idle', perm: 'rw', rule: 'OneOfMany',
 *   members: [{ name: 'CONNECT', value: 'Off' }, { name: 'DISCONNECT', value: 'On' }],
 * };
 * applySetVector(connection, { type: 'setSwitchVector', device: 'Telescope Simulator', name: 'CONNECTION', state: 'Ok', members: [{ name: 'CONNECT', value: 'On' }] });
 * ```
 */
export function applySetVector(def: DefVector, set: SetVector): DefVector {
  const header = {
    ...(set.state === undefined ? {} : { state: set.state }),
    ...('timeout' in set && set.timeout !== undefined ? { timeout: set.timeout } : {}),
    ...(set.timestamp === undefined ? {} : { timestamp: set.timestamp }),
    ...(set.message === undefined ? {} : { message: set.message }),
  };
  return match([def, set] as const)
    .returnType<DefVector>()
    .with([{ type: 'defTextVector' }, { type: 'setTextVector' }], ([text, update]) => ({
      ...text,
      ...header,
      members: mergeMembers(text.members, update.members, withValue),
    }))
    .with([{ type: 'defNumberVector' }, { type: 'setNumberVector' }], ([number, update]) => ({
      ...number,
      ...header,
      members: mergeMembers(number.members, update.members, withNumber),
    }))
    .with([{ type: 'defSwitchVector' }, { type: 'setSwitchVector' }], ([switches, update]) => ({
      ...switches,
      ...header,
      members: mergeMembers(switches.members, update.members, withValue),
    }))
    .with([{ type: 'defLightVector' }, { type: 'setLightVector' }], ([lights, update]) => ({
      ...lights,
      ...header,
      members: mergeMembers(lights.members, update.members, withValue),
    }))
    .with([{ type: 'defBLOBVector' }, { type: 'setBLOBVector' }], ([blobs]) => ({ ...blobs, ...header }))
    .otherwise(() => def);
}
