import type { IndiMessage } from '../protocol/messages.js';
import { enableBlob, neverBlobs, type BlobPolicy } from './blob-policy.js';
import { addInterest, noInterest, type Interest } from './interest.js';
import type { ChannelRef, TrafficEvent } from './traffic.js';

/**
 * What the server has learned from the traffic so far. Every field is derived
 * from {@link TrafficEvent}s by {@link nextRoutingState}; nothing else writes it.
 *
 * @example
 * ```ts
 * const state$: Observable<RoutingState> = traffic$.pipe(scan(nextRoutingState, emptyRoutingState));
 * ```
 */
export interface RoutingState {
  /** device → id of the channel that defined it first. */
  readonly owners: ReadonlyMap<string, string>;
  /** channel id → what it asked for with `getProperties` (clients: interest; drivers: snoops). */
  readonly interests: ReadonlyMap<string, Interest>;
  /** channel id → its `enableBLOB` policy. */
  readonly blobPolicies: ReadonlyMap<string, BlobPolicy>;
  /** Client connections that announced themselves as servers (`getProperties device='*'`, as indiserver chains). */
  readonly peers: ReadonlySet<string>;
}

/**
 * The routing state of a server that has seen no traffic yet: no devices, no
 * interests, no BLOB policies, no peers.
 *
 * @example
 * ```ts
 * const routed$ = traffic$.pipe(routeTraffic(emptyRoutingState));
 * ```
 */
export const emptyRoutingState: RoutingState = {
  owners: new Map(),
  interests: new Map(),
  blobPolicies: new Map(),
  peers: new Set(),
};

/**
 * True when a channel's device traffic is served: drivers, links to other
 * servers, and servers that linked to this one (peers).
 *
 * @example
 * ```ts
 * const state$ = traffic$.pipe(scan(nextRoutingState, emptyRoutingState));
 * state$.pipe(map((state) => speaksForDevices(state, { id: '127.0.0.1:5000', kind: 'client' }))); // true once it sent getProperties device='*'
 * ```
 */
export function speaksForDevices(state: RoutingState, channel: ChannelRef): boolean {
  return channel.kind !== 'client' || state.peers.has(channel.id);
}

/**
 * True when `from` may speak for the device of `message`: the first channel to
 * define a device owns it, and traffic for it from any other channel is not
 * served (two drivers, or two links, with the same device name).
 *
 * @example
 * ```ts
 * const state$ = traffic$.pipe(scan(nextRoutingState, emptyRoutingState));
 * state$.pipe(map((state) => isOwnerOf(state, driver, 'Telescope Simulator')));
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
  const peers = new Set(state.peers);
  peers.delete(channel.id);
  return { owners, interests, blobPolicies, peers };
}

function learnDefinition(state: RoutingState, from: ChannelRef, device: string): RoutingState {
  return speaksForDevices(state, from) && !state.owners.has(device)
    ? { ...state, owners: new Map(state.owners).set(device, from.id) }
    : state;
}

// A switch, not ts-pattern: this runs once for every message through the server.
function learn(state: RoutingState, from: ChannelRef, message: IndiMessage): RoutingState {
  switch (message.type) {
    case 'defTextVector':
    case 'defNumberVector':
    case 'defSwitchVector':
    case 'defLightVector':
    case 'defBLOBVector':
      return learnDefinition(state, from, message.device);
    case 'delProperty': {
      if (message.name !== undefined || state.owners.get(message.device) !== from.id) return state;
      const owners = new Map(state.owners);
      owners.delete(message.device);
      return { ...state, owners };
    }
    case 'getProperties': {
      const interest = addInterest(state.interests.get(from.id) ?? noInterest, message.device, message.name);
      const peers =
        from.kind === 'client' && message.device === '*' ? new Set(state.peers).add(from.id) : state.peers;
      return { ...state, interests: new Map(state.interests).set(from.id, interest), peers };
    }
    case 'enableBLOB': {
      const policy = enableBlob(
        state.blobPolicies.get(from.id) ?? neverBlobs,
        message.device,
        message.name,
        message.mode,
      );
      return { ...state, blobPolicies: new Map(state.blobPolicies).set(from.id, policy) };
    }
    default:
      return state;
  }
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
  switch (event.type) {
    case 'close':
      return withoutChannel(state, event.channel);
    case 'message':
      return learn(state, event.from, event.message);
    case 'open':
    case 'reply':
      return state;
  }
}
