import { applySetVector } from '../protocol/apply-set-vector.js';
import type { DefVector, GetProperties, IndiMessage } from '../protocol/messages.js';
import { isDefVector, isSetVector } from '../protocol/messages.js';
import { keepOriginal } from '../protocol/original-text.js';
import type { Routed } from './route-to.js';
import { isOwnerOf, speaksForDevices } from './routing-state.js';
import type { ChannelRef } from './traffic.js';

interface CachedDevice {
  readonly owner: ChannelRef;
  readonly vectors: Map<string, DefVector>;
}

/**
 * The latest definition and values of every device behind a link (a remote
 * server, or a server that linked to this one), learned from the routed
 * traffic of the link that owns it, so that a
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
 * traffic$.pipe(routeTraffic(), tap((routed) => cache.learn(routed)));
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
    // Only what `answer` can give: devices behind links. Local drivers answer
    // for themselves, so their updates (the bulk of the traffic) cost nothing here.
    if (from.kind === 'driver' || !speaksForDevices(state, from)) return;
    if (!isOwnerOf(state, from, message.device)) return;
    this.apply(from, message);
  }

  private apply(from: ChannelRef, message: IndiMessage): void {
    if (isDefVector(message)) {
      keepOriginal(message);
      const cached = this.devices.get(message.device) ?? {
        owner: from,
        vectors: new Map<string, DefVector>(),
      };
      cached.vectors.set(message.name, message);
      this.devices.set(message.device, cached);
    } else if (isSetVector(message)) {
      const vectors = this.devices.get(message.device)?.vectors;
      const def = vectors?.get(message.name);
      // The cached definition carries the latest values, not the last note.
      if (vectors && def) vectors.set(message.name, { ...applySetVector(def, message), message: undefined });
    } else if (message.type === 'delProperty') {
      if (message.name === undefined) this.devices.delete(message.device);
      else this.devices.get(message.device)?.vectors.delete(message.name);
    }
  }

  /**
   * The cached definitions that answer a `getProperties` for every device:
   * all of them (drivers answer for themselves), except the asker's own.
   */
  answer(get: GetProperties, asker: ChannelRef): DefVector[] {
    if (get.device !== undefined && get.device !== '*') return [];
    const answers: DefVector[] = [];
    for (const { owner, vectors } of this.devices.values()) {
      if (owner.id !== asker.id) answers.push(...vectors.values());
    }
    return answers;
  }
}
