/**
 * The operator of examples/read-only-mirror.ts, kept pure (no I/O) so that
 * marbles/read-only-mirror.test.ts can run it on a TestScheduler.
 */
import { identity, map, type OperatorFunction } from 'rxjs';
import {
  isNewVector,
  reply,
  type ChannelRef,
  type IndiMessage,
  type Message,
  type NewVector,
  type Reply,
} from '../src/index.js';

/** INDI 1.7 `message`: the note a client gets instead of its request being carried out. */
export function refusal(request: NewVector): Message {
  return {
    type: 'message',
    device: request.device,
    message: `read-only mirror: ${request.device}.${request.name} cannot be changed here`,
  };
}

/**
 * Makes a server read-only for its clients, as `serve`'s `incoming`: every
 * `new*Vector` a client sends becomes a {@link refusal} replied to that client
 * alone, so it is neither forwarded to the device's owner nor echoed to other
 * clients. Drivers and links are untouched.
 *
 * @example
 * ```ts
 * serve({ port: 7624, channels$: of(remoteChannel('observatory.local', 7624)), incoming: readOnly });
 * ```
 */
export function readOnly(channel: ChannelRef): OperatorFunction<IndiMessage, IndiMessage | Reply> {
  if (channel.kind !== 'client') return identity;
  return map((message) => (isNewVector(message) ? reply(refusal(message)) : message));
}
