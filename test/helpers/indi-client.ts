import { connect, type Socket } from 'node:net';
import { Observable } from 'rxjs';
import type { IndiProtocolError } from '../../src/protocol/errors.js';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { parseIndi } from '../../src/protocol/parse-indi.js';
import { serializeIndi } from '../../src/protocol/serialize-indi.js';
import { waitUntil, type WaitOptions } from './wait-until.js';

/** How a raw client's connection ended. */
export type ClientEnd = { readonly type: 'end' } | { readonly type: 'error'; readonly error: Error };

const open = new Set<RawIndiClient>();

/**
 * A bare INDI client over node:net for tests: sends exactly the XML it is
 * given, and keeps every message it receives, parsed with the project's
 * {@link parseIndi}, in arrival order. Nothing is sent unless asked
 * (no implicit getProperties, no enableBLOB).
 */
export class RawIndiClient {
  /** Every message received so far, in order. */
  readonly messages: IndiMessage[] = [];
  /** Skipped bad input, from parseIndi's onProblem. */
  readonly problems: IndiProtocolError[] = [];
  /** Bytes received so far. */
  bytes = 0;
  /** How the server names this connection: `127.0.0.1:<local port>`. */
  readonly id: string;
  /** Resolves once the server closed the connection (or it failed). */
  readonly ended: Promise<ClientEnd>;
  private endedWith: ClientEnd | undefined;

  private constructor(readonly socket: Socket) {
    open.add(this);
    this.id = `${socket.localAddress ?? '?'}:${socket.localPort ?? '?'}`;
    const bytes$ = new Observable<Uint8Array>((subscriber) => {
      socket.on('data', (chunk: Buffer) => {
        this.bytes += chunk.length;
        subscriber.next(chunk);
      });
      socket.once('end', () => subscriber.complete());
      socket.once('close', () => subscriber.complete());
      socket.once('error', (error) => subscriber.error(error));
    });
    this.ended = new Promise((resolve) => {
      bytes$.pipe(parseIndi({ onProblem: (problem) => this.problems.push(problem) })).subscribe({
        next: (message) => this.messages.push(message),
        complete: () => resolve((this.endedWith = { type: 'end' })),
        error: (error: unknown) =>
          resolve(
            (this.endedWith = {
              type: 'error',
              error: error instanceof Error ? error : new Error(String(error)),
            }),
          ),
      });
    });
  }

  /** Connects to an INDI server; rejects if the connection fails. */
  static connect(port: number, host = '127.0.0.1'): Promise<RawIndiClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawIndiClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Closes every client still open (for afterEach). */
  static async closeAll(): Promise<void> {
    const clients = [...open];
    open.clear();
    await Promise.all(clients.map((client) => client.close()));
  }

  /** True once the connection has ended. */
  get isEnded(): boolean {
    return this.endedWith !== undefined;
  }

  /** Sends raw XML text, or a message serialized by the project's serializer. */
  send(message: string | IndiMessage): void {
    this.socket.write(typeof message === 'string' ? message : serializeIndi(message));
  }

  /** The first message (from `from` on) that matches, waiting for it if needed. */
  waitFor<T extends IndiMessage>(
    what: string,
    predicate: (message: IndiMessage) => message is T,
    options?: WaitOptions & { readonly from?: number },
  ): Promise<T>;
  waitFor(
    what: string,
    predicate: (message: IndiMessage) => boolean,
    options?: WaitOptions & { readonly from?: number },
  ): Promise<IndiMessage>;
  waitFor(
    what: string,
    predicate: (message: IndiMessage) => boolean,
    options: WaitOptions & { readonly from?: number } = {},
  ): Promise<IndiMessage> {
    const from = options.from ?? 0;
    return waitUntil(what, () => this.messages.slice(from).find(predicate), options);
  }

  /** Waits until the server has closed the connection. */
  waitForEnd(options: WaitOptions = {}): Promise<ClientEnd> {
    return waitUntil('the server to close the connection', () => this.endedWith, options);
  }

  /** The messages received so far that match. */
  received<T extends IndiMessage>(predicate: (message: IndiMessage) => message is T): T[];
  received(predicate: (message: IndiMessage) => boolean): IndiMessage[];
  received(predicate: (message: IndiMessage) => boolean): IndiMessage[] {
    return this.messages.filter(predicate);
  }

  /** Closes the connection (at once) and waits until it is closed. */
  close(): Promise<void> {
    return this.closeWith(() => this.socket.destroy());
  }

  /** Resets the connection (a TCP RST, as when a client is killed) and waits until it is closed. */
  reset(): Promise<void> {
    return this.closeWith(() => this.socket.resetAndDestroy());
  }

  private closeWith(end: () => void): Promise<void> {
    open.delete(this);
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      end();
    });
  }
}
