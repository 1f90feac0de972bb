import { match } from 'ts-pattern';
import type { IndiMessage } from '../protocol/messages.js';
import { enableBlob, neverBlobs, type BlobPolicy } from './blob-policy.js';
import { addInterest, noInterest, type Interest } from './interest.js';
import { definesDevices, type ChannelRef, type TrafficEvent } from './traffic.js';

/**
 * What the server has learned from the traffic so far. Every field is derived
 * from {@link TrafficEvent}s by {@link nextRoutingState}; nothing else writes it.
 */
export interface RoutingState {
  /** device → id of the channel that defined it first. */
  readonly owners: ReadonlyMap<string, string>;
  /** channel id → what it asked for with `getProperties` (clients: interest; drivers: snoops). */
  readonly interests: ReadonlyMap<string, Interest>;
  /** channel id → its `enableBLOB` policy. */
  readonly blobPolicies: ReadonlyMap<string, BlobPolicy>;
}

/** Nothing learned yet. */
export const emptyRoutingState: RoutingState = {
  owners: new Map(),
  interests: new Map(),
  blobPolicies: new Map(),
};

/**
 * True when `from` may speak for the device of `message`: the first channel to
 * define a device owns it, and traffic for it from any other channel is not
 * served (two drivers, or two links, with the same device name).
 *
 * @example
 * ```ts
 * isOwnerOf(state, driver, 'Telescope Simulator');
 * ```
 */
export function isOwnerOf(state: RoutingState, from: ChannelRef, device: string): boolean {
  const owner = state.owners.get(device);
  return owner === undefined || owner === from.id;
}

function withoutChannel(state: RoutingState, channel: ChannelRef): RoutingState {
  const owners = new Map([...state.owners].filter(([, owner]) => owner !== channel.id));
  const interests = new Map(state.interests);
  interests.delete(channel.id);
  const blobPolicies = new Map(state.blobPolicies);
  blobPolicies.delete(channel.id);
  return { owners, interests, blobPolicies };
}

function learn(state: RoutingState, from: ChannelRef, message: IndiMessage): RoutingState {
  return match(message)
    .with(
      { type: 'defTextVector' },
      { type: 'defNumberVector' },
      { type: 'defSwitchVector' },
      { type: 'defLightVector' },
      { type: 'defBLOBVector' },
      (def) =>
        definesDevices(from) && !state.owners.has(def.device)
          ? { ...state, owners: new Map(state.owners).set(def.device, from.id) }
          : state,
    )
    .with({ type: 'delProperty' }, (del) => {
      if (del.name !== undefined || state.owners.get(del.device) !== from.id) return state;
      const owners = new Map(state.owners);
      owners.delete(del.device);
      return { ...state, owners };
    })
    .with({ type: 'getProperties' }, (get) => {
      const interest = addInterest(state.interests.get(from.id) ?? noInterest, get.device, get.name);
      return { ...state, interests: new Map(state.interests).set(from.id, interest) };
    })
    .with({ type: 'enableBLOB' }, (enable) => {
      const policy = enableBlob(
        state.blobPolicies.get(from.id) ?? neverBlobs,
        enable.device,
        enable.name,
        enable.mode,
      );
      return { ...state, blobPolicies: new Map(state.blobPolicies).set(from.id, policy) };
    })
    .otherwise(() => state);
}

/**
 * The routing state after one event: ownership from `def*`/`delProperty`,
 * interests and snoops from `getProperties`, BLOB policies from `enableBLOB`;
 * a closing channel takes all of its entries with it. Messages that change
 * nothing (every `set*`) return the same object.
 *
 * @example
 * ```ts
 * traffic$.pipe(scan(nextRoutingState, emptyRoutingState));
 * ```
 */
export function nextRoutingState(state: RoutingState, event: TrafficEvent): RoutingState {
  return match(event)
    .with({ type: 'open' }, () => state)
    .with({ type: 'close' }, ({ channel }) => withoutChannel(state, channel))
    .with({ type: 'message' }, ({ from, message }) => learn(state, from, message))
    .exhaustive();
}
