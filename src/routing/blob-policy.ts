import type { BlobMode } from '../protocol/messages.js';

/**
 * One connection's `enableBLOB` choices (INDI 1.7 §enableBLOB): per device, and
 * per vector, which overrides its device. Anything not mentioned is `Never`.
 *
 * @example
 * ```ts
 * // KStars' image connection: the CCD1 image and nothing else.
 * const policy: BlobPolicy = enableBlob(neverBlobs, 'CCD Simulator', 'CCD1', 'Only');
 * passesBlobPolicy(policy, 'CCD Simulator', 'CCD1', true); // true
 * ```
 */
export interface BlobPolicy {
  readonly devices: ReadonlyMap<string, BlobMode>;
  /** `device\u0000name` keys. */
  readonly vectors: ReadonlyMap<string, BlobMode>;
}

/**
 * The default policy of every connection (INDI 1.7): no BLOBs, everything else.
 *
 * @example
 * ```ts
 * blobModeFor(neverBlobs, 'CCD Simulator', 'CCD1'); // 'Never'
 * ```
 */
export const neverBlobs: BlobPolicy = { devices: new Map(), vectors: new Map() };

/**
 * The policy after an `enableBLOB`.
 *
 * @example
 * ```ts
 * const kstarsImages = enableBlob(neverBlobs, 'CCD Simulator', 'CCD1', 'Only');
 * ```
 */
export function enableBlob(
  policy: BlobPolicy,
  device: string,
  name: string | undefined,
  mode: BlobMode,
): BlobPolicy {
  if (name === undefined) return { ...policy, devices: new Map(policy.devices).set(device, mode) };
  return { ...policy, vectors: new Map(policy.vectors).set(`${device}\u0000${name}`, mode) };
}

/**
 * The mode that applies to one vector (or, without a name, to the device).
 *
 * @example
 * ```ts
 * const kstarsImages = enableBlob(neverBlobs, 'CCD Simulator', 'CCD1', 'Only');
 * blobModeFor(kstarsImages, 'CCD Simulator', 'CCD1'); // 'Only'
 * ```
 */
export function blobModeFor(policy: BlobPolicy, device: string, name: string | undefined): BlobMode {
  const vectorMode = name === undefined ? undefined : policy.vectors.get(`${device}\u0000${name}`);
  return vectorMode ?? policy.devices.get(device) ?? 'Never';
}

/**
 * True when the policy lets a message through: BLOBs need `Also` or `Only`
 * (the vector's mode, else the device's); everything else is held back only by
 * the device's `Only`. A vector's `Only` concerns that vector's BLOBs alone,
 * so its definition still arrives (KStars' image connection needs it).
 *
 * @example
 * ```ts
 * passesBlobPolicy(neverBlobs, 'CCD Simulator', 'CCD1', true); // false
 * ```
 */
export function passesBlobPolicy(
  policy: BlobPolicy,
  device: string,
  name: string | undefined,
  isBlob: boolean,
): boolean {
  if (isBlob) return blobModeFor(policy, device, name) !== 'Never';
  return policy.devices.get(device) !== 'Only';
}
