import type { PropertyState } from '../protocol/messages.js';
import type { VectorOptions } from './vector-definition.js';

/** One `defLight` member. */
export interface LightMemberDefinition {
  readonly label?: string;
  /** Default 'Idle'. */
  readonly value?: PropertyState;
}

/** What {@link lightVector} takes: attributes and members keyed by member name. */
export interface LightVectorSpec<M extends string = string> extends VectorOptions {
  readonly members: Readonly<Record<M, LightMemberDefinition>>;
}

/** A light vector (INDI 1.7 `defLightVector`): read-only, so no perm and no timeout. */
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
