/**
 * The driver's pure rules, as diagrams.
 *
 * - A client's `new*Vector` is checked against the vector's current
 *   definition (INDI 1.7: a driver acts only on what its property allows):
 *   `checkRequest` → `validateRequest`. Accepted requests go on to user
 *   code; refused ones are answered with the vector's current values, state
 *   Alert and the reason.
 * - The driver's state is a `scan` of what it sent (`nextDriverState`), and a
 *   `getProperties` is answered from it (`answerGetProperties`).
 * - Snoops coming and going become `getProperties` / `enableBLOB` to the
 *   server (`snoopRequests(before, after)`, INDI 1.7 snooping).
 *
 * Every timestamp is the fixture's `at`; no clock is read.
 */
import { filter, map, pairwise, scan, startWith, withLatestFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { answerGetProperties } from '../../src/driver/answer-get-properties.js';
import { checkRequest, type CheckedRequest } from '../../src/driver/check-request.js';
import { initialDriverState, nextDriverState } from '../../src/driver/driver-state.js';
import { snoopRequests, type Snoop } from '../../src/driver/snoop-requests.js';
import type { VectorRequest } from '../../src/driver/vector-request.js';
import type {
  DefVector,
  GetProperties,
  IndiMessage,
  NewNumberVector,
  NewSwitchVector,
  NewTextVector,
  NewVector,
} from '../../src/protocol/messages.js';
import { parseNumber } from '../../src/protocol/numbers.js';
import { at, mount } from '../../test/driver/fixtures/mount.js';

const initial = initialDriverState([mount]);

const newSwitch = (name: string, members: Record<string, 'On' | 'Off'>): NewSwitchVector => ({
  type: 'newSwitchVector',
  device: 'Mount',
  name,
  members: Object.entries(members).map(([member, value]) => ({ name: member, value })),
});
const newCoordinates = (members: Record<string, number>): NewNumberVector => ({
  type: 'newNumberVector',
  device: 'Mount',
  name: 'EQUATORIAL_EOD_COORD',
  members: Object.entries(members).map(([name, value]) => ({ name, value })),
});
const sexagesimal = (text: string): number => {
  const value = parseNumber(text);
  if (value === undefined) throw new Error(`not a number: ${text}`);
  return value;
};

/** The Alert a refused CONNECTION request is answered with: its current values, unchanged. */
const connectionAlert = (reason: string): CheckedRequest => ({
  ok: false,
  device: 'Mount',
  name: 'CONNECTION',
  reason,
  reply: {
    type: 'setSwitchVector',
    device: 'Mount',
    name: 'CONNECTION',
    state: 'Alert',
    timestamp: at,
    message: `CONNECTION request rejected: ${reason}`,
    members: [
      { name: 'CONNECT', value: 'Off' },
      { name: 'DISCONNECT', value: 'On' },
    ],
  },
});
/** The refusal of an EQUATORIAL_EOD_COORD request: an Alert carrying the values as they stay (DEC `dec`). */
const coordinatesAlert = (reason: string, dec = 90): CheckedRequest => ({
  ok: false,
  device: 'Mount',
  name: 'EQUATORIAL_EOD_COORD',
  reason,
  reply: {
    type: 'setNumberVector',
    device: 'Mount',
    name: 'EQUATORIAL_EOD_COORD',
    state: 'Alert',
    timestamp: at,
    message: `EQUATORIAL_EOD_COORD request rejected: ${reason}`,
    members: [
      { name: 'RA', value: 0 },
      { name: 'DEC', value: dec },
    ],
  },
});

describe('driver rules', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  it('accepts what the Mount allows and refuses the rest with an Alert and the reason', () => {
    const connect = newSwitch('CONNECTION', { CONNECT: 'On' });
    const readOnly: NewTextVector = {
      type: 'newTextVector',
      device: 'Mount',
      name: 'DRIVER_INFO',
      members: [{ name: 'DRIVER_NAME', value: 'x' }],
    };
    // INDI sends numbers as text; '12:30:00' and '-5:15' are how a client spells RA 12.5 h, DEC -5.25°.
    const goTo = newCoordinates({ RA: sexagesimal('12:30:00'), DEC: sexagesimal('-5:15') });
    const requests: Record<string, NewVector> = {
      c: connect,
      t: newSwitch('CONNECTION', { CONNECT: 'On', DISCONNECT: 'On' }),
      u: newSwitch('CONNECTION', { CONECT: 'On' }),
      r: readOnly,
      o: newCoordinates({ RA: 25 }),
      n: newCoordinates({ DEC: NaN }),
      s: goTo,
    };
    const accepted: Record<string, VectorRequest> = {
      c: { device: 'Mount', name: 'CONNECTION', kind: 'switch', values: { CONNECT: 'On' }, message: connect },
      s: {
        device: 'Mount',
        name: 'EQUATORIAL_EOD_COORD',
        kind: 'number',
        values: { RA: 12.5, DEC: -5.25 },
        message: goTo,
      },
    };
    const refused: Record<string, CheckedRequest> = {
      t: connectionAlert('OneOfMany needs exactly one switch On, the request leaves 2 On'),
      u: connectionAlert('no member CONECT'),
      r: {
        ok: false,
        device: 'Mount',
        name: 'DRIVER_INFO',
        reason: 'the vector is read-only',
        reply: {
          type: 'setTextVector',
          device: 'Mount',
          name: 'DRIVER_INFO',
          state: 'Alert',
          timestamp: at,
          message: 'DRIVER_INFO request rejected: the vector is read-only',
          members: [{ name: 'DRIVER_NAME', value: 'rxindi mount' }],
        },
      },
      o: coordinatesAlert('RA = 25 is outside the range 0 to 24'),
      n: coordinatesAlert('DEC is not a number (nan)'),
    };

    scheduler.run(({ hot, expectObservable }) => {
      // prettier-ignore
      const fromClient = '-c-t-u-r-o-n-s',
            toUserCode = '-c-----------s',
            answered   = '---t-u-r-o-n--';

      const checked$ = hot(fromClient, requests).pipe(map((request) => checkRequest(initial, request, at)));
      expectObservable(
        checked$.pipe(
          filter((check) => check.ok),
          map((check) => check.request),
        ),
      ).toBe(toUserCode, accepted);
      expectObservable(checked$.pipe(filter((check) => !check.ok))).toBe(answered, refused);
    });
  });

  it('checks requests against the range the driver last sent (libindi IUUpdateMinMax: min and max on oneNumber)', () => {
    const dec45 = newCoordinates({ DEC: 45 });
    const sent: Record<string, IndiMessage> = {
      n: {
        type: 'setNumberVector',
        device: 'Mount',
        name: 'EQUATORIAL_EOD_COORD',
        members: [{ name: 'DEC', min: -30, max: 30, value: 0 }],
      },
    };
    const outcomes: Record<string, CheckedRequest> = {
      a: {
        ok: true,
        request: {
          device: 'Mount',
          name: 'EQUATORIAL_EOD_COORD',
          kind: 'number',
          values: { DEC: 45 },
          message: dec45,
        },
      },
      r: coordinatesAlert('DEC = 45 is outside the range -30 to 30', 0),
    };

    scheduler.run(({ hot, expectObservable }) => {
      // prettier-ignore
      const driverSent = '---n---',
            fromClient = '-d---d-',
            checked    = '-a---r-';

      const state$ = hot(driverSent, sent).pipe(scan(nextDriverState, initial), startWith(initial));
      const checked$ = hot(fromClient, { d: dec45 }).pipe(
        withLatestFrom(state$),
        map(([request, state]) => checkRequest(state, request, at)),
      );
      expectObservable(checked$).toBe(checked, outcomes);
    });
  });

  it('answers getProperties with the values it last sent, and not with deleted vectors', () => {
    const connection = initial.get('Mount')?.get('CONNECTION')?.def;
    if (connection?.type !== 'defSwitchVector') throw new Error('the fixture has no CONNECTION switch');
    const sent: Record<string, IndiMessage> = {
      s: {
        type: 'setSwitchVector',
        device: 'Mount',
        name: 'CONNECTION',
        state: 'Ok',
        members: [
          { name: 'CONNECT', value: 'On' },
          { name: 'DISCONNECT', value: 'Off' },
        ],
      },
      d: { type: 'delProperty', device: 'Mount', name: 'CONNECTION' },
      r: connection,
    };
    const gets: Record<string, GetProperties> = {
      g: { type: 'getProperties', version: '1.7', device: 'Mount', name: 'CONNECTION' },
    };
    const defined = (state: 'Idle' | 'Ok', on: 'CONNECT' | 'DISCONNECT'): DefVector[] => [
      {
        type: 'defSwitchVector',
        device: 'Mount',
        name: 'CONNECTION',
        label: 'Connection',
        group: 'Main Control',
        state,
        perm: 'rw',
        timeout: 60,
        rule: 'OneOfMany',
        timestamp: at,
        members: [
          { name: 'CONNECT', label: 'Connect', value: on === 'CONNECT' ? 'On' : 'Off' },
          { name: 'DISCONNECT', label: 'Disconnect', value: on === 'DISCONNECT' ? 'On' : 'Off' },
        ],
      },
    ];
    const answers: Record<string, DefVector[]> = {
      i: defined('Idle', 'DISCONNECT'),
      c: defined('Ok', 'CONNECT'),
      n: [],
      r: defined('Idle', 'DISCONNECT'),
    };

    scheduler.run(({ hot, expectObservable }) => {
      // prettier-ignore
      const driverSent = '---s---d---r--',
            clientGets = '-g---g---g---g',
            answered   = '-i---c---n---r';

      const state$ = hot(driverSent, sent).pipe(scan(nextDriverState, initial), startWith(initial));
      const answers$ = hot(clientGets, gets).pipe(
        withLatestFrom(state$),
        map(([get, state]) => answerGetProperties(state, get, at)),
      );
      expectObservable(answers$).toBe(answered, answers);
    });
  });

  it('asks the server for each new snoop target (once: a snoop already asked for asks nothing), and switches BLOBs on and off as snoops want them', () => {
    const mountSnoop: Snoop = { device: 'Mount', blobs: false };
    const image: Snoop = { device: 'CCD', name: 'CCD1', blobs: true };
    const snoops: Record<string, readonly Snoop[]> = {
      m: [mountSnoop],
      a: [{ ...mountSnoop }],
      i: [mountSnoop, image],
      x: [mountSnoop],
      j: [mountSnoop, image],
      e: [],
    };
    const toServer: Record<string, IndiMessage[]> = {
      m: [{ type: 'getProperties', version: '1.7', device: 'Mount' }],
      i: [
        { type: 'getProperties', version: '1.7', device: 'CCD', name: 'CCD1' },
        { type: 'enableBLOB', device: 'CCD', name: 'CCD1', mode: 'Also' },
      ],
      x: [{ type: 'enableBLOB', device: 'CCD', name: 'CCD1', mode: 'Never' }],
      j: [
        { type: 'getProperties', version: '1.7', device: 'CCD', name: 'CCD1' },
        { type: 'enableBLOB', device: 'CCD', name: 'CCD1', mode: 'Also' },
      ],
      e: [{ type: 'enableBLOB', device: 'CCD', name: 'CCD1', mode: 'Never' }],
    };

    scheduler.run(({ hot, expectObservable }) => {
      // prettier-ignore
      const activeSnoops = '-m-a-i--x--j--e',
            sentToServer = '-m---i--x--j--e';

      const requests$ = hot(activeSnoops, snoops).pipe(
        startWith<readonly Snoop[]>([]),
        pairwise(),
        map(([before, after]) => snoopRequests(before, after)),
        filter((messages) => messages.length > 0),
      );
      expectObservable(requests$).toBe(sentToServer, toServer);
    });
  });
});
