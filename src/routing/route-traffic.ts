import { scan, type OperatorFunction } from 'rxjs';
import type { Routed } from './route-to.js';
import { emptyRoutingState, nextRoutingState, type RoutingState } from './routing-state.js';
import type { TrafficEvent } from './traffic.js';

/** A routed event with the state it leads to. */
export interface RoutedStep extends Routed {
  /** The routing state after this event. */
  readonly next: RoutingState;
}

/**
 * Pairs each event with the routing state it is routed against (what was
 * learned before it), learning from it with {@link nextRoutingState} in a `scan`.
 *
 * @example
 * ```ts
 * const routed$ = traffic$.pipe(routeTraffic(), share());
 * ```
 */
export function routeTraffic(
  initial: RoutingState = emptyRoutingState,
): OperatorFunction<TrafficEvent, RoutedStep> {
  return scan<TrafficEvent, RoutedStep, { next: RoutingState }>(
    (previous, event) => ({ state: previous.next, event, next: nextRoutingState(previous.next, event) }),
    { next: initial },
  );
}
