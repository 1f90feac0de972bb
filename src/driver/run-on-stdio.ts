import type { Readable, Writable } from 'node:stream';
import { ignoreElements, merge, tap } from 'rxjs';
import { streamBytes } from '../channels/socket-bytes.js';
import { encodeIndi } from '../protocol/encode-indi.js';
import { parseIndi } from '../protocol/parse-indi.js';
import type { DeviceDefinition } from './define-device.js';
import type { DriverEvent } from './driver-event.js';
import type { IndiDriver } from './indi-driver.js';

/**
 * Where {@link runOnStdio} reads, writes and logs, and what it does at the
 * end; the process's own stdio and exit by default. Give other streams to run
 * a driver inside a test or behind another transport.
 *
 * @example
 * ```ts
 * import { PassThrough } from 'node:stream';
 * const toDriver = new PassThrough();
 * const fromDriver = new PassThrough();
 * const problems: string[] = [];
 * const done = runOnStdio(driver, { input: toDriver, output: fromDriver, log: (line) => problems.push(line), onEnd: 'resolve' });
 * toDriver.end('<getProperties version="1.7"/>\n');
 * await done; // resolves instead of exiting the process
 * ```
 */
export interface RunOnStdioOptions {
  readonly input?: Readable;
  readonly output?: Writable;
  /** One line per problem (bad input, rejected request, failed handler). Default: stderr, which indiserver logs. */
  readonly log?: (line: string) => void;
  /**
   * What to do when it ends: 'exit' the process (status 0 when stdin ended,
   * 1 when it broke), as libindi drivers do at end of stdin, even if timers
   * are still running; or just 'resolve' (or reject) the returned promise.
   * Default 'exit'.
   */
  readonly onEnd?: 'exit' | 'resolve';
}

const errorText = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

function describe(event: DriverEvent): string {
  const where = `${event.device}.${event.name}`;
  if (event.type === 'requestRejected') return `${where} request rejected: ${event.reason}`;
  return `${where} handler failed: ${errorText(event.error)}`;
}

/**
 * Runs an in-process driver as an external driver program, the way
 * indiserver runs drivers: INDI arrives on stdin ({@link parseIndi}), the
 * driver's messages go to stdout ({@link encodeIndi}), problems go to stderr.
 * When stdin ends, the driver is closed (its devices deleted) and, once
 * stdout is flushed, the process exits, as a libindi driver does; with
 * `onEnd: 'resolve'` the returned promise resolves instead (and rejects if
 * stdin breaks or stops being INDI).
 *
 * indiserver starts drivers by name with execlp, so give it an executable
 * file: a script with a shebang that runs this one (e.g. `node --import tsx my-driver.ts`).
 *
 * @example
 * ```ts
 * // my-driver.ts, run by indiserver as `indiserver ./my-driver.sh`
 * const driver = indiDriver([mount]);
 * driver.handle('Telescope Simulator', 'CONNECTION', (request) => driver.set('Telescope Simulator', 'CONNECTION', request.values, { state: 'Ok' }));
 * void runOnStdio(driver);
 * ```
 */
export function runOnStdio<D extends DeviceDefinition>(
  driver: IndiDriver<D>,
  options: RunOnStdioOptions = {},
): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // indiserver gone: nothing more to say.
  output.on('error', () => void driver.close());
  const input$ = streamBytes(input).pipe(
    parseIndi({ onProblem: (error) => log(`bad INDI on stdin: ${error.message}`) }),
  );
  const finished = new Promise<void>((resolve, reject) => {
    merge(
      driver.messages$.pipe(tap((message) => output.write(encodeIndi(message)))),
      input$.pipe(tap(driver.sink)),
      driver.driverEvents$.pipe(tap((event) => log(describe(event)))),
    )
      .pipe(ignoreElements())
      .subscribe({
        error: reject,
        complete: () => output.write(new Uint8Array(0), () => resolve()),
      });
  });
  if (options.onEnd === 'resolve') return finished;
  return finished.then(
    () => process.exit(0),
    (error: unknown) => {
      log(`stdin failed: ${errorText(error)}`);
      process.exit(1);
    },
  );
}
