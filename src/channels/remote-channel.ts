import type { IndiMessage } from '../protocol/messages.js';
import { isDefVector } from '../protocol/messages.js';
import type { ParseIndiOptions } from '../protocol/parse-indi.js';
import type { Channel } from './channel.js';
import { growingDelay, socketLink } from './socket-link.js';

/**
 * How a link to another INDI server behaves.
 *
 * @example
 * ```ts
 * const options: RemoteChannelOptions = { device: 'CCD Simulator', blobs: true };
 * const camera = remoteChannel('observatory.local', 7624, options);
 * ```
 */
export interface RemoteChannelOptions {
  /** Defaults to `host:port`, or `device@host:port` for a single device. */
  readonly id?: string;
  /** Only this device of the remote server (indiserver's `device@host:port`). */
  readonly device?: string;
  /** Ask the remote server for BLOBs of its devices (`enableBLOB Also`). Default false. */
  readonly blobs?: boolean;
  /** Milliseconds before reconnection attempt `attempt` (1-based). Default 500 ms doubling to 30 s. */
  readonly reconnectDelay?: (attempt: number) => number;
  readonly parse?: Omit<ParseIndiOptions, 'onProblem'>;
}

/** On each connection, `enableBLOB Also` once for every device the remote server defines. */
function askForBlobs(): (message: IndiMessage) => readonly IndiMessage[] {
  const asked = new Set<string>();
  return (message) => {
    if (!isDefVector(message) || asked.has(message.device)) return [];
    asked.add(message.device);
    return [{ type: 'enableBLOB', device: message.device, mode: 'Also' }];
  };
}

/**
 * A link to another INDI server (rxindi or indiserver) as a channel: this
 * server connects as a client and asks for every device with
 * `getProperties device='*'`, which is how indiserver chains servers and
 * how rxindi recognises a linked server. The remote devices appear here;
 * requests for them go through the link. When the link drops, `messages$`
 * emits a `delProperty` for each remote device and reconnects with a growing
 * delay, forever; link status is reported on `events$` ({@link socketLink}).
 *
 * @example
 * ```ts
 * const server = new IndiServer({ port: 7624 });
 * server.addDriver(remoteChannel('dome-pi.local', 7624, { blobs: true }));
 * ```
 */
export function remoteChannel(host: string, port: number, options: RemoteChannelOptions = {}): Channel {
  const link = `${host}:${port}`;
  return socketLink(host, port, {
    id: options.id ?? (options.device === undefined ? link : `${options.device}@${link}`),
    reconnectDelay: options.reconnectDelay ?? growingDelay(),
    greeting: () => [{ type: 'getProperties', version: '1.7', device: options.device ?? '*' }],
    ...(options.blobs === true ? { answers: askForBlobs } : {}),
    ...(options.parse === undefined ? {} : { parse: options.parse }),
  });
}
