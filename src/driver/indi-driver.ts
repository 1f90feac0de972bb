import {
  BehaviorSubject,
  EMPTY,
  NEVER,
  ReplaySubject,
  Subject,
  asapScheduler,
  catchError,
  defer,
  filter,
  finalize,
  ignoreElements,
  map,
  merge,
  mergeMap,
  observeOn,
  pairwise,
  share,
  startWith,
  takeUntil,
  tap,
  type Observable,
  type Observer,
} from 'rxjs';
import type { Channel } from '../channels/channel.js';
import type { DefVector, DriverMessage, IndiMessage } from '../protocol/messages.js';
import { isNewVector } from '../protocol/messages.js';
import { memberValues } from '../protocol/member-values.js';
import { indiTimestamp } from '../protocol/timestamp.js';
import { answerGetProperties } from './answer-get-properties.js';
import { checkRequest } from './check-request.js';
import { buildSetVector, withBlobFormats, type SetOptions } from './build-set-vector.js';
import type { DeviceDefinition } from './define-device.js';
import type { DriverEvent } from './driver-event.js';
import { initialDriverState, nextDriverState, type DriverState } from './driver-state.js';
import { runHandler, type RequestHandler } from './run-handler.js';
import { redefineVector, type VectorChanges } from './redefine-vector.js';
import { isSnooped, snoopRequests, type Snoop } from './snoop-requests.js';
import { UnknownPropertyError } from './unknown-property-error.js';
import type { CurrentValues, VectorValues } from './vector-definition.js';
import type { DeviceRequest, VectorNameOf, VectorOf } from './vector-of.js';
import type { VectorRequest } from './vector-request.js';

/**
 * How an in-process driver is named and timed: the id it has in server
 * events and logs, and the clock its timestamps come from (fix it in tests).
 *
 * @example
 * ```ts
 * const driver = indiDriver([mount], { id: 'telescope', clock: () => new Date('2025-01-01T22:00:00Z') });
 * ```
 */
export interface IndiDriverOptions {
  /** The channel id. Default `driver <device names>`. */
  readonly id?: string;
  /** The clock for timestamps. Default the system clock. */
  readonly clock?: () => Date;
}

/**
 * Options of {@link IndiDriver.snoop}: whether the snooped device's BLOBs come
 * too (a guider watching the main camera's images, say).
 *
 * @example
 * ```ts
 * driver.snoop('CCD Simulator', 'CCD1', { blobs: true }).subscribe((message) => {
 *   if (message.type === 'setBLOBVector') console.log(`CCD Simulator sent ${message.members[0]?.size ?? 0} bytes`);
 * });
 * ```
 */
export interface SnoopOptions {
  /** Also receive the device's BLOBs (sends `enableBLOB … Also`). Default false. */
  readonly blobs?: boolean;
}

/**
 * An in-process INDI driver: a {@link Channel} of kind 'driver' that a server
 * serves with no XML in between, plus typed functions to send updates and to
 * receive validated client requests (safe to destructure). See {@link indiDriver}.
 *
 * Its type parameter is the union of its devices, so names and values are
 * checked by the compiler: write `IndiDriver<typeof telescope>` where a
 * function takes or returns one.
 *
 * @example
 * ```ts
 * function telescopeDriver(): IndiDriver<typeof mount> {
 *   const driver = indiDriver([mount]);
 *   driver.handle('Telescope Simulator', 'EQUATORIAL_EOD_COORD', ({ values }) => {
 *     const target = { ...driver.values('Telescope Simulator', 'EQUATORIAL_EOD_COORD'), ...values };
 *     driver.set('Telescope Simulator', 'EQUATORIAL_EOD_COORD', target, { state: 'Ok' });
 *   });
 *   return driver;
 * }
 * ```
 */
export interface IndiDriver<D extends DeviceDefinition = DeviceDefinition> extends Channel {
  readonly kind: 'driver';
  /** Rejected requests and failed handlers; completes when the driver closes. */
  readonly driverEvents$: Observable<DriverEvent>;
  /**
   * Valid client requests for a device (any of its vectors) or for one vector.
   * What a subscriber throws is not the driver's to catch (RxJS reports it as
   * an uncaught error); use {@link IndiDriver.handle} for isolated handlers.
   */
  readonly requests: {
    <N extends D['name']>(device: N): Observable<DeviceRequest<D, N>>;
    <N extends D['name'], V extends VectorNameOf<D, N>>(
      device: N,
      vector: V,
    ): Observable<VectorRequest<VectorOf<D, N, V>, N, V>>;
  };
  /**
   * Runs `handler` for each valid request of a vector, inside the driver's
   * channel (so only while it is served), requests concurrently. A failure is
   * reported to clients as a device `message` and as a `handlerFailed` event,
   * and the driver carries on. Returns a function that removes the handler.
   */
  readonly handle: <N extends D['name'], V extends VectorNameOf<D, N>>(
    device: N,
    vector: V,
    handler: RequestHandler<VectorRequest<VectorOf<D, N, V>, N, V>>,
  ) => () => void;
  /**
   * Sends a `set*Vector`: new values (typed by the definition), state,
   * message, timeout. Updates of a deleted vector are kept, not sent.
   */
  readonly set: <N extends D['name'], V extends VectorNameOf<D, N>>(
    device: N,
    vector: V,
    values: Partial<VectorValues<VectorOf<D, N, V>>>,
    options?: SetOptions<VectorOf<D, N, V>>,
  ) => void;
  /**
   * The current values of a vector's members: what the driver last defined
   * or set (a deleted vector keeps its values). A driver keeps no BLOB data.
   */
  readonly values: <N extends D['name'], V extends VectorNameOf<D, N>>(
    device: N,
    vector: V,
  ) => CurrentValues<VectorOf<D, N, V>>;
  /**
   * Changes what a vector's definition says (label, group, perm, timeout;
   * members' labels; numbers' format and range) and defines it again for
   * clients, values and state kept. As libindi drivers do (deleteProperty,
   * then defineProperty), a `delProperty` goes first: libindi clients ignore a
   * second definition of a vector they know. A deleted vector stays deleted
   * until {@link IndiDriver.define}. Requests are checked against the new
   * definition. For a range alone, `set(…, { ranges })` is lighter.
   */
  readonly redefine: <N extends D['name'], V extends VectorNameOf<D, N>>(
    device: N,
    vector: V,
    changes: VectorChanges<VectorOf<D, N, V>>,
  ) => void;
  /** Defines (again) a device's vectors, or one of them, with their current values. */
  readonly define: <N extends D['name']>(device: N, vector?: VectorNameOf<D, N>) => void;
  /** Deletes a device, or one of its vectors, for clients (`delProperty`); its requests are refused until it is defined again. */
  readonly delete: <N extends D['name']>(device: N, vector?: VectorNameOf<D, N>, message?: string) => void;
  /** Sends a `message` for a device. */
  readonly message: (device: D['name'], text: string) => void;
  /**
   * Another device's traffic (`def*`, `set*`, `delProperty`, `message`) while
   * subscribed (INDI 1.7 snooping): subscribing sends `getProperties` (and
   * `enableBLOB … Also` with `blobs`); the snoop is sent again whenever the
   * driver is served anew. It completes when the driver closes.
   */
  readonly snoop: (device: string, vector?: string, options?: SnoopOptions) => Observable<DriverMessage>;
  /** Deletes every device for clients and ends the channel. */
  readonly close: () => Promise<void>;
}

interface Registration {
  readonly device: string;
  readonly name: string;
  readonly handler: RequestHandler<VectorRequest>;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * An in-process driver for some devices. It is a {@link Channel}: serve it
 * with `serve({ channels$: of(driver) })`, run it under indiserver with
 * {@link runOnStdio}, or subscribe to `messages$` and feed `sink` yourself.
 *
 * - `messages$` starts with every definition, then carries what the driver
 *   sends; `getProperties` it receives are answered from the definitions and
 *   current values, for all devices or the device / vector asked.
 * - client `new*Vector` are validated ({@link validateRequest}): a refused one
 *   is answered with the vector's current values, state Alert and a message
 *   naming the problem, and never reaches user code; a valid one arrives on
 *   {@link IndiDriver.requests} and in {@link IndiDriver.handle} handlers with typed values.
 * - every message sent carries an INDI UTC timestamp.
 *
 * What the driver receives is processed asynchronously (as from a socket), so
 * a reply never re-enters the server while it is delivering.
 *
 * @example
 * ```ts
 * const driver = indiDriver([mount]);
 * driver.handle('Telescope Simulator', 'CONNECTION', (request) => {
 *   driver.set('Telescope Simulator', 'CONNECTION', request.values, { state: 'Ok' });
 * });
 * serve({ channels$: of(driver) }).subscribe();
 * ```
 */
export function indiDriver<D extends DeviceDefinition>(
  devices: readonly D[],
  options: IndiDriverOptions = {},
): IndiDriver<D> {
  const id = options.id ?? `driver ${devices.map((device) => device.name).join(', ')}`;
  const clock = options.clock ?? (() => new Date());
  const now = (): string => indiTimestamp(clock());
  let state: DriverState = initialDriverState(devices);
  let closing = false;
  const out$ = new Subject<IndiMessage>();
  const sink$ = new Subject<IndiMessage>();
  const driverEvents$ = new Subject<DriverEvent>();
  const stop$ = new ReplaySubject<void>(1);
  const snoops$ = new BehaviorSubject<readonly Snoop[]>([]);
  const registrations$ = new BehaviorSubject<readonly Registration[]>([]);
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  const emit = (message: IndiMessage): void => {
    if (closing) return;
    state = nextDriverState(state, message);
    out$.next(message);
  };
  const vectorsOf = (device: string) => {
    const vectors = state.get(device);
    if (vectors === undefined) throw new UnknownPropertyError(device);
    return vectors;
  };
  const known = (device: string, name: string) => {
    const vector = vectorsOf(device).get(name);
    if (vector === undefined) throw new UnknownPropertyError(device, name);
    return vector;
  };

  const incoming$ = sink$.pipe(observeOn(asapScheduler), share());
  const checked$ = incoming$.pipe(
    filter(isNewVector),
    map((request) => checkRequest(state, request, now())),
    share(),
  );
  const requestsFor = (device: string, name?: string): Observable<VectorRequest> =>
    checked$.pipe(
      mergeMap((checked) => (checked.ok ? [checked.request] : [])),
      filter((request) => request.device === device && (name === undefined || request.name === name)),
    );

  const runSafely = ({ device, name, handler }: Registration, request: VectorRequest): Observable<never> =>
    runHandler(handler, request).pipe(
      catchError((error: unknown) => {
        const message = `Handler for ${device}.${name} failed: ${errorText(error)}`;
        emit({ type: 'message', device, timestamp: now(), message });
        driverEvents$.next({ type: 'handlerFailed', channel: id, device, name, error });
        return EMPTY;
      }),
    );

  const reactions$ = merge(
    incoming$.pipe(
      tap(
        (message) =>
          message.type === 'getProperties' && answerGetProperties(state, message, now()).forEach(emit),
      ),
    ),
    checked$.pipe(
      tap((checked) => {
        if (checked.ok) return;
        if (checked.reply) emit(checked.reply);
        const { device, name, reason } = checked;
        driverEvents$.next({ type: 'requestRejected', channel: id, device, name, reason });
      }),
    ),
    registrations$.pipe(
      startWith<readonly Registration[]>([]),
      pairwise(),
      mergeMap(([before, after]) => after.filter((registration) => !before.includes(registration))),
      mergeMap((registration) =>
        requestsFor(registration.device, registration.name).pipe(
          mergeMap((request) => runSafely(registration, request)),
          takeUntil(registrations$.pipe(filter((active) => !active.includes(registration)))),
        ),
      ),
    ),
  ).pipe(ignoreElements(), share());

  const announce$ = defer(() => answerGetProperties(state, { type: 'getProperties' }, now()));
  const snoopMessages$ = snoops$.pipe(
    startWith<readonly Snoop[]>([]),
    pairwise(),
    mergeMap(([before, after]) => snoopRequests(before, after)),
  );
  const messages$ = merge(announce$, snoopMessages$, out$, reactions$).pipe(takeUntil(stop$));

  const close = (): Promise<void> => {
    if (!closing) {
      for (const [device, vectors] of state) {
        if ([...vectors.values()].some((vector) => vector.defined))
          emit({ type: 'delProperty', device, timestamp: now() });
      }
      closing = true;
      stop$.next();
      stop$.complete();
      sink$.complete();
      snoops$.complete();
      registrations$.complete();
      driverEvents$.complete();
      markClosed();
    }
    return closed;
  };
  const sink: Observer<IndiMessage> = {
    next: (message) => sink$.next(message),
    error: () => void close(),
    complete: () => void close(),
  };

  const driver: IndiDriver = {
    id,
    kind: 'driver',
    messages$,
    sink,
    events$: NEVER.pipe(takeUntil(stop$)),
    closed,
    driverEvents$: driverEvents$.asObservable(),
    requests: (device: string, name?: string) => {
      if (name === undefined) vectorsOf(device);
      else known(device, name);
      return requestsFor(device, name);
    },
    handle: (device, name, handler) => {
      known(device, name);
      const registration: Registration = { device, name, handler: handler as RequestHandler<VectorRequest> };
      registrations$.next([...registrations$.value, registration]);
      return () => registrations$.next(registrations$.value.filter((active) => active !== registration));
    },
    set: (device, name, values, setOptions = {}) => {
      const vector = known(device, name);
      const definition = devices.find((candidate) => candidate.name === device)?.vectors[name];
      const update = buildSetVector(vector.def, withBlobFormats(definition, values), setOptions, now());
      if (vector.defined) emit(update);
      else state = nextDriverState(state, update);
    },
    // Typed per vector only on IndiDriver<D>; this untyped view cannot name the kind.
    values: (device, name) => memberValues(known(device, name).def) as never,
    redefine: (device, name, changes) => {
      const vector = known(device, name);
      const def: DefVector = { ...redefineVector(vector.def, changes), timestamp: now(), message: undefined };
      const deleted: IndiMessage = { type: 'delProperty', device, name, timestamp: now() };
      if (!vector.defined) state = nextDriverState(nextDriverState(state, def), deleted);
      else for (const message of [deleted, def]) emit(message);
    },
    define: (device, name) => {
      const names = name === undefined ? [...vectorsOf(device).keys()] : [name];
      for (const vectorName of names)
        emit({ ...known(device, vectorName).def, timestamp: now(), message: undefined });
    },
    delete: (device, name, message) => {
      if (name === undefined) vectorsOf(device);
      else known(device, name);
      emit({
        type: 'delProperty',
        device,
        ...(name === undefined ? {} : { name }),
        timestamp: now(),
        ...(message === undefined ? {} : { message }),
      });
    },
    message: (device, text) => {
      vectorsOf(device);
      emit({ type: 'message', device, timestamp: now(), message: text });
    },
    snoop: (device, name, snoopOptions = {}) =>
      defer(() => {
        const snoop: Snoop = {
          device,
          ...(name === undefined ? {} : { name }),
          blobs: snoopOptions.blobs === true,
        };
        snoops$.next([...snoops$.value, snoop]);
        return incoming$.pipe(
          filter((message) => isSnooped(snoop, message)),
          finalize(() => snoops$.next(snoops$.value.filter((active) => active !== snoop))),
        );
      }),
    close,
  };
  // The implementation is checked against the untyped view above; D only narrows names and values.
  return driver as unknown as IndiDriver<D>;
}
