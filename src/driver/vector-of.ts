import type { DeviceDefinition } from './define-device.js';
import type { VectorDefinition } from './vector-definition.js';
import type { VectorRequest } from './vector-request.js';

/**
 * The device of `D` named `N` (every device, for an untyped `DeviceDefinition`).
 *
 * @example
 * ```ts
 * const focuser = defineDevice('Focuser', { ABS_FOCUS_POSITION: numberVector({ members: { FOCUS_ABSOLUTE_POSITION: { min: 0, max: 5000 } } }) });
 * type Mount = Named<typeof mount | typeof focuser, 'Telescope Simulator'>; // typeof mount
 * ```
 */
export type Named<D extends DeviceDefinition, N extends string> = D extends { readonly name: infer Name }
  ? N extends Name
    ? D
    : never
  : never;
/**
 * The vector names of device `N` among devices `D`, as a string literal union.
 *
 * @example
 * ```ts
 * type MountVectors = VectorNameOf<typeof mount, 'Telescope Simulator'>; // 'CONNECTION' | 'EQUATORIAL_EOD_COORD' | …
 * ```
 */
export type VectorNameOf<D extends DeviceDefinition, N extends D['name']> = keyof Named<D, N>['vectors'] &
  string;
/**
 * The definition of vector `V` of device `N` among devices `D`.
 *
 * @example
 * ```ts
 * type Coordinates = VectorOf<typeof mount, 'Telescope Simulator', 'EQUATORIAL_EOD_COORD'>; // NumberVectorDefinition<'RA' | 'DEC'>
 * ```
 */
export type VectorOf<D extends DeviceDefinition, N extends D['name'], V extends VectorNameOf<D, N>> = Extract<
  Named<D, N>['vectors'][V],
  VectorDefinition
>;
/**
 * Any valid request for device `N`, discriminated by vector `name`.
 *
 * @example
 * ```ts
 * driver.requests('Telescope Simulator').subscribe((request: DeviceRequest<typeof mount, 'Telescope Simulator'>) => {
 *   if (request.name === 'EQUATORIAL_EOD_COORD') console.log(request.values.RA);
 * });
 * ```
 */
export type DeviceRequest<D extends DeviceDefinition, N extends D['name']> = {
  [V in VectorNameOf<D, N>]: VectorRequest<VectorOf<D, N, V>, N, V>;
}[VectorNameOf<D, N>];
