import type { Socket } from 'node:net';
import { Subject, share, type Observer } from 'rxjs';
import { encodeIndi } from '../protocol/encode-indi.js';
import type { IndiMessage } from '../protocol/messages.js';
import { parseIndi, type ParseIndiOptions } from '../protocol/parse-indi.js';
import { serializeIndi } from '../protocol/serialize-indi.js';
import { indiTimestamp } from '../protocol/timestamp.js';
import type { Channel, ChannelEvent } from './channel.js';
import { streamBytes } from './socket-bytes.js';

/** How a socket channel is named, parsed and bounded. */
export interface SocketChannelOptions {
  /** Defaults to `client <address>:<port>`. */
  readonly id?: string;
  readonly kind?: 'client' | 'remote';
  /** Parser limits. */
  readonly parse?: Omit<ParseIndiOptions, 'onProblem'>;
  /**
   * Bytes that may wait in the socket's send buffer before the peer is
   * disconnected as too slow (indiserver `-m`). Default 128 MiB.
   */
  readonly maxQueueBytes?: number;
}

/**
 * A TCP connection as a channel: bytes in → {@link parseIndi} → `messages$`;
 * the sink encodes each message once ({@link encodeIndi}) and writes it.
 * A peer whose unsent bytes pass `maxQueueBytes` is told why and disconnected,
 * as indiserver does with `-m`.
 *
 * @example
 * ```ts
 * net.createServer((socket) => { const channel = socketChannel(socket); … });
 * ```
 */
export function socketChannel(socket: Socket, options: SocketChannelOptions = {}): Channel {
  const id = options.id ?? `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const maxQueueBytes = options.maxQueueBytes ?? 128 * 1024 * 1024;
  const events$ = new Subject<ChannelEvent>();
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      events$.complete();
      resolve();
    }),
  );
  socket.setNoDelay(true);
  const messages$ = streamBytes(socket).pipe(
    parseIndi({
      ...options.parse,
      onProblem: (error) => events$.next({ type: 'protocolError', channel: id, error }),
    }),
    share(),
  );
  // Writes wait for the end of this turn of the event loop and go out together:
  // fewer system calls, and a client that sends a request and closes at once
  // (indi_setprop) has its request read before a write can fail on its socket
  // and destroy it.
  let pending: Uint8Array[] = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    if (!socket.writable) return;
    socket.cork();
    for (const bytes of batch) socket.write(bytes);
    socket.uncork();
    if (socket.writableLength > maxQueueBytes) {
      events$.next({ type: 'queueOverflow', channel: id, queuedBytes: socket.writableLength });
      socket.destroy();
    }
  };
  const sink: Observer<IndiMessage> = {
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
  return { id, kind: options.kind ?? 'client', messages$, sink, events$, closed };
}

/**
 * Tells a peer why it is being turned away, in an INDI `message`, and closes it.
 *
 * @example
 * ```ts
 * refuseSocket(socket, 'rxindi: server full (10 clients); try again later');
 * ```
 */
export function refuseSocket(socket: Socket, reason: string): void {
  socket.end(serializeIndi({ type: 'message', timestamp: indiTimestamp(), message: reason }));
  socket.resume();
}
