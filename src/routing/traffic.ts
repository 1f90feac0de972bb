import { map, type OperatorFunction } from 'rxjs';
import type { IndiMessage } from '../protocol/messages.js';

/**
 * What is at the other end of a channel: a client, a driver (a program or
 * in-process), or another server (a link). Routing treats each differently.
 *
 * @example
 * ```ts
 * const what: Record<ChannelKind, string> = { client: 'client', driver: 'driver', remote: 'linked server' };
 * serve().subscribe((event) => event.type === 'connected' && console.log(`${what[event.kind]} ${event.channel} connected`));
 * ```
 */
export type ChannelKind = 'client' | 'driver' | 'remote';

/**
 * The identity of a channel, as routing sees it: no I/O, just a name and a
 * kind. It is what `serve`'s `incoming` and `outgoing` operators are given.
 *
 * @example
 * ```ts
 * serve({
 *   drivers: ['indi_simulator_telescope'],
 *   incoming: (channel: ChannelRef) => tap((message) => console.log(`${channel.kind} ${channel.id} sent ${message.type}`)),
 * }).subscribe();
 * ```
 */
export interface ChannelRef {
  readonly id: string;
  readonly kind: ChannelKind;
}

/**
 * Everything the routing graph reacts to: channels opening and closing, the
 * messages they send, tagged with their origin, and replies meant for one
 * channel alone. A custom routing graph feeds them to {@link routeTraffic}.
 *
 * @example
 * ```ts
 * const scope: ChannelRef = { id: 'indi_simulator_telescope', kind: 'driver' };
 * const traffic: TrafficEvent[] = [
 *   { type: 'open', channel: scope },
 *   { type: 'message', from: scope, message: { type: 'message', device: 'Telescope Simulator', message: 'Slewing' } },
 *   { type: 'close', channel: scope },
 * ];
 * from(traffic).pipe(routeTraffic()).subscribe(({ event }) => console.log(event.type)); // open, message, close
 * ```
 */
export type TrafficEvent =
  | { readonly type: 'open'; readonly channel: ChannelRef }
  | { readonly type: 'message'; readonly from: ChannelRef; readonly message: IndiMessage }
  | { readonly type: 'close'; readonly channel: ChannelRef }
  | { readonly type: 'reply'; readonly to: ChannelRef; readonly message: IndiMessage };

/**
 * An answer to the channel a message came from, and to no one else: what a
 * `serve` `incoming` operator emits instead of (or beside) a message, to
 * refuse a request or to answer it on the spot. Build one with {@link reply}.
 *
 * @example
 * ```ts
 * // In serve({ incoming }): answer a pingRequest here instead of routing it.
 * const incoming = () =>
 *   map((message: IndiMessage): IndiMessage | Reply =>
 *     message.type === 'pingRequest' ? reply({ type: 'pingReply', uid: message.uid }) : message,
 *   );
 * ```
 */
export interface Reply {
  readonly type: 'reply';
  readonly message: IndiMessage;
}

/**
 * Wraps a message as a {@link Reply} to its sender.
 *
 * @example
 * ```ts
 * // In serve({ incoming }): refuse every new*Vector a client sends.
 * const incoming = () => map((message: IndiMessage) =>
 *   isNewVector(message) ? reply({ type: 'message', device: message.device, message: 'read-only' }) : message);
 * ```
 */
export function reply(message: IndiMessage): Reply {
  return { type: 'reply', message };
}

/**
 * True for a {@link Reply}, false for an INDI message.
 *
 * @example
 * ```ts
 * isReply(reply({ type: 'pingReply', uid: '1' })); // true
 * ```
 */
export function isReply(item: IndiMessage | Reply): item is Reply {
  return item.type === 'reply';
}

/**
 * Tags what one channel sends (after a `serve` `incoming` operator) with its
 * origin: a message becomes a `message` event from that channel, a
 * {@link Reply} a `reply` event back to it.
 *
 * @example
 * ```ts
 * const kstars = socketChannel(socket);
 * const traffic$ = merge(kstars.messages$.pipe(tagTraffic(kstars)), driver.messages$.pipe(tagTraffic(driver)));
 * ```
 */
export function tagTraffic(from: ChannelRef): OperatorFunction<IndiMessage | Reply, TrafficEvent> {
  return map((item) =>
    isReply(item)
      ? { type: 'reply', to: from, message: item.message }
      : { type: 'message', from, message: item },
  );
}
