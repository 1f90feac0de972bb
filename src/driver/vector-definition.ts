import type { PropertyPerm, PropertyState, SwitchState } from '../protocol/messages.js';
import type { IndiVectorKind } from '../protocol/check-new-vector.js';
import type { BlobVectorDefinition } from './blob-vector.js';
import type { LightVectorDefinition } from './light-vector.js';
import type { NumberVectorDefinition } from './number-vector.js';
import type { SwitchVectorDefinition } from './switch-vector.js';
import type { TextVectorDefinition } from './text-vector.js';

/**
 * Attributes every vector has (INDI 1.7 `def*Vector`): the label and group
 * clients show it under, and its initial state.
 *
 * @example
 * ```ts
 * const mainControl: VectorOptions = { group: 'Main Control', state: 'Idle' };
 * const status = lightVector({ ...mainControl, label: 'Status', members: { SCOPE_PARKED: {} } });
 * ```
 */
export interface VectorOptions {
  readonly label?: string;
  readonly group?: string;
  /** Default 'Idle'. */
  readonly state?: PropertyState;
}

/**
 * Attributes of vectors a client may write, every kind but lights: those of
 * {@link VectorOptions}, plus who may write it and how long a change may take.
 *
 * @example
 * ```ts
 * const slew: WritableVectorOptions = { label: 'Eq. Coordinates', group: 'Main Control', perm: 'rw', timeout: 60 };
 * const eqCoordinates = numberVector({
 *   ...slew,
 *   members: { RA: { format: '%010.6m', min: 0, max: 24 }, DEC: { format: '%010.6m', min: -90, max: 90 } },
 * });
 * ```
 */
export interface WritableVectorOptions extends VectorOptions {
  /** Default 'rw'. */
  readonly perm?: PropertyPerm;
  /** Seconds a client should wait for a change to complete (INDI 1.7 `timeout`). */
  readonly timeout?: number;
}

/**
 * One property vector of a device, of any kind, as written with
 * {@link textVector}, {@link numberVector}, {@link switchVector},
 * {@link lightVector} or {@link blobVector}.
 *
 * @example
 * ```ts
 * const connection = switchVector({ rule: 'OneOfMany', members: { CONNECT: {}, DISCONNECT: { value: 'On' } } });
 * const vectors: Record<string, VectorDefinition> = { CONNECTION: connection };
 * ```
 */
export type VectorDefinition =
  | TextVectorDefinition
  | NumberVectorDefinition
  | SwitchVectorDefinition
  | LightVectorDefinition
  | BlobVectorDefinition;

/**
 * What kind of vector a definition is: 'text' | 'number' | 'switch' | 'light'
 * | 'blob', the `kind` that {@link textVector} and the others set.
 *
 * @example
 * ```ts
 * const kinds = Object.values(mount.vectors).map((vector): VectorKind => vector.kind); // ['switch', 'number']
 * ```
 */
export type VectorKind = IndiVectorKind;

/**
 * BLOB bytes a driver sends: `format` defaults to the member's, `size` (the
 * uncompressed size, INDI 1.7) to the byte length.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const image: BlobValue = { bytes: readFileSync('m42.fits'), format: '.fits' };
 * ```
 */
export interface BlobValue {
  readonly bytes: Uint8Array;
  readonly format?: string;
  readonly size?: number;
}

/**
 * BLOB bytes a client sent, decoded from base64, with the format and size it declared.
 *
 * @example
 * ```ts
 * const received: ReceivedBlob = { bytes: new Uint8Array([1, 2]), format: '.bin', size: 2 };
 * ```
 */
export interface ReceivedBlob extends BlobValue {
  readonly format: string;
  readonly size: number;
}

/**
 * The type of one member's value a driver sends, for each kind of vector.
 *
 * @example
 * ```ts
 * const exposure: SentValues['number'] = 1.5;
 * ```
 */
export interface SentValues {
  text: string;
  number: number;
  switch: SwitchState;
  light: PropertyState;
  blob: BlobValue;
}

/**
 * The type of one member's value in a client's request, for each kind of
 * vector (lights cannot be requested; BLOBs arrive decoded).
 *
 * @example
 * ```ts
 * const asked: ReceivedValues['switch'] = 'On';
 * ```
 */
export interface ReceivedValues extends Omit<SentValues, 'blob'> {
  blob: ReceivedBlob;
}

/**
 * The member names of a vector definition, as a string literal union.
 *
 * @example
 * ```ts
 * const eqCoordinates = mount.vectors.EQUATORIAL_EOD_COORD;
 * type Coordinates = MemberName<typeof eqCoordinates>; // 'RA' | 'DEC'
 * ```
 */
export type MemberName<V extends VectorDefinition> = keyof V['members'] & string;

/**
 * The values a driver sends for a vector's members, typed by kind: numbers,
 * strings, 'On' | 'Off', light states, or {@link BlobValue}.
 *
 * @example
 * ```ts
 * const eqCoordinates = mount.vectors.EQUATORIAL_EOD_COORD;
 * const target: VectorValues<typeof eqCoordinates> = { RA: 5.5, DEC: -5.4 };
 * ```
 */
export type VectorValues<V extends VectorDefinition> = {
  readonly [K in MemberName<V>]: SentValues[V['kind']];
};

/**
 * The values a client's request carries, typed by kind; BLOBs arrive decoded ({@link ReceivedBlob}).
 *
 * @example
 * ```ts
 * const eqCoordinates = mount.vectors.EQUATORIAL_EOD_COORD;
 * const asked: Partial<RequestValues<typeof eqCoordinates>> = { RA: 5.5 };
 * ```
 */
export type RequestValues<V extends VectorDefinition> = {
  readonly [K in MemberName<V>]: ReceivedValues[V['kind']];
};

/**
 * The values a driver holds for a vector's members: what it last defined or
 * set, typed by kind like {@link VectorValues}. A driver keeps no BLOB data,
 * so a BLOB vector has none.
 *
 * @example
 * ```ts
 * const eqCoordinates = mount.vectors.EQUATORIAL_EOD_COORD;
 * const now: CurrentValues<typeof eqCoordinates> = driver.values('Telescope Simulator', 'EQUATORIAL_EOD_COORD'); // { RA: 5.5, DEC: -5.4 }
 * ```
 */
export type CurrentValues<V extends VectorDefinition> = V extends { readonly kind: 'blob' }
  ? { readonly [K in MemberName<V>]?: never }
  : VectorValues<V>;
