import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import {
  EMPTY,
  Subject,
  catchError,
  concat,
  defer,
  finalize,
  from,
  mergeMap,
  retry,
  share,
  tap,
  throwError,
  timer,
  type Observable,
  type Observer,
} from 'rxjs';
import { encodeIndi } from '../protocol/encode-indi.js';
import { holdOriginal } from '../protocol/original-text.js';
import type { IndiMessage } from '../protocol/messages.js';
import type { ParseIndiOptions } from '../protocol/parse-indi.js';
import type { Channel, ChannelEvent } from './channel.js';
import { DriverExitedError, DriverNotFoundError } from './driver-exited-error.js';
import { openDriverPipes } from './driver-pipes.js';
import { findExecutable } from './find-executable.js';
import { pipeBytes } from './pipe-bytes.js';
import { deleteDevicesOnError } from './delete-devices-on-error.js';
import { readIndi } from './read-indi.js';

/**
 * How a driver process is named, restarted and stopped.
 *
 * @example
 * ```ts
 * const options: ProcessChannelOptions = { restarts: 3, killGraceMs: 1000, env: { INDIDEV: 'CCD Simulator' } };
 * const ccd = processChannel('indi_simulator_ccd', [], options);
 * ```
 */
export interface ProcessChannelOptions {
  /** Defaults to the command's file name. */
  readonly id?: string;
  /** Restarts after the first start before giving up (indiserver `-r`). Default 10. */
  readonly restarts?: number;
  /** Milliseconds before restart number `attempt` (1-based). Default 250 ms doubling to 10 s. */
  readonly restartDelay?: (attempt: number) => number;
  /** Milliseconds between SIGTERM and SIGKILL when stopping. Default 3000. */
  readonly killGraceMs?: number;
  /** Milliseconds a driver may live on after closing its stdout. Default 5000. */
  readonly exitGraceMs?: number;
  readonly parse?: Omit<ParseIndiOptions, 'onProblem'>;
  /** Extra environment variables for the driver. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * While this says true, the driver's output is not read: its pipe fills and
   * its writes wait (what {@link serve} does while a client that keeps up is
   * briefly behind). Default: always read.
   */
  readonly paused$?: Observable<boolean>;
}

/** execa's option types accept descriptor numbers only as literal types. */
const fileDescriptor = (fd: number): 3 => fd as 3;

const defaultRestartDelay = (attempt: number): number => Math.min(250 * 2 ** (attempt - 1), 10_000);

/**
 * An external driver program as a channel (indiserver's drivers): INDI on its
 * stdin and stdout through real pipes ({@link openDriverPipes}), stderr lines
 * reported as events with the driver's name, `getProperties` sent at every
 * start. When it dies, `messages$` first emits a `delProperty` for every
 * device it had defined, then restarts it with a growing delay, up to
 * `restarts` times; after that it errors with a {@link DriverExitedError}.
 * Unsubscribing terminates it (SIGTERM, then SIGKILL after `killGraceMs`).
 *
 * @example
 * ```ts
 * const telescope = processChannel('indi_simulator_telescope');
 * telescope.events$.subscribe((event) => console.log(event));
 * ```
 */
export function processChannel(
  command: string,
  args: readonly string[] = [],
  options: ProcessChannelOptions = {},
): Channel {
  const id = options.id ?? basename(command);
  const events$ = new Subject<ChannelEvent>();
  const restartDelay = options.restartDelay ?? defaultRestartDelay;
  let toDriver: { write(bytes: Uint8Array, done?: () => void): unknown; end(): unknown } | undefined;
  let lastExit: Promise<unknown> = Promise.resolve();
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  const runOnce$ = defer((): Observable<IndiMessage> => {
    const executable = findExecutable(command);
    if (executable === undefined) return throwError(() => new DriverNotFoundError(command));
    const pipes = openDriverPipes();
    const subprocess = execa(executable, [...args], {
      stdin: fileDescriptor(pipes.childStdin),
      stdout: fileDescriptor(pipes.childStdout),
      stderr: 'pipe',
      reject: false,
      buffer: false,
      forceKillAfterDelay: options.killGraceMs ?? 3000,
      env: options.env,
    });
    pipes.releaseChildEnds();
    lastExit = subprocess;
    toDriver = pipes.toDriver;
    pipes.toDriver.on('error', () => undefined);
    events$.next({ type: 'driverStarted', channel: id, pid: subprocess.pid });
    let lastWords: string | undefined;
    createInterface({ input: subprocess.stderr }).on('line', (line) => {
      lastWords = line;
      events$.next({ type: 'stderr', channel: id, line });
    });
    pipes.toDriver.write(encodeIndi({ type: 'getProperties', version: '1.7' }));
    const output$ = readIndi(pipeBytes(pipes.fromDriver, options.paused$), id, events$, options.parse).pipe(
      catchError((error: unknown) => {
        if (error instanceof Error) lastWords = error.message;
        subprocess.kill();
        return EMPTY;
      }),
    );
    const exit$ = defer(() => {
      const deadline = setTimeout(() => subprocess.kill(), options.exitGraceMs ?? 5000);
      return from(subprocess.then((result) => result)).pipe(finalize(() => clearTimeout(deadline)));
    }).pipe(
      mergeMap((result) =>
        throwError(() => new DriverExitedError(id, result.exitCode, result.signal, lastWords)),
      ),
    );
    return concat(output$, exit$).pipe(
      deleteDevicesOnError(),
      finalize(() => {
        toDriver = undefined;
        subprocess.kill();
        pipes.toDriver.destroy();
      }),
    );
  });

  const messages$ = runOnce$.pipe(
    retry({
      count: options.restarts ?? 10,
      delay: (error: unknown, attempt) => {
        if (!(error instanceof DriverExitedError)) return throwError(() => error);
        const restartIn = restartDelay(attempt);
        events$.next({ type: 'driverExited', channel: id, error, restartIn });
        return timer(restartIn);
      },
    }),
    tap({
      error: (error: unknown) => {
        if (error instanceof DriverExitedError) {
          events$.next({ type: 'driverExited', channel: id, error, restartIn: undefined });
        }
      },
    }),
    finalize(() => {
      void lastExit.finally(() => {
        events$.complete();
        markClosed();
      });
    }),
    share(),
  );

  const sink: Observer<IndiMessage> = {
    next: (message) => {
      if (toDriver) toDriver.write(encodeIndi(message), holdOriginal(message));
    },
    error: () => toDriver?.end(),
    complete: () => toDriver?.end(),
  };
  return { id, kind: 'driver', messages$, sink, events$, closed, holdsOriginals: true };
}
