/**
 * A driver was asked to send something about a device, vector or member its
 * definitions do not have: a programming error, thrown at the call.
 *
 * @example
 * ```ts
 * const untyped = indiDriver<DeviceDefinition>([mount]); // names are then checked at the call, not by the compiler
 * try {
 *   untyped.set('Telescope Simulator', 'TELESCOPE_PARK', { PARK: 'On' });
 * } catch (error) {
 *   if (error instanceof UnknownPropertyError) console.error(error.message);
 * }
 * ```
 */
export class UnknownPropertyError extends Error {
  override readonly name = 'UnknownPropertyError';
  readonly device: string;
  readonly vector: string | undefined;
  readonly member: string | undefined;

  constructor(device: string, vector?: string, member?: string) {
    const what =
      vector === undefined
        ? `device '${device}'`
        : member === undefined
          ? `vector '${vector}' of device '${device}'`
          : `member '${member}' of ${device}.${vector}`;
    super(`this driver defines no ${what}`);
    this.device = device;
    this.vector = vector;
    this.member = member;
  }
}
