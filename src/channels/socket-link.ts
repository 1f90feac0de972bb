import { connect, type Socket } from 'node:net';
import {
  EMPTY,
  ReplaySubject,
  Subject,
  catchError,
  concat,
  defer,
  finalize,
  retry,
  share,
  takeUntil,
  tap,
  throwError,
  timer,
  type Observer,
} from 'rxjs';
import type { IndiMessage } from '../protocol/messages.js';
import type { ParseIndiOptions } from '../protocol/parse-indi.js';
import type { Channel, ChannelEvent } from './channel.js';
import { deleteDevicesOnError } from './delete-devices-on-error.js';
import { readIndi } from './read-indi.js';
import { streamBytes } from './socket-bytes.js';
import { socketSink } from './socket-sink.js';

/**
 * The link went down: refused, reset, or closed by the other server.
 *
 * @example
 * ```ts
 * new LinkDownError('observatory.local:7624', 'connection refused');
 * ```
 */
export class LinkDownError extends Error {
  override readonly name = 'LinkDownError';
  readonly link: string;

  constructor(link: string, reason: string) {
    super(`link to ${link} is down: ${reason}`);
    this.link = link;
  }
}

/**
 * How a {@link socketLink} talks on each new connection and how long it waits
 * between attempts.
 *
 * @example
 * ```ts
 * const options: SocketLinkOptions = {
 *   id: 'observatory',
 *   reconnectDelay: growingDelay({ initialDelayMs: 500, maxDelayMs: 30_000 }),
 *   greeting: () => [{ type: 'getProperties', version: '1.7' }],
 * };
 * const link = socketLink('observatory.local', 7624, options);
 * ```
 */
export interface SocketLinkOptions {
  readonly id: string;
  /** Milliseconds before reconnection attempt `attempt` (1-based), e.g. {@link growingDelay}. */
  readonly reconnectDelay: (attempt: number) => number;
  /** Sent first on every new connection: a fresh connection knows nothing of the last one. */
  readonly greeting: () => readonly IndiMessage[];
  /** Made afresh for every connection: what to send in answer to each message received there. */
  readonly answers?: () => (message: IndiMessage) => readonly IndiMessage[];
  readonly parse?: Omit<ParseIndiOptions, 'onProblem'>;
}

/**
 * A delay that starts at `initialDelayMs` (default 500) and doubles at every
 * failed attempt, up to `maxDelayMs` (default 30 000): how links and clients
 * reconnect.
 *
 * @example
 * ```ts
 * const delay = growingDelay({ maxDelayMs: 60_000 });
 * delay(1); // 500
 * delay(3); // 2000
 * ```
 */
export function growingDelay(
  options: { readonly initialDelayMs?: number; readonly maxDelayMs?: number } = {},
): (attempt: number) => number {
  const { initialDelayMs = 500, maxDelayMs = 30_000 } = options;
  return (attempt) => Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs);
}

/**
 * A TCP connection to an INDI server that comes back by itself, as a channel
 * of kind 'remote'. Every new connection is greeted (`greeting`); when it
 * drops, `messages$` emits a `delProperty` for each device it had defined
 * and connects again after `reconnectDelay`, forever; `events$` reports
 * `linkUp` and `linkDown` (with the reason and the wait). What is sent while
 * the link is down is dropped. `sink.complete()` ends the link for good:
 * the open connection is closed once written out, and no attempt follows.
 *
 * @example
 * ```ts
 * const link = socketLink('dome-pi.local', 7624, {
 *   id: 'dome-pi.local:7624',
 *   reconnectDelay: growingDelay({ initialDelayMs: 500, maxDelayMs: 30_000 }),
 *   greeting: () => [{ type: 'getProperties', version: '1.7' }],
 * });
 * ```
 */
export function socketLink(host: string, port: number, options: SocketLinkOptions): Channel {
  const link = `${host}:${port}`;
  const { id } = options;
  const events$ = new Subject<ChannelEvent>();
  const closing$ = new ReplaySubject<void>(1);
  let closing = false;
  let sink: Observer<IndiMessage> | undefined;
  let current: Socket | undefined;
  let lastSocket: Socket | undefined;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const linkSink: Observer<IndiMessage> = {
    next: (message) => sink?.next(message),
    error: () => current?.destroy(),
    complete: () => {
      closing = true;
      closing$.next();
      if (sink) sink.complete();
      else current?.destroy();
    },
  };

  const connectOnce$ = defer(() => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    current = socket;
    const socketWriter = socketSink(socket);
    const answer = options.answers?.();
    socket.once('connect', () => {
      sink = socketWriter;
      events$.next({ type: 'linkUp', channel: id });
      for (const message of options.greeting()) socketWriter.next(message);
    });
    const down = (reason: string) => (closing ? EMPTY : throwError(() => new LinkDownError(link, reason)));
    return concat(
      readIndi(streamBytes(socket), id, events$, options.parse).pipe(
        tap((message) => answer?.(message).forEach((reply) => socketWriter.next(reply))),
        catchError((error: unknown) => down(error instanceof Error ? error.message : String(error))),
      ),
      defer(() => down('closed by the other server')),
    ).pipe(
      deleteDevicesOnError(),
      finalize(() => {
        if (current === socket) {
          current = undefined;
          sink = undefined;
        }
        socket.destroy();
        lastSocket = socket;
      }),
    );
  });

  const messages$ = connectOnce$.pipe(
    retry({
      resetOnSuccess: true,
      delay: (error: unknown, attempt) => {
        const retryIn = options.reconnectDelay(attempt);
        const reason = error instanceof Error ? error : new Error(String(error));
        events$.next({ type: 'linkDown', channel: id, error: reason, retryIn });
        return timer(retryIn).pipe(takeUntil(closing$));
      },
    }),
    finalize(() => {
      events$.complete();
      if (lastSocket && !lastSocket.closed) lastSocket.once('close', markClosed);
      else markClosed();
    }),
    share(),
  );

  return { id, kind: 'remote', messages$, sink: linkSink, events$, closed, holdsOriginals: true };
}
