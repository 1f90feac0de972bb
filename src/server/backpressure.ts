import { distinctUntilChanged, map, scan, type OperatorFunction } from 'rxjs';
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
