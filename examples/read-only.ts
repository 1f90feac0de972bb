/**
 * The two operators of examples/read-only-mirror.ts, kept pure (no I/O) so
 * that marbles/read-only-mirror.test.ts can run them on a TestScheduler.
 */
import {
  Subject,
  connect,
  endWith,
  filter,
  identity,
  ignoreElements,
  map,
  merge,
  takeUntil,
  tap,
  type MonoTypeOperatorFunction,
} from 'rxjs';
import {
  isNewVector,
  type ChannelRef,
  type IndiMessage,
  type Message,
  type NewVector,
} from '../src/index.js';

/** What `serve` is given: an operator per channel on the way in, and one on the way out. */
export interface ReadOnlyOperators {
  readonly incoming: (channel: ChannelRef) => MonoTypeOperatorFunction<IndiMessage>;
  readonly outgoing: (channel: ChannelRef) => MonoTypeOperatorFunction<IndiMessage>;
}

/** INDI 1.7 `message`: the note a client gets instead of its request being carried out. */
export function refusal(request: NewVector): Message {
  return {
    type: 'message',
    device: request.device,
    message: `read-only mirror: ${request.device}.${request.name} cannot be changed here`,
  };
}

/**
 * Makes a server read-only for its clients: `incoming` drops every `new*Vector`
 * a client sends (so it is neither forwarded to the device's owner nor echoed
 * to other clients), and `outgoing` sends that client, and only it, a
 * {@link refusal} in the same instant. Drivers and links are untouched.
 *
 * @example
 * ```ts
 * const { incoming, outgoing } = readOnly();
 * serve({ port: 7624, channels$: of(remoteChannel('observatory.local', 7624)), incoming, outgoing });
 * ```
 */
export function readOnly(): ReadOnlyOperators {
  // The bridge between the two insertion points: serve() gives each its own
  // pipeline, so a refusal noticed on the way in needs a Subject to reach the way out.
  const refusals$ = new Subject<{ readonly to: string; readonly message: Message }>();

  const incoming = (channel: ChannelRef): MonoTypeOperatorFunction<IndiMessage> =>
    channel.kind !== 'client'
      ? identity
      : (messages$) =>
          messages$.pipe(
            tap((message) => {
              if (isNewVector(message)) refusals$.next({ to: channel.id, message: refusal(message) });
            }),
            filter((message) => !isNewVector(message)),
          );

  const outgoing = (channel: ChannelRef): MonoTypeOperatorFunction<IndiMessage> =>
    connect((delivered$) =>
      merge(
        delivered$,
        refusals$.pipe(
          filter(({ to }) => to === channel.id),
          map(({ message }) => message),
          // This client's stream ends when the client leaves: so do its refusals.
          takeUntil(delivered$.pipe(ignoreElements(), endWith(true))),
        ),
      ),
    );

  return { incoming, outgoing };
}
