import {
  asyncScheduler,
  concat,
  distinctUntilChanged,
  map,
  of,
  scan,
  switchMap,
  timer,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { ServerEvent } from './serve.js';

interface Clients {
  readonly connected: ReadonlySet<string>;
  readonly behind: ReadonlySet<string>;
}

const none: Clients = { connected: new Set(), behind: new Set() };

function without(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  if (!set.has(id)) return set;
  const next = new Set(set);
  next.delete(id);
  return next;
}

function nextClients(clients: Clients, event: ServerEvent): Clients {
  if (event.type === 'connected' && event.kind === 'client')
    return { ...clients, connected: new Set(clients.connected).add(event.channel) };
  if (event.type === 'disconnected' && event.kind === 'client')
    return {
      connected: without(clients.connected, event.channel),
      behind: without(clients.behind, event.channel),
    };
  if (event.type === 'backlog' && clients.connected.has(event.channel)) {
    const behind = event.behind
      ? new Set(clients.behind).add(event.channel)
      : without(clients.behind, event.channel);
    return { ...clients, behind };
  }
  return clients;
}

/**
 * True while every connected client is behind (messages wait for each of
 * them), false as soon as one keeps up or none is connected: the moment a
 * producer (an in-process driver's polling, a camera loop) may slow down,
 * since anything more it sends now only replaces values still waiting.
 * Emits only changes.
 *
 * @example
 * ```ts
 * const behind$ = serve({ drivers: ['indi_simulator_ccd'] }).pipe(share()).pipe(backpressure());
 * interval(100).pipe(withLatestFrom(behind$.pipe(startWith(false))), filter(([, behind]) => !behind));
 * ```
 */
export function backpressure(): OperatorFunction<ServerEvent, boolean> {
  return (events$) =>
    events$.pipe(
      scan(nextClients, none),
      map(({ connected, behind }) => connected.size > 0 && behind.size === connected.size),
      distinctUntilChanged(),
    );
}

/** When each channel that is behind fell behind, in scheduler time. */
type BehindSince = ReadonlyMap<string, number>;

function nextBehindSince(behindSince: BehindSince, event: ServerEvent, now: number): BehindSince {
  const fellBehind = event.type === 'backlog' && event.behind;
  const caughtUp = (event.type === 'backlog' && !event.behind) || event.type === 'disconnected';
  if (fellBehind && !behindSince.has(event.channel)) return new Map(behindSince).set(event.channel, now);
  if (caughtUp && behindSince.has(event.channel)) {
    const next = new Map(behindSince);
    next.delete(event.channel);
    return next;
  }
  return behindSince;
}

/**
 * True while drivers should wait for a client: some client fell behind less
 * than `holdMs` ago and has not caught up. A client on a good link (or on
 * this machine) that reads as fast as it can falls behind a flooding driver
 * for moments at a time; holding the drivers' output then (their pipes fill
 * and their writes wait) gets it every update instead of conflated ones. A
 * client still behind after `holdMs` is slow or stalled: drivers go on
 * without it, and it gets the latest values (and BLOBs within its budget)
 * when it reads again. So no client ever holds a driver for longer than
 * `holdMs` at a time. Emits only changes.
 *
 * @example
 * ```ts
 * const events$ = new Subject<ServerEvent>();
 * const ccd = processChannel('indi_simulator_ccd', [], { paused$: events$.pipe(holdDrivers(100)) });
 * ```
 */
export function holdDrivers(
  holdMs = 50,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<ServerEvent, boolean> {
  return (events$) =>
    events$.pipe(
      scan((behindSince: BehindSince, event) => nextBehindSince(behindSince, event, scheduler.now()), new Map()),
      distinctUntilChanged(),
      switchMap((behindSince) => {
        const release = Math.max(-Infinity, ...behindSince.values()) + holdMs - scheduler.now();
        return release > 0
          ? concat(of(true), timer(release, scheduler).pipe(map(() => false)))
          : of(false);
      }),
      distinctUntilChanged(),
    );
}
