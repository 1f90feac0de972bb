import type { Readable } from 'node:stream';
import type { Observable, Observer } from 'rxjs';
import type { IndiMessage } from '../protocol/messages.js';
import { parseIndi, type ParseIndiOptions } from '../protocol/parse-indi.js';
import type { ChannelEvent } from './channel.js';
import { streamBytes } from './socket-bytes.js';

/**
 * The INDI messages a stream carries (a socket, a driver's stdout), with the
 * bad input it skips reported as `protocolError` events of `channel`.
 *
 * @example
 * ```ts
 * readIndi(socket, '127.0.0.1:5000', events$).subscribe((message) => console.log(message.type));
 * ```
 */
export function readIndi(
  stream: Readable,
  channel: string,
  events$: Observer<ChannelEvent>,
  parse: Omit<ParseIndiOptions, 'onProblem'> = {},
): Observable<IndiMessage> {
  return streamBytes(stream).pipe(
    parseIndi({ ...parse, onProblem: (error) => events$.next({ type: 'protocolError', channel, error }) }),
  );
}
