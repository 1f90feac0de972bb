import type { WritableVectorOptions } from './vector-definition.js';

/**
 * One member of a BLOB vector (INDI 1.7 `defBLOB`): its label and the format
 * its BLOBs are sent with when the driver gives none.
 *
 * @example
 * ```ts
 * const ccd1: BlobMemberDefinition = { label: 'Image', format: '.fits' };
 * const image = blobVector({ perm: 'ro', members: { CCD1: ccd1 } });
 * ```
 */
export interface BlobMemberDefinition {
  readonly label?: string;
  /** The format BLOBs of this member are sent with when none is given, e.g. '.fits'. Default ''. */
  readonly format?: string;
}

/**
 * What {@link blobVector} takes: the vector's attributes and its members keyed
 * by member name. Name it when a helper builds specs for several devices.
 *
 * @example
 * ```ts
 * const imageSpec: BlobVectorSpec<'CCD1'> = {
 *   label: 'Image Data',
 *   group: 'Image Info',
 *   perm: 'ro',
 *   members: { CCD1: { label: 'Image', format: '.fits' } },
 * };
 * const image = blobVector(imageSpec);
 * ```
 */
export interface BlobVectorSpec<M extends string = string> extends WritableVectorOptions {
  readonly members: Readonly<Record<M, BlobMemberDefinition>>;
}

/**
 * A BLOB vector (INDI 1.7 `defBLOBVector`), as {@link blobVector} returns it:
 * its spec tagged with `kind: 'blob'`, member names kept as a type.
 *
 * @example
 * ```ts
 * const image: BlobVectorDefinition<'CCD1'> = blobVector({ perm: 'ro', members: { CCD1: { format: '.fits' } } });
 * ```
 */
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
