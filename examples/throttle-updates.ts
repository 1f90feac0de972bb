/**
 * The operator of examples/throttle.ts, kept pure (no I/O; its timers come
 * from a scheduler) so that marbles/throttle.test.ts can run it on a
 * TestScheduler.
 */
import {
  EMPTY,
  asyncScheduler,
  concat,
  connect,
  defer,
  endWith,
  from,
  ignoreElements,
  mergeMap,
  of,
  takeUntil,
  timer,
  type MonoTypeOperatorFunction,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import {
  conflate,
  conflationKey,
  isDefVector,
  isSetVector,
  type IndiMessage,
  type PropertyState,
} from '../src/index.js';

/** A property whose last update was sent less than a window ago. */
interface OpenWindow {
  readonly device: string;
  readonly name: string;
  /** The property's state as last sent. */
  readonly state: PropertyState | undefined;
  /** The newest update not sent yet, every superseded one merged into it. */
  held: IndiMessage | undefined;
}

/**
 * A rate limit on one client's deliveries: each property's `set*Vector`
 * updates (numbers, texts, lights: those with a {@link conflationKey}) go
 * out at most `maxHz` times a second. The first after a quiet spell goes at
 * once; the ones within the next `1 / maxHz` seconds are merged with
 * {@link conflate} (so members updated one at a time are all kept) and the
 * result goes when the window ends. An update that changes the property's
 * state goes at once, after what was held. Definitions and deletions go at
 * once, after what their property (or device) held; everything else
 * (`message`, switches, BLOBs) goes at once, untouched. Each property has
 * its own window, so order between properties is not kept. When the
 * deliveries end (the client left), what was held is dropped.
 *
 * @example
 * ```ts
 * serve({
 *   port: 7625,
 *   channels$: of(remoteChannel('observatory.local', 7624)),
 *   outgoing: (channel) => (channel.kind === 'client' ? throttleUpdates(2) : identity),
 * });
 * ```
 */
export function throttleUpdates(
  maxHz: number,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<IndiMessage> {
  const period = 1000 / maxHz;
  return connect((messages$) =>
    defer(() => {
      const windows = new Map<string, OpenWindow>();

      // Sends `updates` now and opens the property's next window: when it
      // ends, what it holds is sent (opening another), or the property is quiet.
      const send = (
        key: string,
        property: Omit<OpenWindow, 'held'>,
        updates: readonly IndiMessage[],
      ): Observable<IndiMessage> => {
        const window: OpenWindow = { ...property, held: undefined };
        windows.set(key, window);
        const end$ = timer(period, scheduler).pipe(
          mergeMap(() => {
            // A change of state, a definition or a deletion ended this window early.
            if (windows.get(key) !== window) return EMPTY;
            if (window.held !== undefined) return send(key, window, [window.held]);
            windows.delete(key);
            return EMPTY;
          }),
        );
        return concat(from(updates), end$);
      };

      // What a device's properties (or one of them) hold, taken out of their windows.
      const flush = (device: string, name: string | undefined): IndiMessage[] => {
        const held: IndiMessage[] = [];
        for (const [key, window] of windows) {
          if (window.device !== device || (name !== undefined && window.name !== name)) continue;
          if (window.held !== undefined) held.push(window.held);
          windows.delete(key);
        }
        return held;
      };

      return messages$.pipe(
        mergeMap((message): Observable<IndiMessage> => {
          const key = conflationKey(message);
          if (key === undefined || !isSetVector(message)) {
            // INDI 1.7: a definition or deletion replaces the property; its last value goes before it.
            return isDefVector(message) || message.type === 'delProperty'
              ? from([...flush(message.device, message.name), message])
              : of(message);
          }
          const { device, name } = message;
          const window = windows.get(key);
          const state = message.state ?? window?.state;
          if (window === undefined) return send(key, { device, name, state }, [message]);
          const merged =
            state !== window.state
              ? undefined
              : window.held === undefined
                ? message
                : conflate(window.held, message);
          if (merged !== undefined) {
            window.held = merged;
            return EMPTY;
          }
          // A change of state (or a message text on the held update, which conflate keeps apart) cannot wait.
          return send(
            key,
            { device, name, state },
            window.held === undefined ? [message] : [window.held, message],
          );
        }),
        // The client left: nothing more is sent to it.
        takeUntil(messages$.pipe(ignoreElements(), endWith(true))),
      );
    }),
  );
}
