import { match, P } from 'ts-pattern';
import type { GetProperties, IndiMessage } from '../protocol/messages.js';
import { isBlobMessage } from '../protocol/messages.js';
import { neverBlobs, passesBlobPolicy } from './blob-policy.js';
import { isInterested } from './interest.js';
import { isOwnerOf, type RoutingState } from './routing-state.js';
import { definesDevices, type ChannelRef, type TrafficEvent } from './traffic.js';

/** A routed event: the event, and the routing state just before it. */
export interface Routed {
  readonly state: RoutingState;
  readonly event: TrafficEvent;
}

const driverGetProperties = new WeakMap<GetProperties, GetProperties>();

/**
 * The `getProperties` a driver is sent: always `version='1.7'`, since libindi
 * drivers exit on a missing or newer version, whatever the client sent.
 *
 * @example
 * ```ts
 * forDriver({ type: 'getProperties' }); // { type: 'getProperties', version: '1.7' }
 * ```
 */
export function forDriver(get: GetProperties): GetProperties {
  if (get.version === '1.7') return get;
  let fixed = driverGetProperties.get(get);
  if (!fixed) {
    fixed = { ...get, version: '1.7' };
    driverGetProperties.set(get, fixed);
  }
  return fixed;
}

function nameOf(message: IndiMessage): string | undefined {
  return 'name' in message ? message.name : undefined;
}

/** Device traffic (def, set, del, message) towards a client: its interest, then its BLOB policy. */
function toClient(state: RoutingState, target: ChannelRef, device: string, message: IndiMessage): boolean {
  const name = nameOf(message);
  const interest = state.interests.get(target.id);
  if (interest && !isInterested(interest, device, name)) return false;
  return passesBlobPolicy(
    state.blobPolicies.get(target.id) ?? neverBlobs,
    device,
    name,
    isBlobMessage(message),
  );
}

/** Device traffic towards a snooping driver: only what it snoops, BLOBs only if it enabled them. */
function toSnooper(state: RoutingState, target: ChannelRef, device: string, message: IndiMessage): boolean {
  const name = nameOf(message);
  const snoops = state.interests.get(target.id);
  if (!snoops || !isInterested(snoops, device, name)) return false;
  return passesBlobPolicy(
    state.blobPolicies.get(target.id) ?? neverBlobs,
    device,
    name,
    isBlobMessage(message),
  );
}

/** Requests go to the device's owner, or to every driver while no one owns it. */
function toOwner(state: RoutingState, target: ChannelRef, device: string | undefined): boolean {
  if (!definesDevices(target)) return false;
  if (device === undefined || device === '*') return true;
  const owner = state.owners.get(device);
  return owner === undefined || owner === target.id;
}

/** What a driver or link sends, routed to `target`. */
function fromDriver(
  state: RoutingState,
  from: ChannelRef,
  message: IndiMessage,
  target: ChannelRef,
): IndiMessage | undefined {
  return match(message)
    .with({ type: 'message' }, (note) => {
      if (note.device === undefined) return target.kind === 'client' ? note : undefined;
      return deviceTraffic(state, from, note.device, note, target);
    })
    .with(
      {
        type: P.union(
          'defTextVector',
          'defNumberVector',
          'defSwitchVector',
          'defLightVector',
          'defBLOBVector',
        ),
      },
      {
        type: P.union(
          'setTextVector',
          'setNumberVector',
          'setSwitchVector',
          'setLightVector',
          'setBLOBVector',
        ),
      },
      { type: 'delProperty' },
      (traffic) => deviceTraffic(state, from, traffic.device, traffic, target),
    )
    .with({ type: 'getProperties' }, (get) =>
      target.kind !== 'client' && toOwner(state, target, get.device) ? forDriver(get) : undefined,
    )
    .otherwise(() => undefined);
}

function deviceTraffic(
  state: RoutingState,
  from: ChannelRef,
  device: string,
  message: IndiMessage,
  target: ChannelRef,
): IndiMessage | undefined {
  if (!isOwnerOf(state, from, device)) return undefined;
  const wanted =
    target.kind === 'client'
      ? toClient(state, target, device, message)
      : toSnooper(state, target, device, message);
  return wanted ? message : undefined;
}

/** What a client sends, routed to `target`. */
function fromClient(state: RoutingState, message: IndiMessage, target: ChannelRef): IndiMessage | undefined {
  return match(message)
    .with({ type: 'getProperties' }, (get) =>
      toOwner(state, target, get.device) ? forDriver(get) : undefined,
    )
    .with(
      { type: P.union('newTextVector', 'newNumberVector', 'newSwitchVector', 'newBLOBVector') },
      (request) => {
        if (target.kind === 'client')
          return toClient(state, target, request.device, request) ? request : undefined;
        return state.owners.get(request.device) === target.id ? request : undefined;
      },
    )
    .otherwise(() => undefined);
}

/**
 * The routing rule of the server, as one pure function: what `target`
 * receives for one event, given what the server has learned so far.
 *
 * - a `pingRequest` is answered to its sender with a `pingReply` and goes nowhere else (libindi 2);
 * - a client's `getProperties` goes to the device's owner, or to every driver
 *   (always as `version='1.7'`); its `new*` go to the owner and are echoed to
 *   the other clients, as indiserver does;
 * - a driver's `def*`, `set*`, `delProperty` and `message` go to every client
 *   that asked for them and whose BLOB policy lets them through, and to the
 *   drivers that snoop them (BLOBs only when they enabled them); its snoop
 *   `getProperties` goes to the snooped device's owner, never to clients.
 *
 * @example
 * ```ts
 * routed$.pipe(map(({ state, event }) => routeTo(state, event, client)), filter(Boolean));
 * ```
 */
export function routeTo(
  state: RoutingState,
  event: TrafficEvent,
  target: ChannelRef,
): IndiMessage | undefined {
  if (event.type !== 'message') return undefined;
  const { from, message } = event;
  if (from.id === target.id) {
    return message.type === 'pingRequest' ? { type: 'pingReply', uid: message.uid } : undefined;
  }
  return definesDevices(from) ? fromDriver(state, from, message, target) : fromClient(state, message, target);
}
