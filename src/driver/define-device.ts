import type { VectorDefinition } from './vector-definition.js';

/**
 * A device's vectors, keyed by vector name: what {@link defineDevice} takes.
 * Check a set of vectors against it with `satisfies`, which keeps their literal types.
 *
 * @example
 * ```ts
 * const telescopeVectors = {
 *   CONNECTION: switchVector({ rule: 'OneOfMany', members: { CONNECT: {}, DISCONNECT: { value: 'On' } } }),
 *   EQUATORIAL_EOD_COORD: numberVector({
 *     timeout: 60,
 *     members: { RA: { format: '%010.6m', min: 0, max: 24 }, DEC: { format: '%010.6m', min: -90, max: 90 } },
 *   }),
 * } satisfies VectorDefinitions;
 * const telescope = defineDevice('Telescope Simulator', telescopeVectors);
 * ```
 */
export type VectorDefinitions = Readonly<Record<string, VectorDefinition>>;

/**
 * A device, as {@link defineDevice} returns it: its name and its vectors,
 * both kept as literal types so that {@link indiDriver} checks every device,
 * vector and member name. Without type arguments it stands for any device.
 *
 * @example
 * ```ts
 * const vectorNames = (device: DeviceDefinition): string[] => Object.keys(device.vectors);
 * vectorNames(mount); // ['CONNECTION', 'EQUATORIAL_EOD_COORD']
 * ```
 */
export interface DeviceDefinition<
  N extends string = string,
  V extends VectorDefinitions = VectorDefinitions,
> {
  readonly name: N;
  readonly vectors: V;
}

/**
 * Defines a device from its vectors, keyed by vector name. The device name,
 * the vector names and every vector's member names become types, so a
 * driver built from it ({@link indiDriver}) only accepts names that exist.
 *
 * @example
 * ```ts
 * const mount = defineDevice('Telescope Simulator', {
 *   CONNECTION: switchVector({ rule: 'OneOfMany', members: { CONNECT: {}, DISCONNECT: { value: 'On' } } }),
 *   EQUATORIAL_EOD_COORD: numberVector({
 *     members: { RA: { format: '%010.6m', min: 0, max: 24 }, DEC: { format: '%010.6m', min: -90, max: 90 } },
 *   }),
 * });
 * ```
 */
export function defineDevice<N extends string, V extends VectorDefinitions>(
  name: N,
  vectors: V,
): DeviceDefinition<N, V> {
  return { name, vectors };
}
