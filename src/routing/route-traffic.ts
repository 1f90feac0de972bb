import { Observable, type OperatorFunction } from 'rxjs';
import type { DelProperty } from '../protocol/messages.js';
import type { Routed } from './route-to.js';
import { emptyRoutingState, nextRoutingState, type RoutingState } from './routing-state.js';
import type { TrafficEvent } from './traffic.js';

/**
 * A routed event with the state it leads to: what {@link routeTraffic} emits.
 *
 * @example
 * ```ts
 * traffic$.pipe(routeTraffic()).subscribe(({ event, next }: RoutedStep) => console.log(event.type, next.owners.size, 'devices'));
 * ```
 */
export interface RoutedStep extends Routed {
  /** The routing state after this event. */
  readonly next: RoutingState;
}

/**
 * The `delProperty` of every device a closing channel still owns, so that
 * clients forget the devices of a driver that was stopped, or of a linked
 * server that went away, as indiserver does when a driver ends.
 */
function orphanedDevices(state: RoutingState, event: TrafficEvent): TrafficEvent[] {
  if (event.type !== 'close') return [];
  const orphans: TrafficEvent[] = [];
  for (const [device, owner] of state.owners) {
    if (owner !== event.channel.id) continue;
    const message: DelProperty = { type: 'delProperty', device };
    orphans.push({ type: 'message', from: event.channel, message });
  }
  return orphans;
}

/**
 * Pairs each event with the routing state it is routed against (what was
 * learned before it) and learns from it with {@link nextRoutingState}, as a
 * scan does. A closing channel's devices are deleted first: each gets a
 * `delProperty` event from that channel before its `close`.
 *
 * @example
 * ```ts
 * const routed$ = traffic$.pipe(routeTraffic(), share());
 * ```
 */
export function routeTraffic(
  initial: RoutingState = emptyRoutingState,
): OperatorFunction<TrafficEvent, RoutedStep> {
  return (traffic$) =>
    new Observable<RoutedStep>((subscriber) => {
      let state = initial;
      const step = (event: TrafficEvent): void => {
        const next = nextRoutingState(state, event);
        subscriber.next({ state, event, next });
        state = next;
      };
      return traffic$.subscribe({
        next: (event) => {
          for (const orphan of orphanedDevices(state, event)) step(orphan);
          step(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
