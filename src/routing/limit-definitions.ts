import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import { isDefVector, type IndiMessage } from '../protocol/messages.js';

/**
 * How many devices, and properties in all, one channel (a driver, a link) may
 * define, so that a runaway driver cannot fill the server's memory.
 *
 * @example
 * ```ts
 * const limits: DefinitionLimits = { maxDevices: 4, maxProperties: 1000 };
 * ```
 */
export interface DefinitionLimits {
  readonly maxDevices: number;
  readonly maxProperties: number;
}

/**
 * A definition that was not served because its channel reached a limit: which
 * limit, its value, and the property refused.
 *
 * @example
 * ```ts
 * driver.messages$.pipe(
 *   limitDefinitions(defaultDefinitionLimits, (refusal: RefusedDefinition) =>
 *     console.warn(`${refusal.device}.${refusal.name} not served: more than ${refusal.max} ${refusal.limit}`),
 *   ),
 * );
 * ```
 */
export interface RefusedDefinition {
  readonly limit: 'devices' | 'properties';
  readonly max: number;
  readonly device: string;
  readonly name: string;
}

/**
 * The limits `serve` applies by default: generous for any real instrument (a
 * CCD driver defines about 150 properties), small for memory.
 *
 * @example
 * ```ts
 * driver.messages$.pipe(limitDefinitions(defaultDefinitionLimits, (refusal) => console.warn(refusal)));
 * ```
 */
export const defaultDefinitionLimits: DefinitionLimits = { maxDevices: 1000, maxProperties: 20_000 };

/**
 * Bounds what one channel can make the server remember: a `def*Vector` of a
 * new device past `maxDevices`, or of a new property past `maxProperties`,
 * is dropped; the first drop of each kind is passed to `refused` (a driver
 * that resends its definitions is reported once, not on every
 * `getProperties`). Everything else passes. A
 * `delProperty` frees its device or property, so a driver that deletes and
 * redefines is never refused. Counting starts afresh for each subscription.
 *
 * @example
 * ```ts
 * driver.messages$.pipe(limitDefinitions({ maxDevices: 10, maxProperties: 500 }, (refusal) => console.warn(refusal)));
 * ```
 */
export function limitDefinitions(
  limits: DefinitionLimits,
  refused: (refusal: RefusedDefinition) => void,
): MonoTypeOperatorFunction<IndiMessage> {
  return (messages$) =>
    defer(() => {
      // device → its defined property names
      const devices = new Map<string, Set<string>>();
      let properties = 0;
      const reported = new Set<RefusedDefinition['limit']>();
      const refuse = (refusal: RefusedDefinition): false => {
        if (!reported.has(refusal.limit)) refused(refusal);
        reported.add(refusal.limit);
        return false;
      };
      const admit = (message: IndiMessage): boolean => {
        if (message.type === 'delProperty') {
          const names = devices.get(message.device);
          if (names === undefined) return true;
          if (message.name === undefined) {
            properties -= names.size;
            devices.delete(message.device);
          } else if (names.delete(message.name)) properties -= 1;
          return true;
        }
        if (!isDefVector(message)) return true;
        const { device, name } = message;
        const names = devices.get(device);
        if (names?.has(name) === true) return true;
        if (names === undefined && devices.size >= limits.maxDevices)
          return refuse({ limit: 'devices', max: limits.maxDevices, device, name });
        if (properties >= limits.maxProperties)
          return refuse({ limit: 'properties', max: limits.maxProperties, device, name });
        devices.set(device, (names ?? new Set<string>()).add(name));
        properties += 1;
        return true;
      };
      return messages$.pipe(filter(admit));
    });
}
