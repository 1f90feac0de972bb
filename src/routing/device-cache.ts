import type { DefVector, GetProperties, IndiMessage, SetVector } from '../protocol/messages.js';
import { isDefVector, isSetVector } from '../protocol/messages.js';
import type { Routed } from './route-to.js';
import { isOwnerOf, speaksForDevices } from './routing-state.js';
import type { ChannelRef } from './traffic.js';

interface CachedDevice {
  readonly owner: ChannelRef;
  readonly vectors: Map<string, DefVector>;
}

interface MemberValues {
  readonly name: string;
  readonly value?: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
}

/** A definition carrying the values and state of a later `set*` of the same vector. */
function withValues(def: DefVector, set: SetVector): DefVector {
  if (set.type === 'setBLOBVector') return def;
  const updates = new Map<string, MemberValues>(set.members.map((member) => [member.name, member]));
  const members = (def.members as readonly MemberValues[]).map((member) => {
    const update = updates.get(member.name);
    return update === undefined ? member : { ...member, ...update };
  });
  const { message: _note, ...rest } = def;
  return {
    ...rest,
    state: set.state ?? def.state,
    ...(set.timestamp === undefined ? {} : { timestamp: set.timestamp }),
    ...('timeout' in set && set.timeout !== undefined && def.type !== 'defLightVector'
      ? { timeout: set.timeout }
      : {}),
    members,
  } as DefVector;
}

/**
 * The latest definition and values of every device the server has seen,
 * learned from the routed traffic of each device's owner, so that a
 * `getProperties` for devices behind a link is answered here instead of
 * travelling from server to server (which is what keeps a loop of servers
 * from circulating requests). Entries die with `delProperty` and with the
 * channel that owned them. BLOB data is never kept.
 *
 * Mutable on purpose: a copy per `set*` would cost more than the routing.
 *
 * @example
 * ```ts
 * const cache = new DeviceCache();
 * routed$.pipe(tap((routed) => cache.learn(routed)));
 * ```
 */
export class DeviceCache {
  private readonly devices = new Map<string, CachedDevice>();

  /** Learns from one routed event. */
  learn({ state, event }: Routed): void {
    if (event.type === 'close') {
      for (const [device, cached] of this.devices)
        if (cached.owner.id === event.channel.id) this.devices.delete(device);
      return;
    }
    if (event.type !== 'message') return;
    const { from, message } = event;
    if (!('device' in message) || message.device === undefined) return;
    if (!speaksForDevices(state, from) || !isOwnerOf(state, from, message.device)) return;
    this.apply(from, message);
  }

  private apply(from: ChannelRef, message: IndiMessage): void {
    if (isDefVector(message)) {
      const cached = this.devices.get(message.device) ?? {
        owner: from,
        vectors: new Map<string, DefVector>(),
      };
      cached.vectors.set(message.name, message);
      this.devices.set(message.device, cached);
    } else if (isSetVector(message)) {
      const vectors = this.devices.get(message.device)?.vectors;
      const def = vectors?.get(message.name);
      if (vectors && def) vectors.set(message.name, withValues(def, message));
    } else if (message.type === 'delProperty') {
      if (message.name === undefined) this.devices.delete(message.device);
      else this.devices.get(message.device)?.vectors.delete(message.name);
    }
  }

  /**
   * The cached definitions that answer a `getProperties` for every device:
   * those of devices behind links (drivers answer for themselves), except the
   * asker's own.
   */
  answer(get: GetProperties, asker: ChannelRef): DefVector[] {
    if (get.device !== undefined && get.device !== '*') return [];
    const answers: DefVector[] = [];
    for (const { owner, vectors } of this.devices.values()) {
      if (owner.kind !== 'driver' && owner.id !== asker.id) answers.push(...vectors.values());
    }
    return answers;
  }
}
