import { Observable, type OperatorFunction } from 'rxjs';
import type { IndiMessage } from '../protocol/messages.js';
import type { DeviceCache } from './device-cache.js';
import { routeTo, type Routed } from './route-to.js';
import type { ChannelRef } from './traffic.js';

/**
 * The messages one channel's sink receives from the routed traffic: what
 * {@link routeTo} selects for it, and, when it asks for every device, the
 * cached definitions of devices behind links ({@link DeviceCache}). Completes
 * when that channel closes.
 *
 * @example
 * ```ts
 * const kstars = socketChannel(socket);
 * const cache = new DeviceCache();
 * traffic$.pipe(routeTraffic(), tap((routed) => cache.learn(routed)), deliverTo(kstars, cache)).subscribe(kstars.sink);
 * ```
 */
export function deliverTo(target: ChannelRef, cache?: DeviceCache): OperatorFunction<Routed, IndiMessage> {
  return (routed$) =>
    new Observable<IndiMessage>((subscriber) =>
      routed$.subscribe({
        next: ({ state, event }) => {
          if (event.type === 'close' && event.channel.id === target.id) {
            subscriber.complete();
            return;
          }
          const message = routeTo(state, event, target);
          if (message) subscriber.next(message);
          if (
            cache &&
            event.type === 'message' &&
            event.from.id === target.id &&
            event.message.type === 'getProperties'
          ) {
            for (const def of cache.answer(event.message, target)) subscriber.next(def);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
