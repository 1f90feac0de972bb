import type { GetProperties, IndiMessage } from '../protocol/messages.js';
import { isBlobMessage } from '../protocol/messages.js';
import { neverBlobs, passesBlobPolicy } from './blob-policy.js';
import { isInterested } from './interest.js';
import { isOwnerOf, speaksForDevices, type RoutingState } from './routing-state.js';
import type { ChannelRef, TrafficEvent } from './traffic.js';

/**
 * A routed event: the event, and the routing state just before it, which is
 * what {@link routeTo} decides with.
 *
 * @example
 * ```ts
 * const kstars: ChannelRef = { id: '127.0.0.1:5000', kind: 'client' };
 * const toKstars = ({ state, event }: Routed) => routeTo(state, event, kstars);
 * ```
 */
export interface Routed {
  readonly state: RoutingState;
  readonly event: TrafficEvent;
}

const driverGetProperties = new WeakMap<GetProperties, GetProperties>();

/**
 * The `getProperties` a driver is sent: always `version='1.7'`, since libindi
 * drivers exit on a missing or newer version, whatever the client sent; and
 * `device='*'` (a linked server asking for everything) as no device, which
 * is what drivers understand.
 *
 * @example
 * ```ts
 * forDriver({ type: 'getProperties', device: '*' }); // { type: 'getProperties', version: '1.7' }
 * ```
 */
export function forDriver(get: GetProperties): GetProperties {
  if (get.version === '1.7' && get.device !== '*') return get;
  let fixed = driverGetProperties.get(get);
  if (!fixed) {
    fixed = get.device === '*' ? { type: 'getProperties', version: '1.7' } : { ...get, version: '1.7' };
    driverGetProperties.set(get, fixed);
  }
  return fixed;
}

function nameOf(message: IndiMessage): string | undefined {
  return 'name' in message ? message.name : undefined;
}

/** A client that is a person's program, not a server linked to this one. */
function isPlainClient(state: RoutingState, target: ChannelRef): boolean {
  return target.kind === 'client' && !state.peers.has(target.id);
}

/**
 * Device traffic towards a channel: only what it asked for with
 * `getProperties` (a client's interest, a driver's snoops; as in indiserver, a
 * connection that asked for nothing gets no device traffic), then its BLOB
 * policy (INDI 1.7: BLOBs only where it enabled them).
 */
function wants(state: RoutingState, target: ChannelRef, device: string, message: IndiMessage): boolean {
  const name = nameOf(message);
  const interest = state.interests.get(target.id);
  if (!interest || !isInterested(interest, device, name)) return false;
  return passesBlobPolicy(
    state.blobPolicies.get(target.id) ?? neverBlobs,
    device,
    name,
    isBlobMessage(message),
  );
}

/**
 * Requests (`getProperties`, `new*`) go to the device's owner. A
 * `getProperties` for no device or an unknown one goes to the local drivers
 * only: devices behind links are answered from the server's cache, so that a
 * request never travels around a loop of servers.
 */
function toOwner(state: RoutingState, target: ChannelRef, device: string | undefined): boolean {
  if (!speaksForDevices(state, target)) return false;
  const owner = device === undefined || device === '*' ? undefined : state.owners.get(device);
  return owner === undefined ? target.kind === 'driver' : owner === target.id;
}

function deviceTraffic(
  state: RoutingState,
  from: ChannelRef,
  device: string,
  message: IndiMessage,
  target: ChannelRef,
): IndiMessage | undefined {
  if (!speaksForDevices(state, from) || !isOwnerOf(state, from, device)) return undefined;
  return wants(state, target, device, message) ? message : undefined;
}

/** What a channel is sent back for its own message: ping answers, and the handshake of a linking server. */
function answerToSender(message: IndiMessage, from: ChannelRef): IndiMessage | undefined {
  if (message.type === 'pingRequest') return { type: 'pingReply', uid: message.uid };
  if (message.type === 'getProperties' && message.device === '*' && from.kind === 'client') {
    return { type: 'getProperties', version: '1.7' };
  }
  return undefined;
}

/**
 * The routing rule of the server, as one pure function: what `target`
 * receives for one event, given what the server has learned so far.
 *
 * - a `pingRequest` is answered to its sender with a `pingReply` and goes nowhere else (libindi 2);
 * - `getProperties` goes to the device's owner, or to every local driver,
 *   always as `version='1.7'`; a driver's (a snoop) never reaches clients;
 * - a client's `new*` goes to the device's owner and is echoed to the other
 *   clients that watch that device, as indiserver does;
 * - `def*`, `set*`, `delProperty` and `message` from the channel that owns the
 *   device go to every client and linked server that asked for them and whose
 *   BLOB policy lets them through, and to the drivers that snoop them; the
 *   same device from a second channel reaches no one (the first definer owns it);
 * - nothing goes back to the channel it came from, except a `reply` event,
 *   which goes to its one channel and nowhere else.
 *
 * @example
 * ```ts
 * const kstars: ChannelRef = { id: '127.0.0.1:5000', kind: 'client' };
 * traffic$.pipe(routeTraffic(), map(({ state, event }) => routeTo(state, event, kstars)), filter(Boolean));
 * ```
 */
export function routeTo(
  state: RoutingState,
  event: TrafficEvent,
  target: ChannelRef,
): IndiMessage | undefined {
  if (event.type === 'reply') return event.to.id === target.id ? event.message : undefined;
  if (event.type !== 'message') return undefined;
  const { from, message } = event;
  if (from.id === target.id) return answerToSender(message, from);
  // A switch, not ts-pattern: this runs for every message and every channel.
  switch (message.type) {
    case 'getProperties':
      return toOwner(state, target, message.device) ? forDriver(message) : undefined;
    case 'newTextVector':
    case 'newNumberVector':
    case 'newSwitchVector':
    case 'newBLOBVector':
      if (from.kind === 'driver') return undefined;
      if (isPlainClient(state, target))
        return wants(state, target, message.device, message) ? message : undefined;
      return state.owners.get(message.device) === target.id ? message : undefined;
    case 'message':
      if (message.device !== undefined) return deviceTraffic(state, from, message.device, message, target);
      if (!speaksForDevices(state, from) || target.kind === 'driver') return undefined;
      // A note for everyone crosses at most one link: from a link, only to this server's own clients.
      return from.kind === 'driver' || isPlainClient(state, target) ? message : undefined;
    case 'defTextVector':
    case 'defNumberVector':
    case 'defSwitchVector':
    case 'defLightVector':
    case 'defBLOBVector':
    case 'setTextVector':
    case 'setNumberVector':
    case 'setSwitchVector':
    case 'setLightVector':
    case 'setBLOBVector':
    case 'delProperty':
      return deviceTraffic(state, from, message.device, message, target);
    case 'enableBLOB':
    case 'pingRequest':
    case 'pingReply':
      return undefined;
    default:
      return unreachable(message);
  }
}

function unreachable(message: never): never {
  throw new TypeError(`no routing rule for ${JSON.stringify(message)}`);
}
