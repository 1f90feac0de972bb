import type { IndiMessage } from './messages.js';
import { originalLine } from './original-text.js';
import { serializeIndi } from './serialize-indi.js';

const encoded = new WeakMap<IndiMessage, Uint8Array>();

/**
 * The bytes to write for a message: the bytes it arrived as (the framer's own
 * copy, newline included) when it came from the parser unchanged, otherwise
 * its serialization, made once per message object. Either way a message
 * fanned out to many clients is the same buffer written to every socket.
 *
 * @example
 * ```ts
 * socket.write(encodeIndi({ type: 'getProperties', version: '1.7' }));
 * ```
 */
export function encodeIndi(message: IndiMessage): Uint8Array {
  const original = originalLine(message);
  if (original) return original;
  let bytes = encoded.get(message);
  if (bytes === undefined) {
    bytes = Buffer.from(serializeIndi(message), 'utf8');
    encoded.set(message, bytes);
  }
  return bytes;
}
