/**
 * Small builders for the routing marble tests: channels, traffic events and
 * the INDI messages that matter to routing, with just enough content to tell
 * them apart. Everything is a plain value; nothing here routes anything.
 *
 * Reading a diagram: the events map and the deliveries map use the same
 * letter for a message and for that message delivered unchanged, so
 *
 * ```ts
 * const routed$ = hot('-d-n', { d: msg(scope, def), n: msg(kstars, request) }).pipe(routeTraffic(), share());
 * expectObservable(routed$.pipe(deliverTo(scope))).toBe('---n', { n: request });
 * ```
 *
 * reads "the driver is sent the request, and not its own definition".
 */
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';
import type {
  BlobMode,
  DefBlobVector,
  DefNumberVector,
  DefSwitchVector,
  DelProperty,
  EnableBlob,
  GetProperties,
  IndiMessage,
  Message,
  NewNumberVector,
  NewSwitchVector,
  PingReply,
  PingRequest,
  SetBlobVector,
  SetNumberVector,
} from '../../src/protocol/messages.js';
import type { ChannelRef, TrafficEvent } from '../../src/routing/traffic.js';

/** A TestScheduler that compares frames with `toEqual`. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

// --- channels --------------------------------------------------------------

/** A driver channel (in-process or a driver program). */
export const driver = (id: string): ChannelRef => ({ id, kind: 'driver' });
/** A client connection (KStars, PHD2, indi_getprop …). */
export const client = (id: string): ChannelRef => ({ id, kind: 'client' });
/** A link to another INDI server. */
export const remote = (id: string): ChannelRef => ({ id, kind: 'remote' });

// --- traffic events --------------------------------------------------------

/** The channel connected. */
export const open = (channel: ChannelRef): TrafficEvent => ({ type: 'open', channel });
/** The channel sent a message. */
export const msg = (from: ChannelRef, message: IndiMessage): TrafficEvent => ({
  type: 'message',
  from,
  message,
});
/** The channel went away. */
export const close = (channel: ChannelRef): TrafficEvent => ({ type: 'close', channel });

/**
 * The message of every `message` event in an events map, under the same
 * letter: the deliveries map of a diagram where messages pass unchanged.
 */
export function sent(events: Readonly<Record<string, TrafficEvent>>): Record<string, IndiMessage> {
  const messages: Record<string, IndiMessage> = {};
  for (const [letter, event] of Object.entries(events))
    if (event.type === 'message') messages[letter] = event.message;
  return messages;
}

// --- driver messages -------------------------------------------------------

/** A one-member number vector definition (`VALUE`, 0…100). */
export const defNumber = (device: string, name: string, value = 0): DefNumberVector => ({
  type: 'defNumberVector',
  device,
  name,
  state: 'Idle',
  perm: 'rw',
  members: [{ name: 'VALUE', format: '%g', min: 0, max: 100, step: 1, value }],
});

/** A `CONNECT`/`DISCONNECT` switch vector definition. */
export const defSwitch = (device: string, name: string): DefSwitchVector => ({
  type: 'defSwitchVector',
  device,
  name,
  state: 'Idle',
  perm: 'rw',
  rule: 'OneOfMany',
  members: [
    { name: 'CONNECT', value: 'Off' },
    { name: 'DISCONNECT', value: 'On' },
  ],
});

/** A BLOB vector definition with one member named like the vector (as CCD1 in libindi's CCDs). */
export const defBlob = (device: string, name: string): DefBlobVector => ({
  type: 'defBLOBVector',
  device,
  name,
  state: 'Idle',
  perm: 'ro',
  members: [{ name }],
});

/** A new value for a number vector defined by {@link defNumber}. */
export const setNumber = (device: string, name: string, value: number): SetNumberVector => ({
  type: 'setNumberVector',
  device,
  name,
  state: 'Ok',
  members: [{ name: 'VALUE', value }],
});

/** An image: three bytes of FITS, base64 `data`. */
export const setBlob = (device: string, name: string, data = 'AAAA'): SetBlobVector => ({
  type: 'setBLOBVector',
  device,
  name,
  state: 'Ok',
  members: [{ name, size: 3, format: '.fits', value: data }],
});

/** `delProperty`: one vector, or without a name the whole device. */
export function delProperty(device: string, name?: string): DelProperty {
  return name === undefined ? { type: 'delProperty', device } : { type: 'delProperty', device, name };
}

/** `message`: a log line for one device, or (device `undefined`) for everyone. */
export function message(device: string | undefined, text: string): Message {
  return device === undefined
    ? { type: 'message', message: text }
    : { type: 'message', device, message: text };
}

// --- client (and snooping driver) messages ---------------------------------

/** `getProperties version='1.7'`, for every device, one device, or one vector. */
export function getProperties(device?: string, name?: string): GetProperties {
  return {
    type: 'getProperties',
    version: '1.7',
    ...(device === undefined ? {} : { device }),
    ...(name === undefined ? {} : { name }),
  };
}

/** `enableBLOB`: a BLOB mode for a device, or for one of its vectors. */
export function enableBlob(device: string, mode: BlobMode, name?: string): EnableBlob {
  return name === undefined
    ? { type: 'enableBLOB', device, mode }
    : { type: 'enableBLOB', device, name, mode };
}

/** A request to change a number vector defined by {@link defNumber}. */
export const newNumber = (device: string, name: string, value: number): NewNumberVector => ({
  type: 'newNumberVector',
  device,
  name,
  members: [{ name: 'VALUE', value }],
});

/** A request to turn one switch on (`CONNECT` by default). */
export const newSwitch = (device: string, name: string, on = 'CONNECT'): NewSwitchVector => ({
  type: 'newSwitchVector',
  device,
  name,
  members: [{ name: on, value: 'On' }],
});

// --- libindi 2 ping ----------------------------------------------------------

/** `pingRequest`: the sender waits for the matching reply. */
export const ping = (uid: string): PingRequest => ({ type: 'pingRequest', uid });
/** `pingReply`: the answer to the `pingRequest` with the same uid. */
export const pingReply = (uid: string): PingReply => ({ type: 'pingReply', uid });
