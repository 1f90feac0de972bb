import type { IndiMessage } from './messages.js';

/** A base class whose constructor returns the object it is given, so that a subclass's fields land on it. */
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- the constructor is all it is for
class Carrier {
  constructor(target: object) {
    return target;
  }
}

/**
 * Stamps a message with its original bytes as a private field: no key,
 * spread, JSON or deep equality sees it, a spread copy (`{ ...message }`) does
 * not carry it, and it costs a few nanoseconds, where `defineProperty` or a
 * `WeakMap` entry costs a hundred times more per parsed message.
 */
class OriginalText extends Carrier {
  #bytes: Uint8Array;

  private constructor(message: IndiMessage, bytes: Uint8Array) {
    super(message);
    this.#bytes = bytes;
  }

  static remember(message: IndiMessage, bytes: Uint8Array): void {
    if (#bytes in message) message.#bytes = bytes;
    else new OriginalText(message, bytes);
  }

  static of(message: IndiMessage): Uint8Array | undefined {
    return #bytes in message ? message.#bytes : undefined;
  }
}

/**
 * Records the bytes a parsed message arrived as, followed by a newline, so
 * that forwarding it unchanged writes those bytes instead of serializing
 * again. Messages are immutable: a changed message is a new object and has
 * no original.
 *
 * @example
 * ```ts
 * rememberOriginalText(message, frame.line);
 * ```
 */
export function rememberOriginalText(message: IndiMessage, line: Uint8Array): void {
  OriginalText.remember(message, line);
}

/**
 * The bytes a parsed message arrived as, followed by a newline: what
 * forwarding it writes.
 *
 * @example
 * ```ts
 * socket.write(originalLine(message) ?? serializeIndi(message));
 * ```
 */
export function originalLine(message: IndiMessage): Uint8Array | undefined {
  return OriginalText.of(message);
}

/**
 * The bytes a parsed message arrived as, if it came from the parser.
 *
 * @example
 * ```ts
 * const forward = (message: IndiMessage) => socket.write(originalText(message) ?? serializeIndi(message));
 * ```
 */
export function originalText(message: IndiMessage): Uint8Array | undefined {
  return OriginalText.of(message)?.subarray(0, -1);
}
