import type { Socket } from 'node:net';
import type { Observer } from 'rxjs';
import { encodeIndi } from '../protocol/encode-indi.js';
import type { IndiMessage } from '../protocol/messages.js';

/** Limits of a {@link socketSink}. */
export interface SocketSinkOptions {
  /** Bytes that may wait unsent before `onOverflow` is called and the socket destroyed. Default 128 MiB. */
  readonly maxQueueBytes?: number;
  readonly onOverflow?: (queuedBytes: number) => void;
}

/**
 * An Observer that writes INDI messages to a socket. Each message is encoded
 * once ({@link encodeIndi}); writes wait for the end of this turn of the event
 * loop and go out together: fewer system calls, and a client that sends a
 * request and closes at once (indi_setprop) has its request read before a
 * write can fail on its socket and destroy it. `complete()` flushes and ends
 * the socket, destroying it if the peer does not close within 2 s.
 *
 * @example
 * ```ts
 * const sink = socketSink(socket, { onOverflow: (bytes) => log(`${bytes} bytes behind`) });
 * sink.next({ type: 'getProperties', version: '1.7' });
 * ```
 */
export function socketSink(socket: Socket, options: SocketSinkOptions = {}): Observer<IndiMessage> {
  const maxQueueBytes = options.maxQueueBytes ?? 128 * 1024 * 1024;
  let pending: Uint8Array[] = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    if (!socket.writable) return;
    socket.cork();
    for (const bytes of batch) socket.write(bytes);
    socket.uncork();
    if (socket.writableLength > maxQueueBytes) {
      options.onOverflow?.(socket.writableLength);
      socket.destroy();
    }
  };
  return {
    next: (message) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push(encodeIndi(message));
    },
    error: () => socket.destroy(),
    complete: () => {
      flush();
      socket.end();
      setTimeout(() => socket.destroy(), 2000).unref();
    },
  };
}
