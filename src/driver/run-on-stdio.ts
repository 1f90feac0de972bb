import type { Readable, Writable } from 'node:stream';
import { ignoreElements, merge, tap } from 'rxjs';
import { streamBytes } from '../channels/socket-bytes.js';
import { encodeIndi } from '../protocol/encode-indi.js';
import { parseIndi } from '../protocol/parse-indi.js';
import type { DeviceDefinition } from './define-device.js';
import type { DriverEvent } from './driver-event.js';
import type { IndiDriver } from './indi-driver.js';

/** Where {@link runOnStdio} reads, writes and logs; the process's own stdio by default. */
export interface RunOnStdioOptions {
  readonly input?: Readable;
  readonly output?: Writable;
  /** One line per problem (bad input, rejected request, failed handler). Default: stderr, which indiserver logs. */
  readonly log?: (line: string) => void;
}

function describe(event: DriverEvent): string {
  const where = `${event.device}.${event.name}`;
  if (event.type === 'requestRejected') return `${where} request rejected: ${event.reason}`;
  return `${where} handler failed: ${event.error instanceof Error ? (event.error.stack ?? event.error.message) : String(event.error)}`;
}

/**
 * Runs an in-process driver as an external driver program, the way
 * indiserver runs drivers: INDI arrives on stdin ({@link parseIndi}), the
 * driver's messages go to stdout ({@link encodeIndi}), problems go to stderr.
 * When stdin ends, the driver is closed and the promise resolves once stdout
 * is flushed; it rejects if stdin breaks or stops being INDI.
 *
 * indiserver starts drivers by name with execlp, so give it an executable
 * file: a script with a shebang that runs this one (e.g. `node --import tsx my-driver.ts`).
 *
 * @example
 * ```ts
 * // my-driver.ts, run by indiserver as `indiserver ./my-driver.sh`
 * await runOnStdio(indiDriver([mount]));
 * process.exit(0);
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
  return new Promise<void>((resolve, reject) => {
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
}
