import type { IndiMessage } from './messages.js';

/**
 * Where a parsed message keeps its original bytes: a non-enumerable symbol
 * property, so that spreads, `Object.keys`, JSON and deep equality do not see
 * it, and a spread copy (`{ ...message }`) has no original.
 */
const original = Symbol('rxindi.originalText');

interface WithOriginal {
  readonly [original]?: Uint8Array;
}

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
  Object.defineProperty(message, original, { value: bytes });
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
  return (message as WithOriginal)[original];
}
