import { readSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Observer } from 'rxjs';
import { encodeIndi } from '../protocol/encode-indi.js';
import type { IndiMessage } from '../protocol/messages.js';
import { isBlobMessage } from '../protocol/messages.js';
import { holdOriginal } from '../protocol/original-text.js';
import { serializeIndi } from '../protocol/serialize-indi.js';
import { indiTimestamp } from '../protocol/timestamp.js';

/**
 * How a slow peer is treated by a {@link socketSink}.
 *
 * @example
 * ```ts
 * const options: SocketSinkOptions = {
 *   maxQueueBytes: 64 * 1024 * 1024,
 *   conflationKey,
 *   conflate,
 *   onOverflow: (queuedBytes) => console.warn(`client too slow: ${queuedBytes} bytes waiting, disconnected`),
 * };
 * const sink = socketSink(socket, options);
 * ```
 */
export interface SocketSinkOptions {
  /**
   * Bytes that may wait for a peer (queued here and in the socket). A BLOB
   * that would pass it is dropped for this peer; anything else that would
   * pass it disconnects the peer with an INDI `message` saying why
   * (indiserver `-m`). Default 128 MiB.
   */
  readonly maxQueueBytes?: number;
  /** Streaming BLOBs (format containing `stream`) are dropped past this many bytes waiting (indiserver `-d`). Default 5 MiB; 0 disables. */
  readonly maxStreamBytes?: number;
  /** The key of messages that may stand in for each other while the peer is behind. */
  readonly conflationKey?: (message: IndiMessage) => string | undefined;
  /** One message standing for an older and a newer one with the same key, or undefined to keep both. */
  readonly conflate?: (older: IndiMessage, newer: IndiMessage) => IndiMessage | undefined;
  /** Called with the bytes waiting when the peer is disconnected for passing `maxQueueBytes`. */
  readonly onOverflow?: (queuedBytes: number) => void;
  /** Called with true when messages start waiting for the peer to read, and with false once they have all gone out. */
  readonly onBacklog?: (behind: boolean) => void;
  /** Called with each BLOB dropped for this peer (past `maxQueueBytes`, or a stream past `maxStreamBytes`) and the bytes waiting. */
  readonly onBlobDropped?: (message: IndiMessage, queuedBytes: number) => void;
}

interface Entry {
  readonly message: IndiMessage;
  readonly bytes: Uint8Array;
  readonly key: string | undefined;
  /** Releases the message's pooled bytes once written or dropped. */
  readonly release: (() => void) | undefined;
}

const scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * Takes in what the peer has already sent before this server writes to it.
 * A client that sends a request and closes at once (indi_setprop) resets
 * the connection if output is still coming; a write then fails, Node
 * destroys the socket, and a request still waiting in the kernel would be
 * lost. Reading it first (the socket is non-blocking: EAGAIN means nothing
 * is waiting) keeps it. Uses the handle's descriptor, which Node does not
 * document; without one, nothing is read here.
 */
function takeInPending(socket: Socket): void {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0 || socket.readableEnded) return;
  try {
    for (let read = readSync(fd, scratch); read > 0; read = readSync(fd, scratch)) {
      socket.push(Buffer.from(scratch.subarray(0, read)));
    }
  } catch (error) {
    // EAGAIN: nothing is waiting. Anything else (a reset) is reported once by
    // the kernel, to this read: end the socket with it as Node's own read
    // would have, or the peer's reset would pass for a clean close.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') {
      socket.destroy(Object.assign(new Error(`read ${code ?? 'error'}`), { code, syscall: 'read' }));
    }
  }
}

/** Bytes in the socket's own buffer past which the peer counts as behind. */
const behindBytes = 256 * 1024;

/**
 * An Observer that writes INDI messages to a socket through a bounded queue.
 * Each message is encoded once ({@link encodeIndi}); writes wait for the end
 * of this turn of the event loop and go out together (fewer system calls, and
 * a client that sends a request and closes at once, like indi_setprop, has
 * its request read before a write can fail and destroy the socket). While the
 * peer is behind, newer updates replace queued ones with the same
 * `conflationKey` (the peer gets the latest values, not every intermediate
 * one), BLOBs past the budget are dropped, and anything else past it
 * disconnects the peer: server memory for one peer never passes its budget.
 *
 * @example
 * ```ts
 * const sink = socketSink(socket, { onOverflow: (bytes) => console.warn(`client ${socket.remoteAddress}: ${bytes} bytes behind`) });
 * sink.next({ type: 'getProperties', version: '1.7' });
 * ```
 */
export function socketSink(socket: Socket, options: SocketSinkOptions = {}): Observer<IndiMessage> {
  const maxQueueBytes = options.maxQueueBytes ?? 128 * 1024 * 1024;
  const maxStreamBytes = options.maxStreamBytes ?? 5 * 1024 * 1024;
  let queue: (Entry | undefined)[] = [];
  let head = 0;
  let queuedBytes = 0;
  const byKey = new Map<string, number>();
  let scheduled = false;
  let waitingForDrain = false;
  let backlogged = false;
  let ended = false;

  // A write can fail after the reading side has stopped listening (the peer
  // closed): the socket is destroyed either way, and an unheard 'error' would
  // end the process.
  socket.on('error', () => undefined);
  const waiting = (): number => queuedBytes + socket.writableLength;
  const flush = (): void => {
    scheduled = false;
    if (!socket.writable) return;
    takeInPending(socket);
    if (socket.destroyed) return;
    socket.cork();
    while (head < queue.length && socket.writableLength < behindBytes) {
      const entry = queue[head];
      queue[head++] = undefined;
      if (entry === undefined) continue;
      queuedBytes -= entry.bytes.length;
      if (entry.key !== undefined && byKey.get(entry.key) === head - 1) byKey.delete(entry.key);
      socket.write(entry.bytes, entry.release);
    }
    socket.uncork();
    if (head === queue.length) {
      queue = [];
      head = 0;
      if (backlogged) options.onBacklog?.(false);
      backlogged = false;
      if (ended) socket.end();
    } else if (!waitingForDrain) {
      if (!backlogged) options.onBacklog?.(true);
      backlogged = true;
      waitingForDrain = true;
      socket.once('drain', () => {
        waitingForDrain = false;
        flush();
      });
    }
  };
  const schedule = (): void => {
    if (scheduled || waitingForDrain) return;
    scheduled = true;
    setImmediate(flush);
  };
  const dropQueue = (): void => {
    for (let at = head; at < queue.length; at++) queue[at]?.release?.();
    queue = [];
    head = 0;
    queuedBytes = 0;
    byKey.clear();
  };
  // Writes that never happen release their bytes too (write callbacks do for the rest).
  socket.once('close', dropQueue);
  const disconnect = (): void => {
    options.onOverflow?.(waiting());
    const note = `rxindi: you are more than ${Math.round(maxQueueBytes / 1048576)} MB behind; disconnecting (the server's -m limit)`;
    socket.end(serializeIndi({ type: 'message', timestamp: indiTimestamp(), message: note }));
    // What is still buffered is bounded (under behindBytes): give a stalled
    // client a minute to read up to the note that says why it was cut off.
    setTimeout(() => socket.destroy(), 60_000).unref();
    dropQueue();
  };
  // A definition or deletion queued after an update: later updates must not
  // merge into the one before it, which would carry them ahead of it.
  const forgetUpdatesOf = (message: IndiMessage): void => {
    if (!('device' in message) || message.device === undefined) return;
    if ('name' in message && message.name !== undefined)
      byKey.delete(`${message.device}\u0000${message.name}`);
    else byKey.clear();
  };
  const replaceQueued = (key: string, message: IndiMessage): IndiMessage => {
    const at = byKey.get(key);
    const older = at === undefined ? undefined : queue[at];
    if (at === undefined || older === undefined || !options.conflate) return message;
    const merged = options.conflate(older.message, message);
    if (merged === undefined) return message;
    queue[at] = undefined;
    queuedBytes -= older.bytes.length;
    older.release?.();
    return merged;
  };

  return {
    next: (incoming) => {
      if (!socket.writable || ended) return;
      const key = options.conflationKey?.(incoming);
      const behind = waitingForDrain || socket.writableLength >= behindBytes;
      const message = key !== undefined && behind ? replaceQueued(key, incoming) : incoming;
      const bytes = encodeIndi(message);
      if (isBlobMessage(message)) {
        const streaming =
          maxStreamBytes > 0 && message.members.some((blob) => blob.format.includes('stream'));
        if (waiting() + bytes.length > maxQueueBytes || (streaming && waiting() > maxStreamBytes)) {
          options.onBlobDropped?.(message, waiting());
          return;
        }
      } else if (waiting() + bytes.length > maxQueueBytes) {
        disconnect();
        return;
      }
      if (key !== undefined) byKey.set(key, queue.length);
      else forgetUpdatesOf(message);
      queue.push({ message, bytes, key, release: holdOriginal(message) });
      queuedBytes += bytes.length;
      schedule();
    },
    error: () => socket.destroy(),
    complete: () => {
      ended = true;
      flush();
      setTimeout(() => socket.destroy(), 2000).unref();
    },
  };
}
