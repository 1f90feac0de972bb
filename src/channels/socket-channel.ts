import type { Socket } from 'node:net';
import { Subject, share } from 'rxjs';
import { parseIndi, type ParseIndiOptions } from '../protocol/parse-indi.js';
import { serializeIndi } from '../protocol/serialize-indi.js';
import { indiTimestamp } from '../protocol/timestamp.js';
import type { Channel, ChannelEvent } from './channel.js';
import { streamBytes } from './socket-bytes.js';
import { socketSink, type SocketSinkOptions } from './socket-sink.js';

/** How a socket channel is named, parsed and bounded. */
export interface SocketChannelOptions {
  /** Defaults to `client <address>:<port>`. */
  readonly id?: string;
  readonly kind?: 'client' | 'remote';
  /** Parser limits. */
  readonly parse?: Omit<ParseIndiOptions, 'onProblem'>;
  /** How a slow peer is treated: budgets and conflation (see {@link socketSink}). */
  readonly queue?: Omit<SocketSinkOptions, 'onOverflow' | 'onBlobDropped'>;
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
  const sink = socketSink(socket, {
    ...options.queue,
    onOverflow: (queuedBytes) => events$.next({ type: 'queueOverflow', channel: id, queuedBytes }),
    onBlobDropped: (message, queuedBytes) => {
      if (message.type === 'setBLOBVector' || message.type === 'newBLOBVector') {
        events$.next({
          type: 'blobDropped',
          channel: id,
          device: message.device,
          name: message.name,
          queuedBytes,
        });
      }
    },
  });
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
