/**
 * What the server variants (read-only-mirror, device-filter, throttle,
 * recorder, replay) share on the command line, so that each file shows only
 * its own rule: the upstream link, the signals that stop it, and the one line
 * it prints.
 */
import { fromEvent, merge, type Observable, type Observer } from 'rxjs';
import { remoteChannel, type Channel, type ServerEvent } from '../../src/index.js';

/** SIGINT or SIGTERM: `serve`'s graceful stop. */
export const stopSignals$: Observable<unknown> = merge(
  fromEvent(process, 'SIGINT'),
  fromEvent(process, 'SIGTERM'),
);

/**
 * `--upstream HOST:PORT` (split at the last colon) as one channel among the
 * server's, as a driver would be: it connects as a client, asks for every
 * device and for BLOBs (each client still chooses with enableBLOB), and
 * reconnects if it drops. Undefined when the text is not HOST:PORT.
 */
export function upstreamLink(text: string | undefined): Channel | undefined {
  const colon = text?.lastIndexOf(':') ?? -1;
  if (text === undefined || colon <= 0) return undefined;
  return remoteChannel(text.slice(0, colon), Number(text.slice(colon + 1)), { blobs: true });
}

/** Prints `usage` on stderr and exits 2, as for any bad command line. */
export function exitWithUsage(usage: string): never {
  console.error(`usage: ${usage}`);
  process.exit(2);
}

/**
 * The one line a variant prints, `listening on host:port`, once it listens;
 * if it cannot (the port is taken, or not ours to open), the reason on
 * stderr and exit status 1.
 */
export const reportListening: Partial<Observer<ServerEvent>> = {
  next: (event) => {
    if (event.type === 'listening') console.log(`listening on ${event.host}:${event.port}`);
  },
  error: (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
};
