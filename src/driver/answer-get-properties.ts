import type { DefVector, GetProperties } from '../protocol/messages.js';
import type { DriverState } from './driver-state.js';

/**
 * The definitions a driver answers a `getProperties` with (INDI 1.7): every
 * defined vector of every device (no device, or libindi's `'*'`), of the
 * device asked for, or the one vector asked for; nothing for devices it does
 * not have. Each carries its current values and state, a fresh timestamp, and
 * no message (the last one was already told).
 *
 * @example
 * ```ts
 * answerGetProperties(state, { type: 'getProperties', version: '1.7', device: 'Mount' }, '2025-01-01T00:00:00');
 * ```
 */
export function answerGetProperties(state: DriverState, get: GetProperties, timestamp: string): DefVector[] {
  const devices = get.device === undefined || get.device === '*' ? [...state.keys()] : [get.device];
  return devices.flatMap((device) =>
    [...(state.get(device) ?? [])]
      .filter(([name, vector]) => vector.defined && (get.name === undefined || name === get.name))
      .map(([, vector]) => ({ ...vector.def, timestamp, message: undefined })),
  );
}
