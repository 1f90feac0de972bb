import type { IndiMessage, NewVector } from '../protocol/messages.js';
import { buildSetVector } from './build-set-vector.js';
import type { DriverState } from './driver-state.js';
import { validateRequest } from './validate-request.js';
import type { VectorRequest } from './vector-request.js';

/** A client request the driver accepted, or refused with what to answer (if anything). */
export type CheckedRequest =
  | { readonly ok: true; readonly request: VectorRequest }
  | {
      readonly ok: false;
      readonly device: string;
      readonly name: string;
      readonly reason: string;
      /** Nothing for a device the driver does not have: it does not speak for others' devices. */
      readonly reply?: IndiMessage;
    };

/**
 * Checks a client's `new*Vector` against the driver's current state and says
 * what to answer when it is refused: the vector with its current values,
 * state Alert and the reason ({@link validateRequest}); a `message` for a
 * vector the device does not (or no longer) define; nothing for a device
 * the driver does not have.
 *
 * @example
 * ```ts
 * checkRequest(state, { type: 'newNumberVector', device: 'Mount', name: 'EQUATORIAL_EOD_COORD', members: [{ name: 'RA', value: 25 }] }, now);
 * // { ok: false, reason: 'RA = 25 is outside the range 0 to 24', reply: setNumberVector state='Alert' message='EQUATORIAL_EOD_COORD request rejected: …' }
 * ```
 */
export function checkRequest(state: DriverState, request: NewVector, timestamp: string): CheckedRequest {
  const { device, name } = request;
  const vectors = state.get(device);
  if (vectors === undefined)
    return { ok: false, device, name, reason: `this driver has no device ${device}` };
  const vector = vectors.get(name);
  if (vector === undefined || !vector.defined) {
    const reason = `${device} defines no such property`;
    const reply: IndiMessage = {
      type: 'message',
      device,
      timestamp,
      message: `${name} request rejected: ${reason}`,
    };
    return { ok: false, device, name, reason, reply };
  }
  const result = validateRequest(vector.def, request);
  if (result.ok) return result;
  const message = `${name} request rejected: ${result.reason}`;
  const reply = buildSetVector(vector.def, {}, { state: 'Alert', message, members: 'all' }, timestamp);
  return { ok: false, device, name, reason: result.reason, reply };
}
