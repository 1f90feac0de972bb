import type { WritableVectorOptions } from './vector-definition.js';

/** One `defBLOB` member. */
export interface BlobMemberDefinition {
  readonly label?: string;
  /** The format BLOBs of this member are sent with when none is given, e.g. '.fits'. Default ''. */
  readonly format?: string;
}

/** What {@link blobVector} takes: attributes and members keyed by member name. */
export interface BlobVectorSpec<M extends string = string> extends WritableVectorOptions {
  readonly members: Readonly<Record<M, BlobMemberDefinition>>;
}

/** A BLOB vector (INDI 1.7 `defBLOBVector`). */
export interface BlobVectorDefinition<M extends string = string> extends BlobVectorSpec<M> {
  readonly kind: 'blob';
}

/**
 * Defines a BLOB vector; its member names become a type.
 *
 * @example
 * ```ts
 * const image = blobVector({ label: 'Image', group: 'Image Info', perm: 'ro', members: { CCD1: { format: '.fits' } } });
 * ```
 */
export function blobVector<M extends string>(spec: BlobVectorSpec<M>): BlobVectorDefinition<M> {
  return { ...spec, kind: 'blob' };
}
