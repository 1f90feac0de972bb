import { connect } from 'node:net';
import {
  ReplaySubject,
  connectable,
  distinctUntilChanged,
  map,
  scan,
  share,
  startWith,
  tap,
  type Observable,
} from 'rxjs';
import type { Channel, ChannelEvent } from '../channels/channel.js';
import { socketChannel } from '../channels/socket-channel.js';
import { growingDelay, socketLink } from '../channels/socket-link.js';
import { encodeBlob } from '../protocol/blob-data.js';
import { checkNewVector } from '../protocol/check-new-vector.js';
import type { BlobMode, DefVector, IndiMessage, NewVector, SwitchState } from '../protocol/messages.js';
import { indiTimestamp } from '../protocol/timestamp.js';
import { nextIndiDevices, noDevices, type IndiDevices } from './indi-devices.js';
import { SendRefusedError } from './send-refused-error.js';

/**
 * How long a reconnecting client waits: `initialDelayMs` after a drop, doubling at each failed attempt up to `maxDelayMs`.
 *
 * @example
 * ```ts
 * connectIndi({ port: 7624, reconnect: { initialDelayMs: 1000, maxDelayMs: 60_000 } });
 * ```
 */
export interface ReconnectOptions {
  /** Default 500. */
  readonly initialDelayMs?: number;
  /** Default 30 000. */
  readonly maxDelayMs?: number;
}

/**
 * Where {@link connectIndi} connects, and whether it comes back after a drop.
 *
 * @example
 * ```ts
 * const options: ConnectIndiOptions = { host: 'observatory.local', port: 7624, reconnect: true };
 * ```
 */
export interface ConnectIndiOptions {
  /** Default 'localhost'. */
  readonly host?: string;
  /** Default 7624 (INDI). */
  readonly port?: number;
  /**
   * Connect again when the connection drops or is refused (server restarted,
   * network blip), with a growing delay, until `close()`. Default false:
   * `messages$` then completes when the server closes and errors when the
   * connection fails, as a script expects.
   */
  readonly reconnect?: boolean | ReconnectOptions;
}

/**
 * BLOB data a client sends with {@link IndiClient.setBlob}.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * client.setBlob('Dome', 'SCRIPT', { FILE: { bytes: readFileSync('close.sh'), format: '.sh' } });
 * ```
 */
export interface BlobUpload {
  readonly bytes: Uint8Array;
  /** The file type, e.g. '.fits', '.fits.z' (INDI 1.7 `format`). */
  readonly format: string;
  /** The uncompressed size; default the byte length. */
  readonly size?: number;
}

/**
 * A connection to an INDI server, as returned by {@link connectIndi}. Its functions are safe to destructure.
 *
 * @example
 * ```ts
 * const { devices$, setSwitch, close }: IndiClient = connectIndi({ port: 7624 });
 * ```
 */
export interface IndiClient {
  /**
   * Everything the server sends, from the moment of subscription; errors if
   * the connection fails. With `reconnect`, a drop shows as a `delProperty`
   * for each device the server had defined, and it goes on.
   */
  readonly messages$: Observable<IndiMessage>;
  /** Every device and vector known so far (definitions merged with updates, deletions honoured), replayed to late subscribers. */
  readonly devices$: Observable<IndiDevices>;
  /** Problems that do not end the connection (a bad message skipped); with `reconnect`, `linkDown` and `linkUp`. */
  readonly events$: Observable<ChannelEvent>;
  /** Sends any message as it is, unchecked; with `reconnect`, dropped while the link is down. */
  readonly send: (message: IndiMessage) => void;
  /** Asks for definitions: of everything, a device, or one vector (INDI 1.7 `getProperties`); asked again after a reconnection. */
  readonly getProperties: (device?: string, name?: string) => void;
  /** One vector's current state, now and at every change; undefined while it is not defined. */
  readonly watch: (device: string, name: string) => Observable<DefVector | undefined>;
  /**
   * Sends a `newNumberVector`, after checking it against the vector's current
   * definition with the rules the driver applies; throws {@link SendRefusedError}
   * (and sends nothing) when it would be refused. So do the other setters.
   */
  readonly setNumber: (device: string, name: string, values: Readonly<Record<string, number>>) => void;
  /** Sends a checked `newSwitchVector` (a OneOfMany vector needs exactly one member On). */
  readonly setSwitch: (device: string, name: string, values: Readonly<Record<string, SwitchState>>) => void;
  /** Sends a checked `newTextVector`. */
  readonly setText: (device: string, name: string, values: Readonly<Record<string, string>>) => void;
  /** Sends a checked `newBLOBVector`, the bytes encoded as base64. */
  readonly setBlob: (device: string, name: string, values: Readonly<Record<string, BlobUpload>>) => void;
  /** Chooses whether BLOBs of a device (or one vector) come on this connection (INDI 1.7 `enableBLOB`); chosen again after a reconnection. */
  readonly enableBLOB: (device: string, mode: BlobMode, name?: string) => void;
  /** Closes the connection (and stops reconnecting); resolves once the socket is closed. */
  readonly close: () => Promise<void>;
}

function openChannel(
  host: string,
  port: number,
  reconnect: boolean | ReconnectOptions,
  greeting: () => readonly IndiMessage[],
): Channel {
  const id = `server ${host}:${port}`;
  if (reconnect === false) return socketChannel(connect(port, host), { id, kind: 'remote' });
  return socketLink(host, port, {
    id,
    reconnectDelay: growingDelay(reconnect === true ? {} : reconnect),
    greeting,
  });
}

/**
 * Connects to an INDI server (indiserver, rxindi, any INDI 1.7 server) and
 * returns a small reactive client: the raw messages, the live state of every
 * device, and helpers that send `getProperties`, `new*Vector` and `enableBLOB`.
 * The state is kept from the first byte, whoever subscribes and whenever.
 * With `reconnect`, a new connection asks again for what `getProperties` and
 * `enableBLOB` asked on the old one.
 *
 * @example
 * ```ts
 * const client = connectIndi({ port: 7624, reconnect: true });
 * client.getProperties();
 * await firstValueFrom(client.watch('Telescope Simulator', 'CONNECTION').pipe(filter(Boolean)));
 * client.setSwitch('Telescope Simulator', 'CONNECTION', { CONNECT: 'On' });
 * ```
 */
export function connectIndi(options: ConnectIndiOptions = {}): IndiClient {
  const host = options.host ?? 'localhost';
  const port = options.port ?? 7624;
  // What a new connection must be told again, by kind, device and vector, in the order last asked.
  const askedBefore = new Map<string, IndiMessage>();
  const remember = (message: IndiMessage & { readonly device?: string; readonly name?: string }): void => {
    const key = [message.type, message.device ?? '', message.name ?? ''].join('\u0000');
    askedBefore.delete(key);
    askedBefore.set(key, message);
  };
  const channel = openChannel(host, port, options.reconnect ?? false, () => [...askedBefore.values()]);
  // One subscription to the socket for everyone; its end (or failure) is replayed to late subscribers.
  const messages$ = channel.messages$.pipe(
    share({ resetOnError: false, resetOnComplete: false, resetOnRefCountZero: false }),
  );
  let known: IndiDevices = noDevices;
  const devices$ = connectable(
    messages$.pipe(
      scan(nextIndiDevices, noDevices),
      startWith(noDevices),
      distinctUntilChanged(),
      tap((devices) => (known = devices)),
    ),
    {
      connector: () => new ReplaySubject<IndiDevices>(1),
      resetOnDisconnect: false,
    },
  );
  // The client owns its socket: it keeps the state from the start, and the
  // subscription ends with the connection.
  devices$.connect();
  const send = (message: IndiMessage): void => channel.sink.next(message);
  const sendChecked = (request: NewVector): void => {
    const { device, name } = request;
    const def = known.get(device)?.get(name);
    if (def === undefined) throw new SendRefusedError(device, name, { rule: 'notDefined' });
    const checked = checkNewVector(def, request);
    if (!checked.ok) throw new SendRefusedError(device, name, checked);
    send(request);
  };
  const members = <V>(values: Readonly<Record<string, V>>) =>
    Object.entries(values).map(([name, value]) => ({ name, value }));
  const where = (device: string, name: string) => ({ device, name, timestamp: indiTimestamp() });
  const ask = (message: IndiMessage): void => {
    remember(message);
    send(message);
  };
  return {
    messages$,
    devices$,
    events$: channel.events$,
    send,
    getProperties: (device, name) =>
      ask({
        type: 'getProperties',
        version: '1.7',
        ...(device === undefined ? {} : { device }),
        ...(name === undefined ? {} : { name }),
      }),
    watch: (device, name) =>
      devices$.pipe(
        map((devices) => devices.get(device)?.get(name)),
        distinctUntilChanged(),
      ),
    setNumber: (device, name, values) =>
      sendChecked({ type: 'newNumberVector', ...where(device, name), members: members(values) }),
    setSwitch: (device, name, values) =>
      sendChecked({ type: 'newSwitchVector', ...where(device, name), members: members(values) }),
    setText: (device, name, values) =>
      sendChecked({ type: 'newTextVector', ...where(device, name), members: members(values) }),
    setBlob: (device, name, values) =>
      sendChecked({
        type: 'newBLOBVector',
        ...where(device, name),
        members: Object.entries(values).map(([member, { bytes, format, size }]) => ({
          name: member,
          size: size ?? bytes.length,
          format,
          value: encodeBlob(bytes),
        })),
      }),
    enableBLOB: (device, mode, name) =>
      ask({ type: 'enableBLOB', device, ...(name === undefined ? {} : { name }), mode }),
    close: () => {
      channel.sink.complete();
      return channel.closed;
    },
  };
}
