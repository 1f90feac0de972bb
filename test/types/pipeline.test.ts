/**
 * Type tests of the public routing API (issue 9): a custom pipeline built
 * from the exports type-checks end to end, and misuse the types can see is a
 * compile error. `tsc -p tsconfig.json` checks this file, so every
 * `@ts-expect-error` must sit on a line that really fails to compile.
 *
 * Not every misuse is visible to the types: a channel's sink takes any
 * `IndiMessage`, so sending a client's `newNumberVector` to a driver's sink
 * compiles (routing decides who gets what, at run time). What the types do
 * say is that a driver's output (`DriverMessage`) cannot be a client request.
 */
import {
  concat,
  filter,
  map,
  of,
  share,
  toArray,
  type MonoTypeOperatorFunction,
  type Observable,
} from 'rxjs';
import { firstValueFrom } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  deliverTo,
  isDefVector,
  isNewVector,
  isReply,
  isSetVector,
  reply,
  routeTraffic,
  serve,
  tagTraffic,
  type ChannelRef,
  type DefNumberVector,
  type DefVector,
  type DriverMessage,
  type IndiMessage,
  type IndiMessageOf,
  type IndiMessageType,
  type Reply,
  type RoutedStep,
  type RoutingState,
  type ServeOptions,
  type ServerEvent,
  type SetNumberVector,
  type SetVector,
  type TrafficEvent,
} from '../../src/index.js';
import { defNumber, getProperties, newNumber, setNumber } from '../../marbles/routing/helpers.js';

const DEVICE = 'Thermostat';
const ccd: ChannelRef = { id: 'indi_simulator_ccd', kind: 'driver' };
const kstars: ChannelRef = { id: 'KStars', kind: 'client' };

/** An `incoming` operator: a client's new*Vector is refused, to that client alone. */
const readOnly = (channel: ChannelRef) =>
  map((message: IndiMessage): IndiMessage | Reply =>
    channel.kind === 'client' && isNewVector(message)
      ? reply({ type: 'message', device: message.device, message: `${message.name} is read-only here` })
      : message,
  );

describe('a custom pipeline', () => {
  it('type-checks from channels to sinks: tagTraffic → routeTraffic → deliverTo', async () => {
    const driverTraffic$ = of<IndiMessage[]>(
      defNumber(DEVICE, 'TARGET', 15),
      setNumber(DEVICE, 'TARGET', 20),
    ).pipe(readOnly(ccd), tagTraffic(ccd));
    const clientTraffic$ = of<IndiMessage[]>(getProperties(), newNumber(DEVICE, 'TARGET', 30)).pipe(
      readOnly(kstars),
      tagTraffic(kstars),
    );
    expectTypeOf(driverTraffic$).toEqualTypeOf<Observable<TrafficEvent>>();

    const opened$ = of<TrafficEvent[]>({ type: 'open', channel: ccd }, { type: 'open', channel: kstars });
    const routed$ = concat(opened$, clientTraffic$, driverTraffic$).pipe(routeTraffic(), share());
    expectTypeOf(routed$).toEqualTypeOf<Observable<RoutedStep>>();

    const toKStars$ = routed$.pipe(deliverTo(kstars), toArray());
    const toDriver$ = routed$.pipe(deliverTo(ccd), toArray());
    expectTypeOf(toKStars$).toEqualTypeOf<Observable<IndiMessage[]>>();

    const [toKStars, toDriver] = await Promise.all([
      firstValueFrom(toKStars$),
      firstValueFrom(toDriver$),
      firstValueFrom(routed$.pipe(toArray())),
    ]);
    // The request never reached the driver: KStars got the refusal instead.
    expect(toKStars).toEqual([
      { type: 'message', device: DEVICE, message: 'TARGET is read-only here' },
      defNumber(DEVICE, 'TARGET', 15),
      setNumber(DEVICE, 'TARGET', 20),
    ]);
    expect(toDriver).toEqual([{ type: 'getProperties', version: '1.7' }]);
  });

  it('gives every routed step the state before and after its event', () => {
    expectTypeOf<RoutedStep['state']>().toEqualTypeOf<RoutingState>();
    expectTypeOf<RoutedStep['next']>().toEqualTypeOf<RoutingState>();
    expectTypeOf<RoutedStep['event']>().toEqualTypeOf<TrafficEvent>();
  });

  it('takes user operators at serve()’s three insertion points', () => {
    const quietClients: ServeOptions['outgoing'] = (channel) =>
      filter((message) => channel.kind !== 'client' || message.type !== 'message');
    const logDefinitions: MonoTypeOperatorFunction<RoutedStep> = map((step) => step);
    const options: ServeOptions = {
      listen: false,
      incoming: readOnly,
      routed: logDefinitions,
      outgoing: quietClients,
    };
    // serve() is cold: nothing starts until it is subscribed.
    expectTypeOf(serve(options)).toEqualTypeOf<Observable<ServerEvent>>();
    expectTypeOf<ServeOptions['incoming']>().toEqualTypeOf<
      | ((channel: ChannelRef) => (source: Observable<IndiMessage>) => Observable<IndiMessage | Reply>)
      | undefined
    >();
  });

  it('refuses operators that do not speak INDI', () => {
    // @ts-expect-error: an incoming operator emits messages or replies, not strings.
    const emitsText: ServeOptions = { incoming: () => map((message: IndiMessage) => message.type) };
    // @ts-expect-error: a routed operator cannot change what flows to the sinks.
    const dropsState: ServeOptions = { routed: map((step: RoutedStep) => step.event) };
    // @ts-expect-error: an outgoing operator cannot send replies: only the incoming side answers a sender.
    const repliesOut: ServeOptions = { outgoing: () => map((message: IndiMessage) => reply(message)) };
    expect([emitsText, dropsState, repliesOut]).toHaveLength(3);
  });
});

describe('replies', () => {
  it('wrap an INDI message, and tagTraffic sends them back to the sender', async () => {
    const refusal = reply({ type: 'message', device: DEVICE, message: 'read-only' });
    expectTypeOf(refusal).toEqualTypeOf<Reply>();
    const events = await firstValueFrom(
      of<(IndiMessage | Reply)[]>(refusal).pipe(tagTraffic(kstars), toArray()),
    );
    expect(events).toEqual([{ type: 'reply', to: kstars, message: refusal.message }]);
  });

  it('are told apart from messages by isReply', () => {
    const kindOf = (item: IndiMessage | Reply): string => {
      if (isReply(item)) {
        expectTypeOf(item).toEqualTypeOf<Reply>();
        return `reply ${item.message.type}`;
      }
      expectTypeOf(item).toEqualTypeOf<IndiMessage>();
      return item.type;
    };
    expect(kindOf(reply({ type: 'pingReply', uid: '7' }))).toBe('reply pingReply');
    expect(kindOf({ type: 'pingReply', uid: '7' })).toBe('pingReply');
  });

  it('cannot wrap what is not an INDI message', () => {
    // @ts-expect-error: a reply carries an INDI message, not text.
    expect(reply('read-only')).toEqual({ type: 'reply', message: 'read-only' });
    // @ts-expect-error: a reply of a reply is not an INDI message.
    expect(isReply(reply(reply({ type: 'pingReply', uid: '1' })).message)).toBe(true);
  });
});

describe('traffic events', () => {
  it('narrow on type to what each kind carries', () => {
    const describeEvent = (event: TrafficEvent): string => {
      switch (event.type) {
        case 'open':
        case 'close':
          expectTypeOf(event.channel).toEqualTypeOf<ChannelRef>();
          return `${event.type} ${event.channel.id}`;
        case 'message':
          expectTypeOf(event.from).toEqualTypeOf<ChannelRef>();
          return `${event.message.type} from ${event.from.id}`;
        case 'reply':
          expectTypeOf(event.to).toEqualTypeOf<ChannelRef>();
          return `${event.message.type} to ${event.to.id}`;
      }
    };
    expect(describeEvent({ type: 'message', from: kstars, message: getProperties() })).toBe(
      'getProperties from KStars',
    );
  });

  it('refuse a wrong shape', () => {
    // @ts-expect-error: a message event says where it came from.
    const anonymous: TrafficEvent = { type: 'message', message: getProperties() };
    // @ts-expect-error: channels are clients, drivers or remotes.
    const server: ChannelRef = { id: 'indiserver', kind: 'server' };
    expect([anonymous, server]).toHaveLength(2);
  });
});

describe('INDI messages', () => {
  it('are keyed by the XML element name', () => {
    expectTypeOf<IndiMessageOf<'setNumberVector'>>().toEqualTypeOf<SetNumberVector>();
    expectTypeOf<IndiMessageOf<'defNumberVector'>>().toEqualTypeOf<DefNumberVector>();
    expectTypeOf<'enableBLOB'>().toExtend<IndiMessageType>();
    // @ts-expect-error: lights are read-only, INDI has no newLightVector.
    expectTypeOf<IndiMessageOf<'newLightVector'>>().toBeNever();
  });

  it('narrow with isDefVector, isSetVector and isNewVector', () => {
    const nameOf = (message: IndiMessage): string | undefined => {
      if (isDefVector(message)) {
        expectTypeOf(message).toEqualTypeOf<DefVector>();
        return `${message.device}.${message.name}`;
      }
      expectTypeOf(message).toEqualTypeOf<Exclude<IndiMessage, DefVector>>();
      return undefined;
    };
    expect(nameOf(defNumber(DEVICE, 'TARGET', 15))).toBe('Thermostat.TARGET');
    expect(nameOf(setNumber(DEVICE, 'TARGET', 15))).toBeUndefined();

    const messages: IndiMessage[] = [defNumber(DEVICE, 'TARGET', 15), setNumber(DEVICE, 'TARGET', 16)];
    const updates$ = of(...messages).pipe(filter(isSetVector));
    expectTypeOf(updates$).toEqualTypeOf<Observable<SetVector>>();
  });

  it('refuse a wrong element name, attribute or value', () => {
    // @ts-expect-error: no such element.
    const typo: IndiMessage = { type: 'setNumberVectr', device: DEVICE, name: 'TARGET', members: [] };
    // @ts-expect-error: a definition needs perm.
    const noPerm: DefNumberVector = {
      type: 'defNumberVector',
      device: DEVICE,
      name: 'TARGET',
      state: 'Idle',
      members: [],
    };
    const noStep: DefNumberVector = {
      ...defNumber(DEVICE, 'TARGET'),
      // @ts-expect-error: every defNumber has its step.
      members: [{ name: 'CELSIUS', format: '%.1f', min: -20, max: 40, value: 15 }],
    };
    const lowerCase: IndiMessageOf<'newSwitchVector'> = {
      type: 'newSwitchVector',
      device: DEVICE,
      name: 'ENABLE',
      // @ts-expect-error: switches are 'On' or 'Off'.
      members: [{ name: 'ENABLE', value: 'on' }],
    };
    // @ts-expect-error: BLOB modes are Never, Also and Only.
    const always: IndiMessage = { type: 'enableBLOB', device: 'CCD Simulator', mode: 'Always' };
    const textTarget: SetNumberVector = {
      ...setNumber(DEVICE, 'TARGET', 0),
      // @ts-expect-error: a number vector carries numbers.
      members: [{ name: 'CELSIUS', value: '20' }],
    };
    expect([typo, noPerm, noStep, lowerCase, always, textTarget]).toHaveLength(6);
  });

  it('keep client requests out of what a driver sends', () => {
    const update: DriverMessage = setNumber(DEVICE, 'TARGET', 20);
    // @ts-expect-error: a newNumberVector is a client's request, not driver output.
    const request: DriverMessage = newNumber(DEVICE, 'TARGET', 20);
    // @ts-expect-error: nor is enableBLOB.
    const blobs: DriverMessage = { type: 'enableBLOB', device: DEVICE, mode: 'Also' };
    expect([update, request, blobs]).toHaveLength(3);
  });
});
