import type { PropertyState } from '../protocol/messages.js';
import type { VectorOptions } from './vector-definition.js';

/**
 * One member of a light vector (INDI 1.7 `defLight`): its label and initial
 * state ('Idle', 'Ok', 'Busy' or 'Alert').
 *
 * @example
 * ```ts
 * const rain: LightMemberDefinition = { label: 'Rain', value: 'Ok' };
 * const weatherStatus = lightVector({ label: 'Status', members: { WEATHER_RAIN_HOUR: rain } });
 * ```
 */
export interface LightMemberDefinition {
  readonly label?: string;
  /** Default 'Idle'. */
  readonly value?: PropertyState;
}

/**
 * What {@link lightVector} takes: the vector's attributes and its members
 * keyed by member name (no perm, no timeout: clients cannot write lights).
 *
 * @example
 * ```ts
 * const statusSpec: LightVectorSpec<'WEATHER_RAIN_HOUR' | 'WEATHER_WIND_SPEED'> = {
 *   label: 'Status',
 *   group: 'Main Control',
 *   members: { WEATHER_RAIN_HOUR: { label: 'Rain' }, WEATHER_WIND_SPEED: { label: 'Wind' } },
 * };
 * const weatherStatus = lightVector(statusSpec);
 * ```
 */
export interface LightVectorSpec<M extends string = string> extends VectorOptions {
  readonly members: Readonly<Record<M, LightMemberDefinition>>;
}

/**
 * A light vector (INDI 1.7 `defLightVector`), as {@link lightVector} returns
 * it: its spec tagged with `kind: 'light'`. Read-only, so no perm and no timeout.
 *
 * @example
 * ```ts
 * const weatherStatus: LightVectorDefinition<'WEATHER_RAIN_HOUR'> = lightVector({
 *   label: 'Status',
 *   members: { WEATHER_RAIN_HOUR: { label: 'Rain', value: 'Ok' } },
 * });
 * ```
 */
export interface LightVectorDefinition<M extends string = string> extends LightVectorSpec<M> {
  readonly kind: 'light';
}

/**
 * Defines a light vector; its member names become a type.
 *
 * @example
 * ```ts
 * const status = lightVector({ label: 'Status', members: { POWER: { value: 'Ok' }, MOTOR: {} } });
 * ```
 */
export function lightVector<M extends string>(spec: LightVectorSpec<M>): LightVectorDefinition<M> {
  return { ...spec, kind: 'light' };
}
