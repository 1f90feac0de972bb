import type { Socket } from 'node:net';
import {
  EMPTY,
  NEVER,
  Observable,
  Subject,
  catchError,
  concat,
  connectable,
  defer,
  filter,
  finalize,
  from,
  identity,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  share,
  shareReplay,
  take,
  takeUntil,
  tap,
  type Connectable,
  type MonoTypeOperatorFunction,
  type OperatorFunction,
  type Subscription,
} from 'rxjs';
import type { Channel, ChannelEvent } from '../channels/channel.js';
import { listenTcp, type ListenEvent } from '../channels/listen-tcp.js';
import { processChannel } from '../channels/process-channel.js';
import { refuseSocket, socketChannel } from '../channels/socket-channel.js';
import { IndiProtocolError } from '../protocol/errors.js';
import { LinePool } from '../protocol/line-pool.js';
import { keepOriginal } from '../protocol/original-text.js';
import { isDefVector, type IndiMessage, type Message } from '../protocol/messages.js';
import { indiTimestamp } from '../protocol/timestamp.js';
import type { ParseIndiOptions } from '../protocol/parse-indi.js';
import { conflate, conflationKey } from '../routing/conflate.js';
import { deliverTo } from '../routing/deliver-to.js';
import {
  defaultDefinitionLimits,
  limitDefinitions,
  type DefinitionLimits,
  type RefusedDefinition,
} from '../routing/limit-definitions.js';
import { DeviceCache } from '../routing/device-cache.js';
import { routeTraffic, type RoutedStep } from '../routing/route-traffic.js';
import { holdDrivers } from './backpressure.js';
import { isReply, tagTraffic, type ChannelRef, type Reply, type TrafficEvent } from '../routing/traffic.js';

/**
 * The parser's size limits, as every channel factory takes them (`parse`):
 * past them a connection is closed rather than buffered without end.
 *
 * @example
 * ```ts
 * const limits: ParseLimits = { maxMessageBytes: 64 * 1024 * 1024, maxTagBytes: 64 * 1024 };
 * const observatory = remoteChannel('observatory.local', 7624, { parse: limits });
 * ```
 */
export type ParseLimits = Pick<ParseIndiOptions, 'maxMessageBytes' | 'maxTagBytes'>;

/**
 * A driver program for {@link serve} to run: a name on PATH or a path, alone
 * or with its arguments, extra environment variables and the channel id it
 * is known by in events.
 *
 * @example
 * ```ts
 * const drivers: DriverCommand[] = [
 *   'indi_simulator_telescope',
 *   { command: '/usr/bin/indi_simulator_ccd', args: ['-v'], id: 'main camera', env: { INDIDEV: 'Main Camera' } },
 * ];
 * serve({ drivers }).subscribe();
 * ```
 */
export type DriverCommand =
  | string
  | {
      readonly command: string;
      readonly args?: readonly string[];
      readonly env?: Readonly<Record<string, string>>;
      readonly id?: string;
    };

/**
 * What {@link serve} builds: where it listens, which drivers and channels it
 * serves, its limits, and your operators on the traffic. Every field is optional.
 *
 * @example
 * ```ts
 * const options: ServeOptions = {
 *   port: 7624,
 *   maxConnections: 5,
 *   drivers: ['indi_simulator_telescope', 'indi_simulator_ccd'],
 *   channels$: of(indiDriver([mount])),
 *   stop$: fromEvent(process, 'SIGINT'),
 * };
 * serve(options).subscribe();
 * ```
 */
export interface ServeOptions {
  /** Interface to listen on. Default 'localhost'; '0.0.0.0' exposes the instruments to the network. */
  readonly host?: string;
  /** TCP port. Default 7624 (INDI); 0 picks a free one (see the `listening` event). */
  readonly port?: number;
  /** Listen for clients at all. Default true; false for a server fed only by `channels$`. */
  readonly listen?: boolean;
  /** Clients at once; the next one is told the server is full and closed. Default 10. */
  readonly maxConnections?: number;
  /** Clients at once from one IP address, refused like `maxConnections`. Default: no limit of its own. */
  readonly maxConnectionsPerAddress?: number;
  /** Largest element any connection may send (a BLOB included); past it that connection is closed. Default 512 MiB. */
  readonly maxMessageBytes?: number;
  /** Longest single tag (all of an element's attributes); past it that connection is closed. Default 1 MiB. */
  readonly maxTagBytes?: number;
  /** Devices one driver or link may define; its further devices are not served. Default 1000. */
  readonly maxDevices?: number;
  /** Properties one driver or link may define in all; further ones are not served. Default 20,000. */
  readonly maxProperties?: number;
  /** Driver programs to start, once the port is open; an Observable starts each one as it comes. */
  readonly drivers?: readonly DriverCommand[] | Observable<DriverCommand>;
  /** Restarts of a driver that dies, before giving up (indiserver `-r`). Default 10. */
  readonly restarts?: number;
  /** Bytes a client may fall behind before it is disconnected (indiserver `-m`). Default 128 MiB. */
  readonly maxQueueBytes?: number;
  /** Bytes behind past which streaming BLOBs are dropped for a client (indiserver `-d`). Default 5 MiB; 0 disables. */
  readonly maxStreamBytes?: number;
  /**
   * Milliseconds drivers' output may wait for a client that fell behind to
   * catch up (see {@link holdDrivers}); after that the client counts as slow
   * and gets the latest values instead of every one. Default 50; 0 never waits.
   */
  readonly driverHoldMs?: number;
  /**
   * Reusable memory for large elements (BLOBs) arriving from clients and
   * drivers: see {@link LinePool}. Default: a pool of its own, keeping up to
   * 32 MiB free; pass one to size it or to read its `stats`.
   */
  readonly linePool?: LinePool;
  /** More channels, at any time: in-process drivers, drivers started later, links. */
  readonly channels$?: Observable<Channel>;
  /** Ids of channels to close while the server runs (a driver stopped through the FIFO). */
  readonly remove$?: Observable<string>;
  /** Graceful stop: every channel completes, drivers are stopped, the port closes. */
  readonly stop$?: Observable<unknown>;
  /**
   * Your operator on each channel's incoming messages, before routing (a
   * driver's output, a client's requests): filter, rewrite, or watch them,
   * and answer the sender alone by emitting a {@link Reply} (see `reply`).
   */
  readonly incoming?: (channel: ChannelRef) => OperatorFunction<IndiMessage, IndiMessage | Reply>;
  /** Your operator on the merged, routed traffic, before any sink sees it. */
  readonly routed?: MonoTypeOperatorFunction<RoutedStep>;
  /** Your operator on what each channel is sent (per client on the way out, per driver on the way in). */
  readonly outgoing?: (channel: ChannelRef) => MonoTypeOperatorFunction<IndiMessage>;
  /** Emit a `traffic` event for every message in and out (asked again for each message). Default false. */
  readonly traffic?: boolean | (() => boolean);
}

/**
 * What happens in a running server, for logs and for programs embedding it:
 * the port it listens on, channels connecting and leaving, clients refused,
 * definitions not served, traffic when asked for, and every {@link ChannelEvent}.
 * Switch on `type`.
 *
 * @example
 * ```ts
 * serve({ drivers: ['indi_simulator_telescope'] }).subscribe((event: ServerEvent) => {
 *   if (event.type === 'listening') console.log(`listening on ${event.host}:${event.port}`);
 *   if (event.type === 'driverExited') console.error(`${event.channel}: ${event.error.message}`);
 * });
 * ```
 */
export type ServerEvent =
  | ChannelEvent
  | { readonly type: 'listening'; readonly host: string; readonly port: number }
  | { readonly type: 'connected'; readonly channel: string; readonly kind: Channel['kind'] }
  | {
      readonly type: 'disconnected';
      readonly channel: string;
      readonly kind: Channel['kind'];
      /** Why, when the channel ended with an error. */
      readonly error?: Error;
    }
  | { readonly type: 'refused'; readonly address: string; readonly reason: string }
  | ({
      /** A channel reached `maxDevices` or `maxProperties`: this definition, and any later new one, is not served. */
      readonly type: 'definitionRefused';
      readonly channel: string;
    } & RefusedDefinition)
  | {
      /** A second channel defines a device another one owns: it is not served. */
      readonly type: 'deviceConflict';
      readonly device: string;
      /** The channel whose definition is ignored, and the owner that is served. */
      readonly channel: string;
      readonly owner: string;
    }
  | {
      readonly type: 'traffic';
      readonly channel: string;
      readonly direction: 'in' | 'out';
      readonly message: IndiMessage;
    };

/**
 * The parser limits of `options`, for the channels a server opens.
 *
 * @example
 * ```ts
 * processChannel('indi_simulator_ccd', [], { parse: parseLimits({ maxMessageBytes: 64 * 1024 * 1024 }) });
 * ```
 */
export function parseLimits(options: Pick<ServeOptions, 'maxMessageBytes' | 'maxTagBytes'>): ParseLimits {
  return {
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
    ...(options.maxTagBytes === undefined ? {} : { maxTagBytes: options.maxTagBytes }),
  };
}

/** What the server's own channels parse with: its limits, and one pool for large elements. */
type PooledParse = ParseLimits & { readonly linePool: LinePool };

/**
 * An operator of yours between the server's own steps: messages reach it
 * with their pooled bytes kept ({@link keepOriginal}), since it may hold
 * them as long as it likes.
 */
function keepingOriginals<T, R>(
  messageOf: (item: T) => IndiMessage | undefined,
  operator: OperatorFunction<T, R>,
): OperatorFunction<T, R> {
  return (source) =>
    source.pipe(
      tap((item) => {
        const message = messageOf(item);
        if (message) keepOriginal(message);
      }),
      operator,
    );
}

const itself = (message: IndiMessage): IndiMessage => message;
const messageOfStep = ({ event }: RoutedStep): IndiMessage | undefined =>
  event.type === 'message' ? event.message : undefined;

/** The INDI `message` a client gets before it is closed for input that cannot be read. */
function unreadable(error: IndiProtocolError): Message {
  return {
    type: 'message',
    timestamp: indiTimestamp(),
    message: `rxindi: closing this connection: what it sent is not INDI XML: ${error.message}`,
  };
}

function driverChannel(
  driver: DriverCommand,
  options: ServeOptions,
  parse: PooledParse,
  paused$: Observable<boolean>,
): Channel {
  const { command, args = [], env, id } = typeof driver === 'string' ? { command: driver } : driver;
  return processChannel(command, args, {
    restarts: options.restarts,
    parse,
    env,
    paused$,
    ...(id === undefined ? {} : { id }),
  });
}

/**
 * An INDI server as an Observable of its events: subscribing starts it,
 * unsubscribing stops it at once, `stop$` stops it gracefully (the Observable
 * completes once every socket is closed and every driver has exited).
 *
 * The graph of DESIGN.md: every channel's messages are tagged with their
 * origin and merged, routing state is learned in a `scan`
 * ({@link routeTraffic}), the routed traffic is shared once, and each
 * channel's sink receives what {@link deliverTo} selects for it.
 *
 * @example
 * ```ts
 * serve({ port: 7624, drivers: ['indi_simulator_telescope'] }).subscribe((event) => console.log(event.type));
 * ```
 */
export function serve(options: ServeOptions = {}): Observable<ServerEvent> {
  return defer(() => {
    const events$ = new Subject<ServerEvent>();
    const stop$ = (options.stop$ ?? NEVER).pipe(share());
    const remove$ = (options.remove$ ?? NEVER).pipe(share());
    const maxConnections = options.maxConnections ?? 10;
    const perAddress = options.maxConnectionsPerAddress ?? maxConnections;
    let openClients = 0;
    const openByAddress = new Map<string, number>();
    const definitionLimits: DefinitionLimits = {
      maxDevices: options.maxDevices ?? defaultDefinitionLimits.maxDevices,
      maxProperties: options.maxProperties ?? defaultDefinitionLimits.maxProperties,
    };
    const parse: PooledParse = { ...parseLimits(options), linePool: options.linePool ?? new LinePool() };
    const hold$ = events$.pipe(
      holdDrivers(options.driverHoldMs),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    const tracing = options.traffic ?? false;
    const traced = typeof tracing === 'function' ? tracing : () => tracing;

    const admit = (socket: Socket): Observable<Channel> => {
      const host = socket.remoteAddress ?? '?';
      const address = `${host}:${socket.remotePort ?? '?'}`;
      const fromHost = openByAddress.get(host) ?? 0;
      const full =
        openClients >= maxConnections
          ? `this server is full (${maxConnections} clients); disconnect another client or raise --max-connections`
          : fromHost >= perAddress
            ? `${host} already has ${perAddress} connections open here; close one or raise --max-connections-per-address`
            : undefined;
      if (full !== undefined) {
        const reason = `rxindi: ${full}`;
        refuseSocket(socket, reason);
        events$.next({ type: 'refused', address, reason });
        return EMPTY;
      }
      openClients += 1;
      openByAddress.set(host, fromHost + 1);
      // The slot frees as soon as the client ends its stream, not after the half-close grace.
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        openClients -= 1;
        const left = (openByAddress.get(host) ?? 1) - 1;
        if (left === 0) openByAddress.delete(host);
        else openByAddress.set(host, left);
      };
      socket.once('end', release);
      socket.once('close', release);
      const queue = {
        maxQueueBytes: options.maxQueueBytes,
        maxStreamBytes: options.maxStreamBytes,
        conflationKey,
        conflate,
      };
      return of(socketChannel(socket, { queue, parse }));
    };

    const listener$: Observable<ListenEvent> =
      options.listen === false
        ? EMPTY
        : listenTcp(options.host ?? 'localhost', options.port ?? 7624).pipe(takeUntil(stop$), share());
    const clients$ = listener$.pipe(
      mergeMap((event) => {
        if (event.type === 'connection') return admit(event.socket);
        events$.next(event);
        return EMPTY;
      }),
    );
    // Drivers start once the port is ours, as indiserver's do: a taken port
    // then fails before any driver (or in-process channel) is started.
    const ready$: Observable<unknown> =
      options.listen === false
        ? of(undefined)
        : listener$.pipe(
            filter((event) => event.type === 'listening'),
            take(1),
          );
    const drivers$ = ready$.pipe(
      mergeMap(() =>
        merge(
          from(options.drivers ?? []).pipe(map((driver) => driverChannel(driver, options, parse, hold$))),
          options.channels$ ?? EMPTY,
        ),
      ),
    );

    const channels$: Connectable<Channel> = connectable(merge(clients$, drivers$).pipe(takeUntil(stop$)));

    const trafficOf = (channel: Channel): Observable<TrafficEvent> => {
      const ref: ChannelRef = { id: channel.id, kind: channel.kind };
      const closing$ = merge(stop$, remove$.pipe(filter((id) => id === channel.id)));
      let failure: Error | undefined;
      return concat(
        of<TrafficEvent>({ type: 'open', channel: ref }),
        channel.messages$.pipe(
          limitDefinitions(definitionLimits, (refusal) =>
            events$.next({ type: 'definitionRefused', channel: channel.id, ...refusal }),
          ),
          options.incoming ? keepingOriginals(itself, options.incoming(ref)) : identity,
          tap((item) => {
            if (isReply(item) || !traced()) return;
            keepOriginal(item);
            events$.next({ type: 'traffic', channel: channel.id, direction: 'in', message: item });
          }),
          tagTraffic(ref),
          catchError((error: unknown) => {
            failure = error instanceof Error ? error : new Error(String(error));
            // A client whose input cannot be read is told why before it is
            // closed (indiserver closes it without a word).
            return ref.kind === 'client' && error instanceof IndiProtocolError
              ? of<TrafficEvent>({ type: 'reply', to: ref, message: unreadable(error) })
              : EMPTY;
          }),
          takeUntil(closing$),
        ),
        defer(() => {
          events$.next({
            type: 'disconnected',
            channel: channel.id,
            kind: channel.kind,
            ...(failure === undefined ? {} : { error: failure }),
          });
          return of<TrafficEvent>({ type: 'close', channel: ref });
        }),
        defer(() => channel.closed).pipe(ignoreElements()),
      );
    };

    const traffic$ = channels$.pipe(
      tap((channel) => events$.next({ type: 'connected', channel: channel.id, kind: channel.kind })),
      mergeMap((channel) =>
        merge(
          channel.events$.pipe(
            tap((event) => events$.next(event)),
            ignoreElements(),
          ),
          trafficOf(channel),
        ),
      ),
    );
    const cache = new DeviceCache();
    const reported = new Set<string>();
    const reportConflict = ({ state, event }: RoutedStep): void => {
      if (event.type !== 'message' || !isDefVector(event.message)) return;
      const { device } = event.message;
      const owner = state.owners.get(device);
      const key = `${device}\u0000${event.from.id}`;
      if (owner === undefined || owner === event.from.id || reported.has(key)) return;
      reported.add(key);
      events$.next({ type: 'deviceConflict', device, channel: event.from.id, owner });
    };
    const routed$ = traffic$.pipe(
      routeTraffic(),
      options.routed ? keepingOriginals(messageOfStep, options.routed) : identity,
      tap((routed) => {
        cache.learn(routed);
        reportConflict(routed);
      }),
      share(),
    );
    const deliveries$ = channels$.pipe(
      mergeMap((channel) =>
        routed$.pipe(
          deliverTo(channel, cache),
          options.outgoing
            ? keepingOriginals(itself, options.outgoing({ id: channel.id, kind: channel.kind }))
            : identity,
          tap((message) => {
            const tracing = traced();
            if (tracing || channel.holdsOriginals !== true) keepOriginal(message);
            if (tracing) events$.next({ type: 'traffic', channel: channel.id, direction: 'out', message });
          }),
          tap(channel.sink),
        ),
      ),
    );

    // Every sink and the routing are subscribed before the first channel
    // arrives: only then are the channels connected.
    let connection: Subscription | undefined;
    const connect$ = defer(() => {
      connection = channels$.connect();
      return EMPTY;
    });
    const work$ = merge(deliveries$, routed$, connect$).pipe(
      ignoreElements(),
      finalize(() => connection?.unsubscribe()),
      tap({ complete: () => events$.complete(), error: (error: unknown) => events$.error(error) }),
    );
    return merge(events$, work$);
  });
}
