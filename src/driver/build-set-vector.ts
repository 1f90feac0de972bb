import { match } from 'ts-pattern';
import { encodeBlob } from '../protocol/blob-data.js';
import type { DefVector, PropertyState, SetVector, SwitchState } from '../protocol/messages.js';
import { UnknownPropertyError } from './unknown-property-error.js';
import type { BlobValue, MemberName, VectorDefinition } from './vector-definition.js';

/**
 * New limits of a number member; what is left out stays as it is.
 *
 * @example
 * ```ts
 * const range: NumberRange = { min: 0, max: 5000 };
 * ```
 */
export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
}

/**
 * What a `set*Vector` says besides values; `ranges` only for number vectors.
 *
 * @example
 * ```ts
 * driver.set('Telescope Simulator', 'EQUATORIAL_EOD_COORD', { DEC: 20 }, { state: 'Busy', ranges: { DEC: { min: -30, max: 30 } } });
 * ```
 */
export interface SetOptions<V extends VectorDefinition = VectorDefinition> {
  readonly state?: PropertyState;
  /** A line for the client's log, sent with the update. */
  readonly message?: string;
  /** Seconds (not for lights). */
  readonly timeout?: number;
  /**
   * Which members go out: 'given' (default) the members passed, plus any
   * switch the rule turns Off; 'changed' only those whose value (or range) changes;
   * 'all' every member (BLOBs: only those passed, a driver keeps no BLOB data).
   */
  readonly members?: 'given' | 'changed' | 'all';
  /**
   * New min / max / step of number members, sent on their `oneNumber` (as
   * libindi's IUUpdateMinMax does; those members always go out). Requests are
   * checked against the new range from then on.
   */
  readonly ranges?: V extends { readonly kind: 'number' }
    ? Readonly<Partial<Record<MemberName<V>, NumberRange>>>
    : never;
}

type Values = Readonly<Record<string, unknown>>;

/** The members to send, in definition order, as [name, value] pairs. */
function chosen<V>(
  def: DefVector,
  current: ReadonlyMap<string, V>,
  next: ReadonlyMap<string, V>,
  given: ReadonlySet<string>,
  options: SetOptions,
): [string, V][] {
  const mode = options.members ?? 'given';
  const pairs: [string, V][] = [];
  for (const { name } of def.members) {
    const value = next.get(name);
    if (value === undefined) continue;
    // A member whose range moves goes out like one whose value changes.
    const changed = value !== current.get(name) || Object.hasOwn(options.ranges ?? {}, name);
    if (mode === 'all' || (mode === 'changed' ? changed : given.has(name) || changed))
      pairs.push([name, value]);
  }
  return pairs;
}

function plan<V>(
  def: DefVector & { readonly members: readonly { readonly name: string; readonly value: V }[] },
  values: Values,
  options: SetOptions,
  implied: (next: Map<string, V>) => void,
): [string, V][] {
  const current = new Map(def.members.map((member): [string, V] => [member.name, member.value]));
  const next = new Map(current);
  for (const [name, value] of Object.entries(values)) next.set(name, value as V);
  implied(next);
  return chosen(def, current, next, new Set(Object.keys(values)), options);
}

/**
 * The `set*Vector` that sends `values` for a vector, given its current
 * definition. For `OneOfMany` and `AtMostOne` switches, turning one member On
 * turns the others Off, and those go out too.
 *
 * @example
 * ```ts
 * buildSetVector(connectionDef, { CONNECT: 'On' }, { state: 'Ok' }, '2025-01-01T00:00:00');
 * // setSwitchVector state='Ok' with CONNECT=On and DISCONNECT=Off
 * ```
 */
export function buildSetVector(
  def: DefVector,
  values: Values,
  options: SetOptions,
  timestamp: string,
): SetVector {
  const ranges: Readonly<Record<string, NumberRange | undefined>> = options.ranges ?? {};
  for (const name of [...Object.keys(values), ...Object.keys(ranges)]) {
    if (!def.members.some((member) => member.name === name))
      throw new UnknownPropertyError(def.device, def.name, name);
  }
  if (def.type !== 'defNumberVector' && Object.keys(ranges).length > 0)
    throw new TypeError(`${def.device}.${def.name} is not a number vector: it has no ranges to change`);
  const header = {
    device: def.device,
    name: def.name,
    ...(options.state === undefined ? {} : { state: options.state }),
    ...(options.timeout === undefined || def.type === 'defLightVector' ? {} : { timeout: options.timeout }),
    timestamp,
    ...(options.message === undefined ? {} : { message: options.message }),
  };
  const noImplied = (): void => undefined;
  const pairs = <V>(entries: [string, V][]) => entries.map(([name, value]) => ({ name, value }));
  return match(def)
    .returnType<SetVector>()
    .with({ type: 'defTextVector' }, (text) => ({
      type: 'setTextVector',
      ...header,
      members: pairs(plan(text, values, options, noImplied)),
    }))
    .with({ type: 'defNumberVector' }, (number) => ({
      type: 'setNumberVector',
      ...header,
      // libindi IUUpdateMinMax: the new limits travel on oneNumber.
      members: plan(number, values, options, noImplied).map(([name, value]) => {
        const { min, max, step } = ranges[name] ?? {};
        return {
          name,
          ...(min === undefined ? {} : { min }),
          ...(max === undefined ? {} : { max }),
          ...(step === undefined ? {} : { step }),
          value,
        };
      }),
    }))
    .with({ type: 'defLightVector' }, (lights) => ({
      type: 'setLightVector',
      ...header,
      members: pairs(plan(lights, values, options, noImplied)),
    }))
    .with({ type: 'defSwitchVector' }, (switches) => {
      const turnsOneOn = switches.rule !== 'AnyOfMany' && Object.values(values).includes('On');
      const turnOthersOff = (next: Map<string, SwitchState>): void => {
        if (!turnsOneOn) return;
        for (const name of next.keys()) if (!Object.hasOwn(values, name)) next.set(name, 'Off');
      };
      return {
        type: 'setSwitchVector',
        ...header,
        members: pairs(plan(switches, values, options, turnOthersOff)),
      };
    })
    .with({ type: 'defBLOBVector' }, (blobs) => ({
      type: 'setBLOBVector',
      ...header,
      members: blobs.members.flatMap(({ name }) => {
        const blob = values[name] as BlobValue | undefined;
        if (blob === undefined) return [];
        const format = blob.format ?? '';
        return [{ name, size: blob.size ?? blob.bytes.length, format, value: encodeBlob(blob.bytes) }];
      }),
    }))
    .exhaustive();
}

/**
 * BLOB values without a format take their member's format from the
 * definition (a `def*Vector` carries none); other values are returned as they are.
 *
 * @example
 * ```ts
 * withBlobFormats(imageVector, { CCD1: { bytes } }); // { CCD1: { bytes, format: '.fits' } }
 * ```
 */
export function withBlobFormats(
  definition: VectorDefinition | undefined,
  values: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  if (definition?.kind !== 'blob') return values;
  const formats: Readonly<Record<string, { readonly format?: string }>> = definition.members;
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      const blob = value as { readonly format?: string };
      return [name, { ...blob, format: blob.format ?? formats[name]?.format ?? '' }];
    }),
  );
}
