import type { WritableVectorOptions } from './vector-definition.js';

/** One `defNumber` member: its printf (or `%m` sexagesimal) format and range. */
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

/** What {@link numberVector} takes: attributes and members keyed by member name. */
export interface NumberVectorSpec<M extends string = string> extends WritableVectorOptions {
  readonly members: Readonly<Record<M, NumberMemberDefinition>>;
}

/** A number vector (INDI 1.7 `defNumberVector`). */
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
