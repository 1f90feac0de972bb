import { filter, map, pipe, takeWhile, type OperatorFunction } from 'rxjs';
import type { IndiMessage } from '../protocol/messages.js';
import { routeTo, type Routed } from './route-to.js';
import type { ChannelRef } from './traffic.js';

/**
 * The messages one channel's sink receives from the routed traffic, by
 * {@link routeTo}; ends when that channel closes.
 *
 * @example
 * ```ts
 * routed$.pipe(deliverTo(client)).subscribe(client.sink);
 * ```
 */
export function deliverTo(target: ChannelRef): OperatorFunction<Routed, IndiMessage> {
  return pipe(
    takeWhile(({ event }) => !(event.type === 'close' && event.channel.id === target.id)),
    map(({ state, event }) => routeTo(state, event, target)),
    filter((message): message is IndiMessage => message !== undefined),
  );
}
