import { catchError, concat, defer, from, tap, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import type { DelProperty, IndiMessage } from '../protocol/messages.js';
import { isDefVector } from '../protocol/messages.js';

/**
 * When the connection behind a channel fails (a driver process dies, a link
 * drops) while the channel itself goes on (a restart, a reconnection), its
 * devices are gone: this emits a `delProperty` for every device the messages
 * defined and did not delete, then the error.
 *
 * @example
 * ```ts
 * oneConnection$.pipe(deleteDevicesOnError(), retry({ delay: 1000 }));
 * ```
 */
export function deleteDevicesOnError(): MonoTypeOperatorFunction<IndiMessage> {
  return (messages$) =>
    defer(() => {
      const devices = new Set<string>();
      return messages$.pipe(
        tap((message) => {
          if (isDefVector(message)) devices.add(message.device);
          else if (message.type === 'delProperty' && message.name === undefined)
            devices.delete(message.device);
        }),
        catchError((error: unknown) =>
          concat(
            from([...devices].map((device): DelProperty => ({ type: 'delProperty', device }))),
            throwError(() => error),
          ),
        ),
      );
    });
}
