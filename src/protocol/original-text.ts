import type { LineLease } from './line-pool.js';
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
  #lease: LineLease | undefined;

  private constructor(message: IndiMessage, bytes: Uint8Array, lease: LineLease | undefined) {
    super(message);
    this.#bytes = bytes;
    this.#lease = lease;
  }

  static remember(message: IndiMessage, bytes: Uint8Array, lease: LineLease | undefined): void {
    if (#bytes in message) {
      message.#bytes = bytes;
      message.#lease = lease;
    } else new OriginalText(message, bytes, lease);
  }

  static of(message: IndiMessage): Uint8Array | undefined {
    return #bytes in message ? message.#bytes : undefined;
  }

  static leaseOf(message: IndiMessage): LineLease | undefined {
    return #bytes in message ? message.#lease : undefined;
  }
}

/**
 * Records the bytes a parsed message arrived as, followed by a newline, so
 * that forwarding it unchanged writes those bytes instead of serializing
 * again. Messages are immutable: a changed message is a new object and has
 * no original. With a `lease`, the bytes are pooled memory lent to the
 * message ({@link holdOriginal}, {@link keepOriginal}).
 *
 * @example
 * ```ts
 * rememberOriginalText(message, frame.line);
 * ```
 */
export function rememberOriginalText(message: IndiMessage, line: Uint8Array, lease?: LineLease): void {
  OriginalText.remember(message, line, lease);
}

/**
 * Holds a message's original bytes for a write that ends after the message
 * was handed on: when they are pooled memory ({@link LinePool}), they stay
 * this message's until the returned release is called. Undefined when the
 * message owns its bytes, which is always the case without a pool.
 *
 * @example
 * ```ts
 * const writeLater = (message: IndiMessage) => socket.write(encodeIndi(message), holdOriginal(message));
 * ```
 */
export function holdOriginal(message: IndiMessage): (() => void) | undefined {
  const lease = OriginalText.leaseOf(message);
  if (lease === undefined) return undefined;
  lease.hold();
  return () => lease.release();
}

/**
 * Makes a message's original bytes its own for good, for code that keeps
 * the message past its hand-over without saying when it is done (a log, a
 * recorder, a user's operator): its pooled memory (if any) is never reused.
 *
 * @example
 * ```ts
 * const recorded: IndiMessage[] = [];
 * const record = (message: IndiMessage) => {
 *   keepOriginal(message);
 *   recorded.push(message);
 * };
 * ```
 */
export function keepOriginal(message: IndiMessage): void {
  OriginalText.leaseOf(message)?.keep();
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
