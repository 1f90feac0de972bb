import { connect, type Socket } from 'node:net';
import {
  Subject,
  catchError,
  concat,
  defer,
  finalize,
  retry,
  share,
  tap,
  throwError,
  timer,
  type Observer,
} from 'rxjs';
import type { IndiMessage } from '../protocol/messages.js';
import { isDefVector } from '../protocol/messages.js';
import type { ParseIndiOptions } from '../protocol/parse-indi.js';
import type { Channel, ChannelEvent } from './channel.js';
import { deleteDevicesOnError } from './delete-devices-on-error.js';
import { readIndi } from './read-indi.js';
import { socketSink } from './socket-sink.js';

/** How a link to another INDI server behaves. */
export interface RemoteChannelOptions {
  /** Defaults to `host:port`, or `device@host:port` for a single device. */
  readonly id?: string;
  /** Only this device of the remote server (indiserver's `device@host:port`). */
  readonly device?: string;
  /** Ask the remote server for BLOBs of its devices (`enableBLOB Also`). Default false. */
  readonly blobs?: boolean;
  /** Milliseconds before reconnection attempt `attempt` (1-based). Default 500 ms doubling to 30 s. */
  readonly reconnectDelay?: (attempt: number) => number;
  readonly parse?: Omit<ParseIndiOptions, 'onProblem'>;
}

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

const defaultReconnectDelay = (attempt: number): number => Math.min(500 * 2 ** (attempt - 1), 30_000);

/**
 * A link to another INDI server (rxindi or indiserver) as a channel: this
 * server connects as a client and asks for every device with
 * `getProperties device='*'`, which is how indiserver chains servers and
 * how rxindi recognises a linked server. The remote devices appear here;
 * requests for them go through the link. When the link drops, `messages$`
 * emits a `delProperty` for each remote device and reconnects with a growing
 * delay, forever; link status is reported on `events$`.
 *
 * @example
 * ```ts
 * server.addDriver(remoteChannel('dome-pi.local', 7624, { blobs: true }));
 * ```
 */
export function remoteChannel(host: string, port: number, options: RemoteChannelOptions = {}): Channel {
  const link = `${host}:${port}`;
  const id = options.id ?? (options.device === undefined ? link : `${options.device}@${link}`);
  const events$ = new Subject<ChannelEvent>();
  const reconnectDelay = options.reconnectDelay ?? defaultReconnectDelay;
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
    complete: () => sink?.complete(),
  };

  const connectOnce$ = defer(() => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    current = socket;
    const socketWriter = socketSink(socket);
    socket.once('connect', () => {
      sink = socketWriter;
      events$.next({ type: 'linkUp', channel: id });
      socketWriter.next({ type: 'getProperties', version: '1.7', device: options.device ?? '*' });
    });
    const blobsAsked = new Set<string>();
    const askForBlobs = (message: IndiMessage): void => {
      if (options.blobs !== true || !isDefVector(message) || blobsAsked.has(message.device)) return;
      blobsAsked.add(message.device);
      socketWriter.next({ type: 'enableBLOB', device: message.device, mode: 'Also' });
    };
    const down = (reason: string) => throwError(() => new LinkDownError(link, reason));
    return concat(
      readIndi(socket, id, events$, options.parse).pipe(
        tap(askForBlobs),
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
        const retryIn = reconnectDelay(attempt);
        const reason = error instanceof Error ? error : new Error(String(error));
        events$.next({ type: 'linkDown', channel: id, error: reason, retryIn });
        return timer(retryIn);
      },
    }),
    finalize(() => {
      events$.complete();
      if (lastSocket && !lastSocket.closed) lastSocket.once('close', markClosed);
      else markClosed();
    }),
    share(),
  );

  return { id, kind: 'remote', messages$, sink: linkSink, events$, closed };
}
