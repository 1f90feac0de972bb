import type { IndiMessage } from './messages.js';
import { originalText } from './original-text.js';
import { serializeIndi } from './serialize-indi.js';

const encoded = new WeakMap<IndiMessage, Uint8Array>();
const newline = Buffer.from('\n');

/**
 * The bytes to write for a message: the bytes it arrived as when it came from
 * the parser unchanged, otherwise its serialization. Either way the result is
 * computed once per message object, so a message fanned out to many clients
 * is encoded once and the same buffer is written to every socket.
 *
 * @example
 * ```ts
 * socket.write(encodeIndi(message));
 * ```
 */
export function encodeIndi(message: IndiMessage): Uint8Array {
  let bytes = encoded.get(message);
  if (bytes === undefined) {
    const original = originalText(message);
    bytes = original ? Buffer.concat([original, newline]) : Buffer.from(serializeIndi(message), 'utf8');
    encoded.set(message, bytes);
  }
  return bytes;
}
