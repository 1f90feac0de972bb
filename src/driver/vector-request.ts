import type { NewVector } from '../protocol/messages.js';
import type { RequestValues, VectorDefinition } from './vector-definition.js';

/**
 * A client's `new*Vector` that passed validation against the vector's
 * definition: every member exists, the vector is writable, numbers are in
 * range, the switch rule holds, BLOBs decode. Values are typed by kind.
 *
 * @example
 * ```ts
 * const eqCoordinates = mount.vectors.EQUATORIAL_EOD_COORD;
 * driver.requests('Telescope Simulator', 'EQUATORIAL_EOD_COORD').subscribe((request: VectorRequest<typeof eqCoordinates>) => {
 *   const ra = request.values.RA; // number | undefined
 * });
 * ```
 */
export interface VectorRequest<
  V extends VectorDefinition = VectorDefinition,
  Device extends string = string,
  Name extends string = string,
> {
  readonly device: Device;
  readonly name: Name;
  readonly kind: V['kind'];
  /** The members the client sent; for BLOBs the decoded bytes. */
  readonly values: Partial<RequestValues<V>>;
  readonly timestamp?: string;
  /** The request as it arrived. */
  readonly message: NewVector;
}
