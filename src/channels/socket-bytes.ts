import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';

/**
 * The bytes a readable stream (a socket, a pipe) delivers, as an Observable:
 * completes at end of stream, errors with the stream's error. Unsubscribing
 * stops listening; it does not close the stream.
 *
 * @example
 * ```ts
 * streamBytes(socket).pipe(parseIndi());
 * ```
 */
export function streamBytes(stream: Readable): Observable<Uint8Array> {
  return new Observable<Uint8Array>((subscriber) => {
    const onData = (chunk: Uint8Array): void => subscriber.next(chunk);
    const onEnd = (): void => subscriber.complete();
    const onError = (error: Error): void => subscriber.error(error);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onError);
    return () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
    };
  });
}
