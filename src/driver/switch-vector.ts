import type { SwitchRule, SwitchState } from '../protocol/messages.js';
import type { WritableVectorOptions } from './vector-definition.js';

/** One `defSwitch` member. */
export interface SwitchMemberDefinition {
  readonly label?: string;
  /** Default 'Off'. */
  readonly value?: SwitchState;
}

/** What {@link switchVector} takes: attributes, rule, and members keyed by member name. */
export interface SwitchVectorSpec<M extends string = string> extends WritableVectorOptions {
  /** INDI 1.7 `switchRule`: checked on every client request. */
  readonly rule: SwitchRule;
  readonly members: Readonly<Record<M, SwitchMemberDefinition>>;
}

/** A switch vector (INDI 1.7 `defSwitchVector`). */
export interface SwitchVectorDefinition<M extends string = string> extends SwitchVectorSpec<M> {
  readonly kind: 'switch';
}

/**
 * Defines a switch vector; its member names become a type.
 *
 * @example
 * ```ts
 * const connection = switchVector({
 *   label: 'Connection',
 *   group: 'Main Control',
 *   rule: 'OneOfMany',
 *   members: { CONNECT: { label: 'Connect' }, DISCONNECT: { label: 'Disconnect', value: 'On' } },
 * });
 * ```
 */
export function switchVector<M extends string>(spec: SwitchVectorSpec<M>): SwitchVectorDefinition<M> {
  return { ...spec, kind: 'switch' };
}
