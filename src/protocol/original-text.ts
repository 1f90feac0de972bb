import type { IndiMessage } from './messages.js';

const originals = new WeakMap<IndiMessage, Uint8Array>();

/**
 * Records the bytes a parsed message arrived as, so that forwarding it
 * unchanged writes those bytes instead of serializing again. Messages are
 * immutable: a changed message is a new object and has no original.
 *
 * @example
 * ```ts
 * rememberOriginalText(message, frameBytes);
 * ```
 */
export function rememberOriginalText(message: IndiMessage, bytes: Uint8Array): void {
  originals.set(message, bytes);
}

/**
 * The bytes a parsed message arrived as, if it came from the parser.
 *
 * @example
 * ```ts
 * const bytes = originalText(message) ?? Buffer.from(serializeIndi(message));
 * ```
 */
export function originalText(message: IndiMessage): Uint8Array | undefined {
  return originals.get(message);
}
