/**
 * The pure parts of examples/replay.ts: the pacing of a session log, and the
 * in-process driver channel that plays it. No I/O, so that
 * marbles/replay.test.ts can run them on a TestScheduler.
 */
import {
  Subject,
  asapScheduler,
  asyncScheduler,
  concatMap,
  defer,
  filter,
  firstValueFrom,
  identity,
  map,
  materialize,
  merge,
  mergeMap,
  observeOn,
  of,
  scan,
  share,
  take,
  takeUntil,
  timer,
  type MonoTypeOperatorFunction,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import {
  isDefVector,
  isSetVector,
  nextIndiDevices,
  noDevices,
  parseIndi,
  type Channel,
  type ChannelEvent,
  type DefVector,
  type GetProperties,
  type IndiDevices,
  type IndiMessage,
  type IndiProtocolError,
} from '../src/index.js';
import type { SessionEntry } from './session-log.js';

/**
 * Plays timed entries at their recorded pace divided by `speed` (2: twice as
 * fast), counted from the first one, which passes at once; `speed` 0 passes
 * everything at once. The schedule is absolute, so a long night does not drift.
 *
 * @example
 * ```ts
 * from(entries).pipe(paced(1)).subscribe((entry) => console.log(entry.t));
 * ```
 */
export function paced<T extends Pick<SessionEntry, 't'>>(
  speed: number,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  if (speed === 0) return identity;
  return (entries$) =>
    defer(() => {
      let origin: { readonly recorded: number; readonly played: number } | undefined;
      return entries$.pipe(
        concatMap((entry) => {
          const recorded = Date.parse(entry.t);
          origin ??= { recorded, played: scheduler.now() };
          const wait = origin.played + (recorded - origin.recorded) / speed - scheduler.now();
          return wait > 0 ? timer(wait, scheduler).pipe(map(() => entry)) : of(entry);
        }),
      );
    });
}

/** What a driver sends on its own: `def*`, `set*`, `delProperty` and `message` (INDI 1.7). */
function isDeviceTraffic(message: IndiMessage): boolean {
  return (
    isDefVector(message) ||
    isSetVector(message) ||
    message.type === 'delProperty' ||
    message.type === 'message'
  );
}

/** INDI 1.7 getProperties: the definitions, with their latest values, of every device, one device, or one vector. */
function definitions(devices: IndiDevices, get: GetProperties): DefVector[] {
  const everyDevice = get.device === undefined || get.device === '*';
  return [...devices]
    .filter(([device]) => everyDevice || device === get.device)
    .flatMap(([, vectors]) => [...vectors.values()])
    .filter((def) => get.name === undefined || def.name === get.name)
    .map((def) => ({ ...def, message: undefined }));
}

/** How {@link replayChannel} plays. */
export interface ReplayOptions {
  /** Default `'replay'`. */
  readonly id?: string;
  /** 1 (default): the recorded pace; 2: twice as fast; 0: as fast as possible. See {@link paced}. */
  readonly speed?: number;
  readonly scheduler?: SchedulerLike;
}

type ReplayEvent = { readonly asked: GetProperties } | { readonly played: IndiMessage };

/**
 * A driver channel that plays the device traffic of a session log: what
 * drivers and linked servers sent (`in`), and of that only `def*`, `set*`,
 * `delProperty` and `message`. Playing starts at the first `getProperties` it
 * is sent, as the recorded session started when the recorder asked for every
 * device; any `getProperties` is answered, as a driver does, with the
 * definitions and values played so far. Requests to change a vector are
 * ignored. After the last entry it keeps answering until the server closes it.
 *
 * @example
 * ```ts
 * serve({ port: 7624, channels$: of(replayChannel(from(entries), { speed: 0 })) }).subscribe();
 * ```
 */
export function replayChannel(entries$: Observable<SessionEntry>, options: ReplayOptions = {}): Channel {
  const { id = 'replay', speed = 1, scheduler = asyncScheduler } = options;
  const sink = new Subject<IndiMessage>();
  // The server closes a channel by completing (or erroring) its sink.
  const ended$ = sink.pipe(
    materialize(),
    filter(({ kind }) => kind !== 'N'),
  );
  // An entry whose XML is not INDI is skipped, and said so.
  const problems$ = new Subject<ChannelEvent>();
  const onProblem = (error: IndiProtocolError): void =>
    problems$.next({ type: 'protocolError', channel: id, error });
  // Asynchronously, as from a socket: an answer never re-enters the server while it delivers.
  const asked$ = sink.pipe(
    filter((message): message is GetProperties => message.type === 'getProperties'),
    observeOn(asapScheduler),
    share(),
  );
  const played$ = asked$.pipe(
    take(1),
    concatMap(() => entries$),
    filter((entry) => entry.direction === 'in' && entry.kind !== 'client'),
    paced(speed, scheduler),
    concatMap((entry) => of(entry.xml).pipe(parseIndi({ onProblem }))),
    filter(isDeviceTraffic),
  );
  const messages$ = merge(
    // Answers first: the first getProperties is answered (with nothing) before playing starts.
    asked$.pipe(map((asked): ReplayEvent => ({ asked }))),
    played$.pipe(map((played): ReplayEvent => ({ played }))),
  ).pipe(
    scan(
      ({ devices }, event) =>
        'asked' in event
          ? { devices, send: definitions(devices, event.asked) }
          : { devices: nextIndiDevices(devices, event.played), send: [event.played] },
      { devices: noDevices, send: [] as readonly IndiMessage[] },
    ),
    mergeMap(({ send }) => send),
    takeUntil(ended$),
  );
  const closed = firstValueFrom(ended$).then(() => undefined);
  return { id, kind: 'driver', messages$, sink, events$: problems$.pipe(takeUntil(ended$)), closed };
}
