import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { NEVER, Observable } from 'rxjs';

/**
 * One read buffer for every pipe: reads happen one at a time on the event
 * loop, and each chunk is consumed before the next read, so a single 1 MiB
 * buffer serves any number of drivers without an allocation per read (Node's
 * own reads allocate 64 KiB each, which for a camera's images kept the
 * garbage collector busy a fifth of the time).
 */
const readBuffer = Buffer.allocUnsafe(1024 * 1024);

/**
 * The bytes arriving on a pipe's non-blocking read end (a driver's stdout),
 * read up to 1 MiB at a time into one shared buffer. Each chunk is a view of
 * that buffer and is valid only while it is being handled: copy what you
 * keep ({@link parseIndi} does). While `paused$` says true, nothing is read
 * and the writer's pipe fills, so a writer that outpaces its readers waits.
 * Completes at end of file; unsubscribing closes the descriptor.
 *
 * @example
 * ```ts
 * const pipes = openDriverPipes();
 * pipeBytes(pipes.fromDriver).subscribe((chunk) => process.stdout.write(Buffer.from(chunk)));
 * ```
 */
export function pipeBytes(fd: number, paused$: Observable<boolean> = NEVER): Observable<Uint8Array> {
  return new Observable<Uint8Array>((subscriber) => {
    // Node takes `onread` for any socket; its types only list it for connect().
    const options: SocketConstructorOpts & { onread: OnReadOpts } = {
      fd,
      readable: true,
      writable: false,
      onread: {
        buffer: readBuffer,
        callback: (length, buffer) => {
          subscriber.next(buffer.subarray(0, length));
          return true;
        },
      },
    };
    const pipe = new Socket(options);
    const ended = (): void => subscriber.complete();
    pipe.once('end', ended);
    pipe.once('close', ended);
    pipe.once('error', (error) => subscriber.error(error));
    const pausing = paused$.subscribe((paused) => {
      if (paused) pipe.pause();
      else pipe.resume();
    });
    return () => {
      pausing.unsubscribe();
      pipe.destroy();
    };
  });
}
