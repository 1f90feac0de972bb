import { match } from 'ts-pattern';
import type { DefVector } from '../protocol/messages.js';
import type { VectorDefinition } from './vector-definition.js';

/** `{ label }` when there is one: definitions leave out what the user left out. */
function labelled(name: string, { label }: { readonly label?: string }): { name: string; label?: string } {
  return label === undefined ? { name } : { name, label };
}

function membersOf<T>(members: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(members);
}

/**
 * The `def*Vector` message for a vector definition, with its initial values
 * and the defaults of {@link VectorOptions} (state 'Idle', perm 'rw').
 *
 * @example
 * ```ts
 * toDefVector('Mount', 'CONNECTION', connection);
 * // { type: 'defSwitchVector', device: 'Mount', name: 'CONNECTION', state: 'Idle', perm: 'rw', rule: 'OneOfMany', members: [...] }
 * ```
 */
export function toDefVector(device: string, name: string, definition: VectorDefinition): DefVector {
  const header = {
    device,
    name,
    ...(definition.label === undefined ? {} : { label: definition.label }),
    ...(definition.group === undefined ? {} : { group: definition.group }),
    state: definition.state ?? 'Idle',
  };
  const writable = (options: { readonly perm?: 'ro' | 'wo' | 'rw'; readonly timeout?: number }) => ({
    ...header,
    perm: options.perm ?? 'rw',
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  });
  return match(definition)
    .returnType<DefVector>()
    .with({ kind: 'text' }, (text) => ({
      type: 'defTextVector',
      ...writable(text),
      members: membersOf(text.members).map(([member, spec]) => ({
        ...labelled(member, spec),
        value: spec.value ?? '',
      })),
    }))
    .with({ kind: 'number' }, (number) => ({
      type: 'defNumberVector',
      ...writable(number),
      members: membersOf(number.members).map(([member, spec]) => ({
        ...labelled(member, spec),
        format: spec.format ?? '%g',
        min: spec.min,
        max: spec.max,
        step: spec.step ?? 0,
        value: spec.value ?? spec.min,
      })),
    }))
    .with({ kind: 'switch' }, (switches) => ({
      type: 'defSwitchVector',
      ...writable(switches),
      rule: switches.rule,
      members: membersOf(switches.members).map(([member, spec]) => ({
        ...labelled(member, spec),
        value: spec.value ?? 'Off',
      })),
    }))
    .with({ kind: 'light' }, (lights) => ({
      type: 'defLightVector',
      ...header,
      members: membersOf(lights.members).map(([member, spec]) => ({
        ...labelled(member, spec),
        value: spec.value ?? 'Idle',
      })),
    }))
    .with({ kind: 'blob' }, (blobs) => ({
      type: 'defBLOBVector',
      ...writable(blobs),
      members: membersOf(blobs.members).map(([member, spec]) => labelled(member, spec)),
    }))
    .exhaustive();
}
