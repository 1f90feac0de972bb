import { basename } from 'node:path';
import {
  BehaviorSubject,
  EMPTY,
  Observable,
  ReplaySubject,
  Subject,
  concat,
  connectable,
  defer,
  distinctUntilChanged,
  filter,
  firstValueFrom,
  from,
  map,
  type Observer,
} from 'rxjs';
import type { Channel } from '../channels/channel.js';
import { remoteChannel, type RemoteChannelOptions } from '../channels/remote-channel.js';
import type { IndiMessage, Message } from '../protocol/messages.js';
import { indiTimestamp } from '../protocol/timestamp.js';
import { backpressure } from './backpressure.js';
import { parseLimits, serve, type DriverCommand, type ServeOptions, type ServerEvent } from './serve.js';

/**
 * The options of {@link IndiServer}: those of {@link serve} that are fixed at construction.
 *
 * @example
 * ```ts
 * const options: IndiServerOptions = { port: 7624, maxConnections: 5, drivers: ['indi_simulator_ccd'] };
 * const server = new IndiServer(options);
 * ```
 */
export interface IndiServerOptions extends Pick<
  ServeOptions,
  | 'host'
  | 'port'
  | 'maxConnections'
  | 'maxConnectionsPerAddress'
  | 'restarts'
  | 'maxQueueBytes'
  | 'maxStreamBytes'
  | 'driverHoldMs'
  | 'maxMessageBytes'
  | 'maxTagBytes'
  | 'maxDevices'
  | 'maxProperties'
  | 'listen'
> {
  /** Driver programs to start with the server. */
  readonly drivers?: readonly string[];
}

/**
 * One message in or out of the server, with the channel it went through: what
 * {@link IndiServer.traffic$} emits, for a traffic log or a recorder.
 *
 * @example
 * ```ts
 * const server = new IndiServer({ drivers: ['indi_simulator_telescope'] });
 * server.traffic$.subscribe(({ channel, direction, message }: TrafficRecord) =>
 *   console.log(`${direction === 'in' ? '<-' : '->'} ${channel} ${message.type}`),
 * );
 * ```
 */
export interface TrafficRecord {
  readonly channel: string;
  readonly direction: 'in' | 'out';
  readonly message: IndiMessage;
}

/**
 * What is added to a server (channels, driver programs) before it has started
 * and after: `all$` gives the earlier ones, then each later one as it comes.
 * Anything added before `all$` is subscribed waits for it, so none is lost
 * while the server is still opening its port.
 */
class Arrivals<T> {
  private readonly early: T[] = [];
  private readonly later$ = new Subject<T>();
  private open = false;

  readonly all$: Observable<T> = defer(() => {
    this.open = true;
    return concat(from(this.early.splice(0)), this.later$);
  });

  add(item: T): void {
    if (this.open) this.later$.next(item);
    else this.early.push(item);
  }
}

/** The channel `sendMessage` speaks through; not reported as a connection. */
const announcer = 'rxindi';

const noSink: Observer<IndiMessage> = {
  next: () => undefined,
  error: () => undefined,
  complete: () => undefined,
};

/**
 * An INDI server with the shape of indipydriver's IPyServer, over {@link serve}:
 * construct, add drivers, `run()`; `shutdown()` stops it and `stopped`
 * resolves once every driver has exited and every socket is closed.
 *
 * @example
 * ```ts
 * const server = new IndiServer({ port: 7624 });
 * server.addExDriver('indi_simulator_telescope');
 * await server.run();
 * ```
 */
export class IndiServer {
  readonly host: string;
  /** Everything that happens, from the start (late subscribers get only what follows). */
  readonly events$: Observable<ServerEvent>;
  /** Every message in and out, with its channel; costs nothing while nobody subscribes. */
  readonly traffic$: Observable<TrafficRecord>;
  /**
   * True while every connected client is behind, false otherwise (see
   * {@link backpressure}); replays the current value. An in-process driver
   * can poll its hardware less often while it is true: clients would get
   * only the latest values anyway.
   */
  readonly backpressure$: Observable<boolean>;
  /** Resolves once the server has stopped. */
  readonly stopped: Promise<void>;
  /** Emits once and completes when the server has stopped. */
  readonly stopped$: Observable<void>;

  private readonly options: IndiServerOptions;
  private readonly events = new Subject<ServerEvent>();
  private readonly traffic = new Subject<TrafficRecord>();
  private readonly channels = new Arrivals<Channel>();
  private readonly driverCommands = new Arrivals<DriverCommand>();
  private readonly removed$ = new Subject<string>();
  private readonly stopping$ = new ReplaySubject<void>(1);
  private readonly announcements$ = new Subject<Message>();
  private readonly ids = new Set<string>();
  private readonly done = new ReplaySubject<void>(1);
  private listeningPort: number | undefined;
  private stopRequested = false;
  private started = false;

  constructor(options: IndiServerOptions = {}) {
    this.options = options;
    this.host = options.host ?? 'localhost';
    this.events$ = this.events.asObservable();
    this.traffic$ = this.traffic.asObservable();
    this.stopped$ = this.done.asObservable();
    const pressure$ = connectable(this.events.pipe(backpressure()), {
      connector: () => new BehaviorSubject(false),
      resetOnDisconnect: false,
    });
    pressure$.connect();
    this.backpressure$ = pressure$.pipe(distinctUntilChanged());
    this.stopped = firstValueFrom(this.done, { defaultValue: undefined });
    // A server that could not start rejects `stopped`; that is also reported on
    // `events$` and by `run()`, so an unawaited `stopped` must not crash the process.
    this.stopped.catch(() => undefined);
    for (const driver of options.drivers ?? []) this.addExDriver(driver);
    this.addDriver({
      id: announcer,
      kind: 'driver',
      messages$: this.announcements$,
      sink: noSink,
      events$: EMPTY,
      closed: Promise.resolve(),
    });
  }

  /** The port clients connect to: the real one once listening, even when 0 was asked for. */
  get port(): number {
    return this.listeningPort ?? this.options.port ?? 7624;
  }

  /** True once `shutdown()` has been called. */
  get stop(): boolean {
    return this.stopRequested;
  }

  /**
   * Starts the server; resolves when it has stopped, rejects if it could not
   * run (the port is taken).
   */
  run(): Promise<void> {
    this.start();
    return this.stopped;
  }

  /** Starts the server; resolves with the port once it listens. */
  listen(): Promise<number> {
    this.start();
    const port$ = this.events.pipe(
      filter((event) => event.type === 'listening'),
      map((event) => event.port),
    );
    return this.listeningPort === undefined ? firstValueFrom(port$) : Promise.resolve(this.listeningPort);
  }

  /**
   * Runs a driver program (a name on PATH or a path) with its arguments; it is
   * restarted when it dies, up to `restarts` times. Returns its channel id.
   */
  addExDriver(command: string, ...args: string[]): string {
    return this.startDriver(command, { args });
  }

  /**
   * Runs a driver program with arguments and extra environment variables
   * (indiserver's FIFO sets INDIDEV, INDICONFIG, INDISKEL). Returns its channel id.
   */
  startDriver(
    command: string,
    options: { readonly args?: readonly string[]; readonly env?: Readonly<Record<string, string>> } = {},
  ): string {
    const id = this.uniqueId(basename(command));
    this.ids.add(id);
    this.driverCommands.add({ command, id, ...options });
    return id;
  }

  /**
   * Links this server to another INDI server (rxindi or indiserver): its
   * devices appear here, and requests for them go through the link, which
   * reconnects by itself. Returns the link's channel id.
   */
  addRemote(host: string, port = 7624, options: RemoteChannelOptions = {}): string {
    const channel = remoteChannel(host, port, { parse: parseLimits(this.options), ...options });
    this.addDriver(channel);
    return channel.id;
  }

  /** Serves any channel: an in-process driver, a link to another server. */
  addDriver(channel: Channel): void {
    this.ids.add(channel.id);
    this.channels.add(channel);
  }

  /** Stops a driver (or any channel) by id; its devices are deleted for clients. */
  removeDriver(id: string): void {
    this.removed$.next(id);
    this.ids.delete(id);
  }

  /** Sends an INDI `message` to every client. */
  sendMessage(text: string, timestamp: string = indiTimestamp()): void {
    this.announcements$.next({ type: 'message', timestamp, message: text });
  }

  /** Stops everything; resolves once stopped. */
  shutdown(): Promise<void> {
    this.stopRequested = true;
    this.stopping$.next();
    this.stopping$.complete();
    if (!this.started) this.finish();
    return this.stopped;
  }

  private start(): void {
    if (this.started || this.stopRequested) return;
    this.started = true;
    const options: ServeOptions = {
      ...this.options,
      drivers: this.driverCommands.all$,
      channels$: this.channels.all$,
      remove$: this.removed$,
      stop$: this.stopping$,
      traffic: () => this.traffic.observed,
    };
    serve(options).subscribe({
      next: (event) => {
        if ((event.type === 'connected' || event.type === 'disconnected') && event.channel === announcer)
          return;
        if (event.type === 'listening') this.listeningPort = event.port;
        if (event.type === 'traffic') this.traffic.next(event);
        this.events.next(event);
      },
      error: (error: unknown) => {
        this.events.error(error);
        this.done.error(error);
      },
      complete: () => this.finish(),
    });
  }

  private finish(): void {
    this.events.complete();
    this.traffic.complete();
    this.done.next();
    this.done.complete();
  }

  private uniqueId(name: string): string {
    let id = name;
    for (let n = 2; this.ids.has(id); n++) id = `${name}#${n}`;
    return id;
  }
}
