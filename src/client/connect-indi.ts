import { connect } from 'node:net';
import {
  ReplaySubject,
  connectable,
  distinctUntilChanged,
  map,
  scan,
  share,
  startWith,
  type Observable,
} from 'rxjs';
import type { ChannelEvent } from '../channels/channel.js';
import { socketChannel } from '../channels/socket-channel.js';
import type { BlobMode, DefVector, IndiMessage, SwitchState } from '../protocol/messages.js';
import { indiTimestamp } from '../protocol/timestamp.js';
import { nextIndiDevices, noDevices, type IndiDevices } from './indi-devices.js';

/** Where {@link connectIndi} connects. */
export interface ConnectIndiOptions {
  /** Default 'localhost'. */
  readonly host?: string;
  /** Default 7624 (INDI). */
  readonly port?: number;
}

/** A connection to an INDI server, as returned by {@link connectIndi}. Its functions are safe to destructure. */
export interface IndiClient {
  /** Everything the server sends, from the moment of subscription; errors if the connection fails. */
  readonly messages$: Observable<IndiMessage>;
  /** Every device and vector known so far (definitions merged with updates, deletions honoured), replayed to late subscribers. */
  readonly devices$: Observable<IndiDevices>;
  /** Problems that do not end the connection (a bad message skipped). */
  readonly events$: Observable<ChannelEvent>;
  readonly send: (message: IndiMessage) => void;
  /** Asks for definitions: of everything, a device, or one vector (INDI 1.7 `getProperties`). */
  readonly getProperties: (device?: string, name?: string) => void;
  /** One vector's current state, now and at every change; undefined while it is not defined. */
  readonly watch: (device: string, name: string) => Observable<DefVector | undefined>;
  readonly setNumber: (device: string, name: string, values: Readonly<Record<string, number>>) => void;
  readonly setSwitch: (device: string, name: string, values: Readonly<Record<string, SwitchState>>) => void;
  readonly setText: (device: string, name: string, values: Readonly<Record<string, string>>) => void;
  /** Chooses whether BLOBs of a device (or one vector) come on this connection (INDI 1.7 `enableBLOB`). */
  readonly enableBLOB: (device: string, mode: BlobMode, name?: string) => void;
  /** Closes the connection; resolves once the socket is closed. */
  readonly close: () => Promise<void>;
}

/**
 * Connects to an INDI server (indiserver, rxindi, any INDI 1.7 server) and
 * returns a small reactive client: the raw messages, the live state of every
 * device, and helpers that send `getProperties`, `new*Vector` and `enableBLOB`.
 * The state is kept from the first byte, whoever subscribes and whenever.
 *
 * @example
 * ```ts
 * const client = connectIndi({ port: 7624 });
 * client.getProperties();
 * await firstValueFrom(client.watch('Telescope Simulator', 'CONNECTION').pipe(filter(Boolean)));
 * client.setSwitch('Telescope Simulator', 'CONNECTION', { CONNECT: 'On' });
 * ```
 */
export function connectIndi(options: ConnectIndiOptions = {}): IndiClient {
  const host = options.host ?? 'localhost';
  const port = options.port ?? 7624;
  const channel = socketChannel(connect(port, host), { id: `server ${host}:${port}`, kind: 'remote' });
  // One subscription to the socket for everyone; its end (or failure) is replayed to late subscribers.
  const messages$ = channel.messages$.pipe(
    share({ resetOnError: false, resetOnComplete: false, resetOnRefCountZero: false }),
  );
  const devices$ = connectable(
    messages$.pipe(scan(nextIndiDevices, noDevices), startWith(noDevices), distinctUntilChanged()),
    {
      connector: () => new ReplaySubject<IndiDevices>(1),
      resetOnDisconnect: false,
    },
  );
  // The client owns its socket: it keeps the state from the start, and the
  // subscription ends with the connection.
  devices$.connect();
  const send = (message: IndiMessage): void => channel.sink.next(message);
  const members = <V>(values: Readonly<Record<string, V>>) =>
    Object.entries(values).map(([name, value]) => ({ name, value }));
  const where = (device: string, name: string) => ({ device, name, timestamp: indiTimestamp() });
  return {
    messages$,
    devices$,
    events$: channel.events$,
    send,
    getProperties: (device, name) =>
      send({
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
      send({ type: 'newNumberVector', ...where(device, name), members: members(values) }),
    setSwitch: (device, name, values) =>
      send({ type: 'newSwitchVector', ...where(device, name), members: members(values) }),
    setText: (device, name, values) =>
      send({ type: 'newTextVector', ...where(device, name), members: members(values) }),
    enableBLOB: (device, mode, name) =>
      send({ type: 'enableBLOB', device, ...(name === undefined ? {} : { name }), mode }),
    close: () => {
      channel.sink.complete();
      return channel.closed;
    },
  };
}
