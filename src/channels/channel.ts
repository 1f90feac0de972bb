import type { Observable, Observer } from 'rxjs';
import type { IndiProtocolError } from '../protocol/errors.js';
import type { IndiMessage } from '../protocol/messages.js';
import type { DriverExitedError } from './driver-exited-error.js';

/**
 * One connection of the server: the messages coming in and a sink for the
 * messages going out. A TCP client, a driver process, an in-process driver and
 * a link to another server are all channels; they differ only in how their
 * bytes (or objects) are produced and consumed.
 *
 * `messages$` completes when the other end closes and errors with a typed error
 * when it fails; the server subscribes to it once. `sink.complete()` closes
 * the channel. `events$` reports what does not end it (a skipped bad message,
 * a driver's stderr line, a restart). `closed` resolves once every resource
 * (socket, process) is released.
 *
 * @example
 * ```ts
 * const channel = socketChannel(socket);
 * channel.messages$.subscribe((message) => channel.sink.next({ type: 'message', message: `got ${message.type}` }));
 * ```
 */
export interface Channel {
  readonly id: string;
  readonly kind: 'client' | 'driver' | 'remote';
  readonly messages$: Observable<IndiMessage>;
  readonly sink: Observer<IndiMessage>;
  /**
   * True when the sink holds what it writes after `next` returns
   * ({@link holdOriginal}), so that it may be handed messages in pooled
   * memory; {@link serve} keeps ({@link keepOriginal}) every message it
   * hands to other sinks.
   */
  readonly holdsOriginals?: boolean;
  readonly events$: Observable<ChannelEvent>;
  readonly closed: Promise<void>;
}

/**
 * Something that happened on a channel without ending it: a skipped bad
 * message, a driver's stderr line, a driver restart, a slow peer, a link going
 * down or up. Log them; the channel carries on.
 *
 * @example
 * ```ts
 * driver.events$.subscribe((event: ChannelEvent) => {
 *   if (event.type === 'stderr') console.log(`${event.channel}: ${event.line}`);
 * });
 * ```
 */
export type ChannelEvent =
  | { readonly type: 'protocolError'; readonly channel: string; readonly error: IndiProtocolError }
  | { readonly type: 'stderr'; readonly channel: string; readonly line: string }
  | { readonly type: 'driverStarted'; readonly channel: string; readonly pid: number | undefined }
  | {
      readonly type: 'driverExited';
      readonly channel: string;
      readonly error: DriverExitedError;
      /** Milliseconds until the restart, or undefined when it will not be restarted. */
      readonly restartIn: number | undefined;
    }
  | { readonly type: 'queueOverflow'; readonly channel: string; readonly queuedBytes: number }
  | {
      /** A peer fell behind (its socket stopped taking bytes and messages wait), or caught up again. */
      readonly type: 'backlog';
      readonly channel: string;
      readonly behind: boolean;
    }
  | {
      readonly type: 'blobDropped';
      readonly channel: string;
      readonly device: string;
      readonly name: string;
      readonly queuedBytes: number;
    }
  | { readonly type: 'linkUp'; readonly channel: string }
  | {
      readonly type: 'linkDown';
      readonly channel: string;
      readonly error: Error;
      /** Milliseconds until the next attempt to connect. */
      readonly retryIn: number;
    };
