/**
 * The operator of examples/device-filter.ts, kept pure (no I/O) so that
 * marbles/device-filter.test.ts can run it on a TestScheduler.
 */
import { mergeMap, type OperatorFunction } from 'rxjs';
import {
  deviceOf,
  isNewVector,
  reply,
  type ChannelRef,
  type IndiMessage,
  type Message,
  type Reply,
} from '../src/index.js';

/**
 * INDI 1.7 `message`: what a client is told instead of its request for a
 * hidden device being carried out. It names no device (it is a note for the
 * client, not traffic of that device), so no client files it under one.
 *
 * @example
 * ```ts
 * notServed('Focuser Simulator', ['Telescope Simulator']).message;
 * // 'device filter: Focuser Simulator is not served here; this server shows only Telescope Simulator'
 * ```
 */
export function notServed(device: string, allowed: Iterable<string>): Message {
  return {
    type: 'message',
    message: `device filter: ${device} is not served here; this server shows only ${[...allowed].join(', ')}`,
  };
}

/** What a client asks about a device: to change it, to be sent it, to be sent its BLOBs. */
function isRequest(message: IndiMessage): boolean {
  return isNewVector(message) || message.type === 'getProperties' || message.type === 'enableBLOB';
}

/**
 * Serves only the devices in `allow`, as `serve`'s `incoming`: every message
 * naming another device is dropped where it enters, so the server never
 * learns of it and cannot pass it on (in a `getProperties` answer, an echo, a
 * snoop). A client's request naming one (`new*Vector`, `getProperties`,
 * `enableBLOB`) is answered, to that client alone, with {@link notServed}.
 * Messages naming no device pass: a `getProperties` for every device (or
 * `device='*'`, a linked server), a `pingRequest`, a server-wide `message`.
 *
 * @example
 * ```ts
 * serve({ channels$: of(remoteChannel('observatory.local', 7624)), incoming: deviceFilter(['Telescope Simulator']) });
 * ```
 */
export function deviceFilter(
  allow: Iterable<string>,
): (channel: ChannelRef) => OperatorFunction<IndiMessage, IndiMessage | Reply> {
  const allowed = new Set(allow);
  return (channel) =>
    mergeMap((message) => {
      const device = deviceOf(message);
      if (device === undefined || device === '*' || allowed.has(device)) return [message];
      return channel.kind === 'client' && isRequest(message) ? [reply(notServed(device, allowed))] : [];
    });
}
