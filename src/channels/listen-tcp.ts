import { createServer, type Socket } from 'node:net';
import { Observable } from 'rxjs';

/**
 * What a listening TCP port produces: once `listening` (with the port really
 * bound, useful with port 0), then a `connection` per client.
 *
 * @example
 * ```ts
 * listenTcp('localhost', 7624).subscribe((event: ListenEvent) => {
 *   if (event.type === 'listening') console.log(`INDI on ${event.host}:${event.port}`);
 *   else socketChannel(event.socket);
 * });
 * ```
 */
export type ListenEvent =
  | { readonly type: 'listening'; readonly host: string; readonly port: number }
  | { readonly type: 'connection'; readonly socket: Socket };

/**
 * The port could not be opened: in use, not permitted, or an unknown host.
 *
 * @example
 * ```ts
 * listenTcp('localhost', 7624).subscribe({ error: (e: ListenError) => console.error(e.message) });
 * ```
 */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  readonly host: string;
  readonly port: number;
  readonly code: string | undefined;

  constructor(host: string, port: number, code: string | undefined, cause: Error) {
    const why =
      code === 'EADDRINUSE'
        ? 'is already in use (is indiserver or another rxindi running? pick another port with -p)'
        : code === 'EACCES'
          ? 'needs more privileges (ports below 1024 are reserved; use -p with a higher port)'
          : `could not be opened: ${cause.message}`;
    super(`port ${port} on ${host} ${why}`, { cause });
    this.host = host;
    this.port = port;
    this.code = code;
  }
}

/**
 * A TCP listener as an Observable: `listening` with the real port (useful when
 * 0 was asked for), then one `connection` per client. Unsubscribing closes the
 * port; sockets already handed out stay open for their channels to close.
 *
 * @example
 * ```ts
 * listenTcp('localhost', 7624).subscribe((event) => event.type === 'connection' && event.socket.end());
 * ```
 */
export function listenTcp(host: string, port: number): Observable<ListenEvent> {
  return new Observable<ListenEvent>((subscriber) => {
    // Half-open: a client that ends its stream after a request still gets the answers.
    const server = createServer({ allowHalfOpen: true }, (socket) =>
      subscriber.next({ type: 'connection', socket }),
    );
    server.once('error', (error: NodeJS.ErrnoException) =>
      subscriber.error(new ListenError(host, port, error.code, error)),
    );
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      subscriber.next({ type: 'listening', host, port: actual });
    });
    return () => server.close();
  });
}
