import { isDefVector, isSetVector, type DriverMessage, type IndiMessage } from '../protocol/messages.js';

/** One active `snoop()`: a device, or one of its vectors, with or without BLOBs. */
export interface Snoop {
  readonly device: string;
  readonly name?: string;
  readonly blobs: boolean;
}

const keyOf = (snoop: Snoop): string => `${snoop.device}\u0000${snoop.name ?? ''}`;

function target(snoop: Snoop): { device: string; name?: string } {
  return snoop.name === undefined ? { device: snoop.device } : { device: snoop.device, name: snoop.name };
}

/**
 * What a driver tells the server when its snoops change (INDI 1.7 snooping):
 * `getProperties device=X [name=Y]` for each new target, then `enableBLOB …
 * Also` where BLOBs are newly wanted, and `enableBLOB … Never` where the last
 * snoop that wanted them ended. INDI has no way to stop snooping, so a
 * target no longer snooped is simply no longer passed on.
 *
 * @example
 * ```ts
 * snoopRequests([], [{ device: 'CCD', name: 'CCD1', blobs: true }]);
 * // getProperties device='CCD' name='CCD1', then enableBLOB device='CCD' name='CCD1' Also
 * ```
 */
export function snoopRequests(before: readonly Snoop[], after: readonly Snoop[]): IndiMessage[] {
  const asked = new Set(before.map(keyOf));
  const blobsBefore = new Set(before.filter((snoop) => snoop.blobs).map(keyOf));
  const blobsAfter = new Set(after.filter((snoop) => snoop.blobs).map(keyOf));
  const messages: IndiMessage[] = [];
  for (const snoop of after) {
    const key = keyOf(snoop);
    if (asked.has(key)) continue;
    asked.add(key);
    messages.push({ type: 'getProperties', version: '1.7', ...target(snoop) });
  }
  const changed = [...after, ...before].filter(
    (snoop) => blobsBefore.has(keyOf(snoop)) !== blobsAfter.has(keyOf(snoop)),
  );
  const done = new Set<string>();
  for (const snoop of changed) {
    if (done.has(keyOf(snoop))) continue;
    done.add(keyOf(snoop));
    messages.push({
      type: 'enableBLOB',
      ...target(snoop),
      mode: blobsAfter.has(keyOf(snoop)) ? 'Also' : 'Never',
    });
  }
  return messages;
}

/**
 * True for traffic a snoop passes on: the device's `def*`, `set*`,
 * `delProperty` and `message`, limited to its vector when it names one
 * (device-wide `delProperty` and `message` always pass), BLOBs only when asked for.
 *
 * @example
 * ```ts
 * incoming$.pipe(filter((message) => isSnooped({ device: 'Mount', blobs: false }, message)));
 * ```
 */
export function isSnooped(snoop: Snoop, message: IndiMessage): message is DriverMessage {
  if (message.type === 'setBLOBVector' && !snoop.blobs) return false;
  const isTraffic =
    message.type === 'message' ||
    message.type === 'delProperty' ||
    isDefVector(message) ||
    isSetVector(message);
  if (!isTraffic || message.device !== snoop.device) return false;
  const name = message.type === 'message' ? undefined : message.name;
  return snoop.name === undefined || name === undefined || name === snoop.name;
}
