import type { Socket } from 'node:net';
import { EMPTY, Subject, concat, defer, ignoreElements, share, timer } from 'rxjs';
import type { ParseIndiOptions } from '../protocol/parse-indi.js';
import { serializeIndi } from '../protocol/serialize-indi.js';
import { indiTimestamp } from '../protocol/timestamp.js';
import type { Channel, ChannelEvent } from './channel.js';
import { readIndi } from './read-indi.js';
import { streamBytes } from './socket-bytes.js';
import { socketSink, type SocketSinkOptions } from './socket-sink.js';

/**
 * How a socket channel is named, parsed and bounded.
 *
 * @example
 * ```ts
 * const options: SocketChannelOptions = { id: 'kstars', queue: { maxQueueBytes: 64 * 1024 * 1024 } };
 * const client = socketChannel(socket, options);
 * ```
 */
export interface SocketChannelOptions {
  /** Defaults to `client <address>:<port>`. */
  readonly id?: string;
  readonly kind?: 'client' | 'remote';
  /** Parser limits. */
  readonly parse?: Omit<ParseIndiOptions, 'onProblem'>;
  /**
   * Milliseconds a peer that half-closed (sent end of stream but still reads)
   * keeps receiving before the channel closes. Needs a socket that allows
   * half-open connections, as {@link listenTcp}'s do. Default 1000.
   */
  readonly halfClosedGraceMs?: number;
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
 * import { createServer } from 'node:net';
 * createServer((socket) => socketChannel(socket).messages$.subscribe((message) => console.log(message.type)));
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
  // A peer that half-closes after its request (`nc -N`, a script piping one
  // getProperties) still gets the answers that follow for a moment.
  const answersAfterEnd$ = defer(() => (socket.writable ? timer(options.halfClosedGraceMs ?? 1000) : EMPTY));
  const messages$ = concat(
    readIndi(streamBytes(socket), id, events$, options.parse),
    answersAfterEnd$.pipe(ignoreElements()),
  ).pipe(share());
  const sink = socketSink(socket, {
    ...options.queue,
    onOverflow: (queuedBytes) => events$.next({ type: 'queueOverflow', channel: id, queuedBytes }),
    onBacklog: (behind) => events$.next({ type: 'backlog', channel: id, behind }),
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
  return { id, kind: options.kind ?? 'client', messages$, sink, events$, closed, holdsOriginals: true };
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
