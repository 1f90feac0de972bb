import { match, P } from 'ts-pattern';
import { isDefVector, isSetVector, type DefVector, type IndiMessage } from '../protocol/messages.js';
import { applySetVector } from '../protocol/apply-set-vector.js';

/**
 * What a client knows of every device: device → vector name → the vector's
 * definition with its latest values, state, timestamp and message. It is what
 * a client's `devices$` emits, built with {@link nextIndiDevices}; a new
 * object on every change, so compare by identity.
 *
 * @example
 * ```ts
 * const devices: IndiDevices = await firstValueFrom(client.devices$);
 * const coordinates = devices.get('Telescope Simulator')?.get('EQUATORIAL_EOD_COORD');
 * if (coordinates !== undefined) console.log(memberValues(coordinates)); // { RA: 5.5, DEC: -5.4 }
 * ```
 */
export type IndiDevices = ReadonlyMap<string, ReadonlyMap<string, DefVector>>;

/**
 * No device known yet: where a client's state starts.
 *
 * @example
 * ```ts
 * client.messages$.pipe(scan(nextIndiDevices, noDevices), startWith(noDevices));
 * ```
 */
export const noDevices: IndiDevices = new Map();

function withDevice(
  devices: IndiDevices,
  device: string,
  vectors: ReadonlyMap<string, DefVector>,
): IndiDevices {
  const next = new Map(devices);
  if (vectors.size === 0) next.delete(device);
  else next.set(device, vectors);
  return next;
}

/**
 * The devices after one message from a server: a `def*Vector` (re)defines a
 * vector, a `set*Vector` updates a known one ({@link applySetVector}), a
 * `delProperty` removes a vector or the whole device. Anything else, and a
 * set for an unknown vector, returns the same object, so unchanged vectors
 * and devices keep their identity.
 *
 * @example
 * ```ts
 * const devices$ = client.messages$.pipe(scan(nextIndiDevices, noDevices));
 * ```
 */
export function nextIndiDevices(devices: IndiDevices, message: IndiMessage): IndiDevices {
  return match(message)
    .with(P.when(isDefVector), (def) =>
      withDevice(devices, def.device, new Map(devices.get(def.device)).set(def.name, def)),
    )
    .with(P.when(isSetVector), (set) => {
      const vectors = devices.get(set.device);
      const vector = vectors?.get(set.name);
      if (vectors === undefined || vector === undefined) return devices;
      const updated = applySetVector(vector, set);
      return updated === vector
        ? devices
        : withDevice(devices, set.device, new Map(vectors).set(set.name, updated));
    })
    .with({ type: 'delProperty' }, ({ device, name }) => {
      const vectors = devices.get(device);
      if (vectors === undefined || (name !== undefined && !vectors.has(name))) return devices;
      const remaining = new Map(vectors);
      if (name === undefined) remaining.clear();
      else remaining.delete(name);
      return withDevice(devices, device, remaining);
    })
    .otherwise(() => devices);
}
