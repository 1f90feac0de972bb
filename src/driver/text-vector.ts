import type { WritableVectorOptions } from './vector-definition.js';

/** One `defText` member. */
export interface TextMemberDefinition {
  readonly label?: string;
  /** Default ''. */
  readonly value?: string;
}

/** What {@link textVector} takes: attributes and members keyed by member name. */
export interface TextVectorSpec<M extends string = string> extends WritableVectorOptions {
  readonly members: Readonly<Record<M, TextMemberDefinition>>;
}

/** A text vector (INDI 1.7 `defTextVector`). */
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
