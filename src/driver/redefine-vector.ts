import type { DefVector, PropertyPerm } from '../protocol/messages.js';
import { UnknownPropertyError } from './unknown-property-error.js';
import type { MemberName, VectorDefinition } from './vector-definition.js';

/**
 * What may change in a member: its label; for numbers also the format and range.
 *
 * @example
 * ```ts
 * const eqCoordinates = mount.vectors.EQUATORIAL_EOD_COORD;
 * const dec: MemberChanges<typeof eqCoordinates> = { label: 'Dec', format: '%9.4f', min: -30, max: 30 };
 * ```
 */
export type MemberChanges<V extends VectorDefinition> = V extends { readonly kind: 'number' }
  ? {
      readonly label?: string;
      /** printf or INDI sexagesimal (`%010.6m`) format. */
      readonly format?: string;
      readonly min?: number;
      readonly max?: number;
      readonly step?: number;
    }
  : { readonly label?: string };

/**
 * What may change in a vector's definition; `perm` and `timeout` not for
 * lights (INDI 1.7 `defLightVector` has neither).
 *
 * @example
 * ```ts
 * const eqCoordinates = mount.vectors.EQUATORIAL_EOD_COORD;
 * const changes: VectorChanges<typeof eqCoordinates> = { label: 'Target', members: { DEC: { format: '%9.4f' } } };
 * ```
 */
export interface VectorChanges<V extends VectorDefinition = VectorDefinition> {
  readonly label?: string;
  readonly group?: string;
  readonly perm?: V extends { readonly kind: 'light' } ? never : PropertyPerm;
  readonly timeout?: V extends { readonly kind: 'light' } ? never : number;
  readonly members?: Readonly<Partial<Record<MemberName<V>, MemberChanges<V>>>>;
}

/**
 * A vector's definition with `changes` applied; values and state are kept.
 * Members the definition does not have are a programming error
 * ({@link UnknownPropertyError}), and so is a format or range for a member
 * that is not a number, or a perm or timeout for lights (TypeError).
 *
 * @example
 * ```ts
 * redefineVector(coordinatesDef, { members: { DEC: { min: -30, max: 30, format: '%9.4f' } } });
 * ```
 */
export function redefineVector(def: DefVector, changes: VectorChanges): DefVector {
  const { members: memberChanges = {}, ...header } = changes;
  const where = `${def.device}.${def.name}`;
  if (def.type === 'defLightVector' && (header.perm !== undefined || header.timeout !== undefined))
    throw new TypeError(`${where} is a light vector: it has no perm or timeout to change`);
  const byName: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>> = memberChanges;
  for (const [name, change = {}] of Object.entries(byName)) {
    if (!def.members.some((member) => member.name === name))
      throw new UnknownPropertyError(def.device, def.name, name);
    if (def.type !== 'defNumberVector' && Object.keys(change).some((key) => key !== 'label'))
      throw new TypeError(`${where} is not a number vector: only the labels of its members can change`);
  }
  const members = (def.members as readonly { readonly name: string }[]).map((member) => ({
    ...member,
    ...byName[member.name],
  }));
  return { ...def, ...header, members } as DefVector;
}
