/**
 * Which devices and vectors a channel asked for with `getProperties`: a
 * client's interest (indiserver sends a client only what it asked for, once it
 * asked for anything specific) and a driver's snoops (INDI 1.7: a driver
 * snoops with `getProperties device=X [name=Y]`).
 *
 * @example
 * ```ts
 * const interest: Interest = addInterest(noInterest, 'CCD Simulator');
 * isInterested(interest, 'CCD Simulator', 'CCD_TEMPERATURE'); // true
 * ```
 */
export interface Interest {
  readonly everything: boolean;
  readonly devices: ReadonlySet<string>;
  /** `device\u0000name` keys. */
  readonly vectors: ReadonlySet<string>;
}

/**
 * The interest of a channel that has asked for nothing yet: it gets no device
 * traffic.
 *
 * @example
 * ```ts
 * isInterested(noInterest, 'CCD Simulator', 'CCD1'); // false
 * ```
 */
export const noInterest: Interest = { everything: false, devices: new Set(), vectors: new Set() };

const key = (device: string, name: string): string => `${device}\u0000${name}`;

/**
 * The interest after one more `getProperties`; `device` undefined or `'*'`
 * (libindi) means every device.
 *
 * @example
 * ```ts
 * const snoop = addInterest(noInterest, 'Telescope Simulator', 'EQUATORIAL_EOD_COORD');
 * ```
 */
export function addInterest(interest: Interest, device: string | undefined, name?: string): Interest {
  if (device === undefined || device === '*')
    return interest.everything ? interest : { ...interest, everything: true };
  if (name === undefined) {
    return interest.devices.has(device)
      ? interest
      : { ...interest, devices: new Set(interest.devices).add(device) };
  }
  const vector = key(device, name);
  return interest.vectors.has(vector)
    ? interest
    : { ...interest, vectors: new Set(interest.vectors).add(vector) };
}

/**
 * True when traffic of `device` (vector `name`, if the message names one)
 * falls within the interest. Traffic for a whole device (a `message`, a
 * `delProperty` without name) needs interest in the whole device, as in
 * indiserver.
 *
 * @example
 * ```ts
 * const snoop = addInterest(noInterest, 'Telescope Simulator', 'EQUATORIAL_EOD_COORD');
 * isInterested(snoop, 'Telescope Simulator', 'EQUATORIAL_EOD_COORD'); // true
 * ```
 */
export function isInterested(interest: Interest, device: string, name: string | undefined): boolean {
  if (interest.everything || interest.devices.has(device)) return true;
  return name !== undefined && interest.vectors.has(key(device, name));
}
