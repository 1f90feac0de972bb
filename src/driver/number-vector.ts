import type { WritableVectorOptions } from './vector-definition.js';

/**
 * One member of a number vector (INDI 1.7 `defNumber`): its printf (or `%m`
 * sexagesimal) format, its range, step and initial value. Clients show and
 * edit the number with the format; requests out of range never reach a handler.
 *
 * @example
 * ```ts
 * const duration: NumberMemberDefinition = { label: 'Duration (s)', format: '%5.2f', min: 0.001, max: 3600, step: 1, value: 1 };
 * const exposure = numberVector({ label: 'Expose', group: 'Main Control', members: { CCD_EXPOSURE_VALUE: duration } });
 * ```
 */
export interface NumberMemberDefinition {
  readonly label?: string;
  /** printf or INDI sexagesimal (`%010.6m`) format. Default '%g'. */
  readonly format?: string;
  /** Requests outside `min` … `max` are rejected (as libindi's IUUpdateNumber does). */
  readonly min: number;
  readonly max: number;
  /** Default 0 (no step). */
  readonly step?: number;
  /** Default `min`. */
  readonly value?: number;
}

/**
 * What {@link numberVector} takes: the vector's attributes and its members
 * keyed by member name. Name it when a helper builds specs for several devices.
 *
 * @example
 * ```ts
 * const temperature = (max: number): NumberVectorSpec<'CCD_TEMPERATURE_VALUE'> => ({
 *   label: 'Temperature (C)',
 *   group: 'Main Control',
 *   members: { CCD_TEMPERATURE_VALUE: { format: '%5.2f', min: -50, max, step: 0.5, value: 20 } },
 * });
 * const ccdTemperature = numberVector(temperature(50));
 * ```
 */
export interface NumberVectorSpec<M extends string = string> extends WritableVectorOptions {
  readonly members: Readonly<Record<M, NumberMemberDefinition>>;
}

/**
 * A number vector (INDI 1.7 `defNumberVector`), as {@link numberVector}
 * returns it: its spec tagged with `kind: 'number'`, member names kept as a type.
 *
 * @example
 * ```ts
 * const exposure: NumberVectorDefinition<'CCD_EXPOSURE_VALUE'> = numberVector({
 *   label: 'Expose',
 *   group: 'Main Control',
 *   members: { CCD_EXPOSURE_VALUE: { label: 'Duration (s)', format: '%5.2f', min: 0.001, max: 3600, value: 1 } },
 * });
 * ```
 */
export interface NumberVectorDefinition<M extends string = string> extends NumberVectorSpec<M> {
  readonly kind: 'number';
}

/**
 * Defines a number vector; its member names become a type.
 *
 * @example
 * ```ts
 * const eqCoordinates = numberVector({
 *   label: 'Eq. Coordinates',
 *   group: 'Main Control',
 *   timeout: 60,
 *   members: {
 *     RA: { label: 'RA (hh:mm:ss)', format: '%010.6m', min: 0, max: 24, value: 0 },
 *     DEC: { label: 'DEC (dd:mm:ss)', format: '%010.6m', min: -90, max: 90, value: 90 },
 *   },
 * });
 * ```
 */
export function numberVector<M extends string>(spec: NumberVectorSpec<M>): NumberVectorDefinition<M> {
  return { ...spec, kind: 'number' };
}
