import { of, type Observable } from 'rxjs';
import type { Channel } from '../channels/channel.js';
import { serve, type ServeOptions, type ServerEvent } from './serve.js';

/**
 * Serves one in-process driver on a TCP port, with no other drivers and any
 * number of clients: indipydriver's 'listening' mode, for a single-device setup.
 *
 * @example
 * ```ts
 * listenDriver(indiDriver([mount]), { port: 7624 }).subscribe();
 * ```
 */
export function listenDriver(
  driver: Channel,
  options: Omit<ServeOptions, 'channels$' | 'drivers'> = {},
): Observable<ServerEvent> {
  return serve({ ...options, channels$: of(driver) });
}
