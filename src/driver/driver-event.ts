/**
 * What happened in an in-process driver without ending it: a client request
 * refused by validation (the client was told, with an Alert), or a request
 * handler that threw or failed (the client was told, with a message).
 *
 * @example
 * ```ts
 * driver.driverEvents$.subscribe((event) => console.warn(`${event.channel}: ${event.type} on ${event.device}.${event.name}`));
 * ```
 */
export type DriverEvent =
  | {
      readonly type: 'requestRejected';
      readonly channel: string;
      readonly device: string;
      readonly name: string;
      readonly reason: string;
    }
  | {
      readonly type: 'handlerFailed';
      readonly channel: string;
      readonly device: string;
      readonly name: string;
      readonly error: unknown;
    };
