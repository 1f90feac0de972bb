import { match, P } from 'ts-pattern';
import { isDefVector, isSetVector, type DefVector, type IndiMessage } from '../protocol/messages.js';
import { applySetVector } from '../protocol/apply-set-vector.js';
import type { DeviceDefinition } from './define-device.js';
import { toDefVector } from './to-def-vector.js';

/** One vector as the driver holds it: its definition with current values, and whether clients know it. */
export interface DriverVector {
  readonly def: DefVector;
  /** False after `delProperty`, until it is defined again. */
  readonly defined: boolean;
}

/** device → vector name → {@link DriverVector}; insertion order is definition order. */
export type DriverState = ReadonlyMap<string, ReadonlyMap<string, DriverVector>>;

/**
 * The state of a driver before it has sent anything: every vector defined,
 * with its initial values.
 *
 * @example
 * ```ts
 * const state = initialDriverState([mount]);
 * state.get('Mount')?.get('CONNECTION')?.def.state; // 'Idle'
 * ```
 */
export function initialDriverState(devices: readonly DeviceDefinition[]): DriverState {
  return new Map(
    devices.map((device) => [
      device.name,
      new Map(
        Object.entries(device.vectors).map(([name, definition]) => [
          name,
          { def: toDefVector(device.name, name, definition), defined: true },
        ]),
      ),
    ]),
  );
}

function updateVectors(
  state: DriverState,
  device: string,
  update: (vectors: ReadonlyMap<string, DriverVector>) => ReadonlyMap<string, DriverVector>,
): DriverState {
  const vectors = state.get(device);
  return vectors === undefined ? state : new Map(state).set(device, update(vectors));
}

function updateVector(
  state: DriverState,
  device: string,
  name: string,
  update: (vector: DriverVector) => DriverVector,
): DriverState {
  return updateVectors(state, device, (vectors) => {
    const vector = vectors.get(name);
    return vector === undefined ? vectors : new Map(vectors).set(name, update(vector));
  });
}

/**
 * The driver's state after it sent `message`: a `def*` defines the vector
 * again (with the values it carries), a `set*` updates values and state, a
 * `delProperty` marks the vector (or every vector of the device) deleted.
 * Messages about unknown devices or vectors change nothing.
 *
 * @example
 * ```ts
 * sent$.pipe(scan(nextDriverState, initialDriverState([mount])));
 * ```
 */
export function nextDriverState(state: DriverState, message: IndiMessage): DriverState {
  return match(message)
    .with(P.when(isDefVector), (def) =>
      updateVector(state, def.device, def.name, () => ({ def, defined: true })),
    )
    .with(P.when(isSetVector), (set) =>
      updateVector(state, set.device, set.name, (vector) => ({
        ...vector,
        def: applySetVector(vector.def, set),
      })),
    )
    .with({ type: 'delProperty' }, ({ device, name }) =>
      name === undefined
        ? updateVectors(
            state,
            device,
            (vectors) => new Map([...vectors].map(([key, vector]) => [key, { ...vector, defined: false }])),
          )
        : updateVector(state, device, name, (vector) => ({ ...vector, defined: false })),
    )
    .otherwise(() => state);
}
