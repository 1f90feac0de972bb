import type { Observable, Observer } from 'rxjs';
import type { IndiMessage } from '../protocol/messages.js';
import { parseIndi, type ParseIndiOptions } from '../protocol/parse-indi.js';
import type { ChannelEvent } from './channel.js';

/**
 * The INDI messages in a connection's bytes (a socket's {@link streamBytes},
 * a driver's {@link pipeBytes}), with the bad input skipped reported as
 * `protocolError` events of `channel`.
 *
 * @example
 * ```ts
 * readIndi(streamBytes(socket), '127.0.0.1:5000', events$).subscribe((message) => console.log(message.type));
 * ```
 */
export function readIndi(
  bytes$: Observable<Uint8Array>,
  channel: string,
  events$: Observer<ChannelEvent>,
  parse: Omit<ParseIndiOptions, 'onProblem'> = {},
): Observable<IndiMessage> {
  return bytes$.pipe(
    parseIndi({ ...parse, onProblem: (error) => events$.next({ type: 'protocolError', channel, error }) }),
  );
}
