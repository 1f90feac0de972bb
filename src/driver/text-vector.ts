import type { WritableVectorOptions } from './vector-definition.js';

/**
 * One member of a text vector (INDI 1.7 `defText`): its label and the value
 * clients see until the driver sets another.
 *
 * @example
 * ```ts
 * const driverExec: TextMemberDefinition = { label: 'Exec', value: 'indi_simulator_telescope' };
 * const info = textVector({ perm: 'ro', members: { DRIVER_EXEC: driverExec } });
 * ```
 */
export interface TextMemberDefinition {
  readonly label?: string;
  /** Default ''. */
  readonly value?: string;
}

/**
 * What {@link textVector} takes: the vector's attributes and its members keyed
 * by member name. Name it when a helper builds specs for several devices.
 *
 * @example
 * ```ts
 * const siteName = (name: string): TextVectorSpec<'SITE_NAME'> => ({
 *   label: 'Site',
 *   group: 'Site Management',
 *   members: { SITE_NAME: { label: 'Name', value: name } },
 * });
 * const site = textVector(siteName('Backyard'));
 * ```
 */
export interface TextVectorSpec<M extends string = string> extends WritableVectorOptions {
  readonly members: Readonly<Record<M, TextMemberDefinition>>;
}

/**
 * A text vector (INDI 1.7 `defTextVector`), as {@link textVector} returns it:
 * its spec tagged with `kind: 'text'`, member names kept as a type.
 *
 * @example
 * ```ts
 * const info: TextVectorDefinition<'DRIVER_NAME' | 'DRIVER_EXEC'> = textVector({
 *   label: 'Driver Info',
 *   group: 'General Info',
 *   perm: 'ro',
 *   members: { DRIVER_NAME: { value: 'Telescope Simulator' }, DRIVER_EXEC: { value: 'indi_simulator_telescope' } },
 * });
 * ```
 */
export interface TextVectorDefinition<M extends string = string> extends TextVectorSpec<M> {
  readonly kind: 'text';
}

/**
 * Defines a text vector; its member names become a type, so values sent and
 * requests received are checked by the compiler. Members keep the order
 * written (names that look like array indices, such as '1', come first).
 *
 * @example
 * ```ts
 * const info = textVector({
 *   label: 'Driver info',
 *   group: 'General Info',
 *   perm: 'ro',
 *   members: { DRIVER_NAME: { label: 'Name', value: 'My mount' }, DRIVER_VERSION: { value: '1.0' } },
 * });
 * ```
 */
export function textVector<M extends string>(spec: TextVectorSpec<M>): TextVectorDefinition<M> {
  return { ...spec, kind: 'text' };
}
