import type { SwitchRule, SwitchState } from '../protocol/messages.js';
import type { WritableVectorOptions } from './vector-definition.js';

/**
 * One member of a switch vector (INDI 1.7 `defSwitch`): its label and initial
 * state, 'On' or 'Off'.
 *
 * @example
 * ```ts
 * const trackOff: SwitchMemberDefinition = { label: 'Off', value: 'On' };
 * const trackState = switchVector({ rule: 'OneOfMany', members: { TRACK_ON: { label: 'On' }, TRACK_OFF: trackOff } });
 * ```
 */
export interface SwitchMemberDefinition {
  readonly label?: string;
  /** Default 'Off'. */
  readonly value?: SwitchState;
}

/**
 * What {@link switchVector} takes: the vector's attributes, its rule, and its
 * members keyed by member name. Name it when a helper builds specs for several devices.
 *
 * @example
 * ```ts
 * const connectionSpec: SwitchVectorSpec<'CONNECT' | 'DISCONNECT'> = {
 *   label: 'Connection',
 *   group: 'Main Control',
 *   rule: 'OneOfMany',
 *   members: { CONNECT: { label: 'Connect' }, DISCONNECT: { label: 'Disconnect', value: 'On' } },
 * };
 * const connection = switchVector(connectionSpec);
 * ```
 */
export interface SwitchVectorSpec<M extends string = string> extends WritableVectorOptions {
  /** INDI 1.7 `switchRule`: checked on every client request. */
  readonly rule: SwitchRule;
  readonly members: Readonly<Record<M, SwitchMemberDefinition>>;
}

/**
 * A switch vector (INDI 1.7 `defSwitchVector`), as {@link switchVector}
 * returns it: its spec tagged with `kind: 'switch'`, member names kept as a type.
 *
 * @example
 * ```ts
 * const abort: SwitchVectorDefinition<'ABORT'> = switchVector({
 *   label: 'Abort Motion',
 *   group: 'Main Control',
 *   rule: 'AtMostOne',
 *   members: { ABORT: { label: 'Abort' } },
 * });
 * ```
 */
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
