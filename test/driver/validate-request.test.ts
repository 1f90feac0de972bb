/**
 * Validation of client requests (INDI 1.7: a driver acts only on what its
 * property allows). Each refused request is answered with the vector's
 * current values, state Alert and a message naming the problem, is reported
 * as a `requestRejected` event, and never reaches user code.
 */
import { describe, expect, it } from 'vitest';
import { indiDriver } from '../../src/driver/indi-driver.js';
import type { VectorRequest } from '../../src/driver/vector-request.js';
import { encodeBlob } from '../../src/protocol/blob-data.js';
import type { IndiMessage, NewVector } from '../../src/protocol/messages.js';
import { harness } from './fixtures/harness.js';
import { at, clock, mount } from './fixtures/mount.js';

function setup() {
  const driver = indiDriver([mount], { clock });
  const seen: VectorRequest[] = [];
  driver.requests('Mount').subscribe((request) => seen.push(request));
  const h = harness(driver);
  h.take();
  return { driver, seen, ...h };
}

const connectionAlert = (message: string): IndiMessage => ({
  type: 'setSwitchVector',
  device: 'Mount',
  name: 'CONNECTION',
  state: 'Alert',
  timestamp: at,
  message,
  members: [
    { name: 'CONNECT', value: 'Off' },
    { name: 'DISCONNECT', value: 'On' },
  ],
});
const coordinatesAlert = (message: string): IndiMessage => ({
  type: 'setNumberVector',
  device: 'Mount',
  name: 'EQUATORIAL_EOD_COORD',
  state: 'Alert',
  timestamp: at,
  message,
  members: [
    { name: 'RA', value: 0 },
    { name: 'DEC', value: 90 },
  ],
});
const newSwitch = (name: string, members: Record<string, 'On' | 'Off'>): NewVector => ({
  type: 'newSwitchVector',
  device: 'Mount',
  name,
  members: Object.entries(members).map(([member, value]) => ({ name: member, value })),
});
const newNumber = (members: Record<string, number>): NewVector => ({
  type: 'newNumberVector',
  device: 'Mount',
  name: 'EQUATORIAL_EOD_COORD',
  members: Object.entries(members).map(([name, value]) => ({ name, value })),
});
const newBlob = (value: string, size: number, format = '.bin'): NewVector => ({
  type: 'newBLOBVector',
  device: 'Mount',
  name: 'UPLOAD',
  members: [{ name: 'FILE', size, format, value }],
});

describe('a refused request', () => {
  it.each<[string, NewVector, IndiMessage]>([
    [
      'an unknown member',
      newSwitch('CONNECTION', { CONECT: 'On' }),
      connectionAlert('CONNECTION request rejected: no member CONECT'),
    ],
    [
      'a member given twice',
      {
        type: 'newSwitchVector',
        device: 'Mount',
        name: 'CONNECTION',
        members: [
          { name: 'CONNECT', value: 'On' },
          { name: 'CONNECT', value: 'On' },
        ],
      },
      connectionAlert('CONNECTION request rejected: member CONNECT is given twice'),
    ],
    [
      'OneOfMany left with no switch On',
      newSwitch('CONNECTION', { DISCONNECT: 'Off' }),
      connectionAlert(
        'CONNECTION request rejected: OneOfMany needs exactly one switch On, the request leaves 0 On',
      ),
    ],
    [
      'OneOfMany with two switches On',
      newSwitch('CONNECTION', { CONNECT: 'On', DISCONNECT: 'On' }),
      connectionAlert(
        'CONNECTION request rejected: OneOfMany needs exactly one switch On, the request leaves 2 On',
      ),
    ],
    [
      'another kind of request',
      {
        type: 'newTextVector',
        device: 'Mount',
        name: 'CONNECTION',
        members: [{ name: 'CONNECT', value: 'On' }],
      },
      connectionAlert('CONNECTION request rejected: it is a switch vector, not a text vector'),
    ],
    [
      'a number above max',
      newNumber({ RA: 25 }),
      coordinatesAlert('EQUATORIAL_EOD_COORD request rejected: RA = 25 is outside the range 0 to 24'),
    ],
    [
      'a number below min',
      newNumber({ RA: 1, DEC: -90.5 }),
      coordinatesAlert('EQUATORIAL_EOD_COORD request rejected: DEC = -90.5 is outside the range -90 to 90'),
    ],
    [
      'a number that is NaN',
      newNumber({ DEC: NaN }),
      coordinatesAlert('EQUATORIAL_EOD_COORD request rejected: DEC is not a number (nan)'),
    ],
  ])('%s: Alert with the current values and a message', async (_, request, alert) => {
    const { take, receive, seen, events } = setup();
    await receive(request);
    expect(take()).toEqual([alert]);
    expect(seen).toEqual([]);
    expect(events).toEqual([
      {
        type: 'requestRejected',
        channel: 'driver Mount',
        device: 'Mount',
        name: request.name,
        reason: (alert as { message: string }).message.replace(/^\w+ request rejected: /, ''),
      },
    ]);
  });

  it('AtMostOne with two switches On', async () => {
    const { take, receive, seen } = setup();
    await receive(newSwitch('SLEW_RATE', { SLOW: 'On', FAST: 'On' }));
    expect(take()).toEqual([
      {
        type: 'setSwitchVector',
        device: 'Mount',
        name: 'SLEW_RATE',
        state: 'Alert',
        timestamp: at,
        message:
          'SLEW_RATE request rejected: AtMostOne allows at most one switch On, the request leaves 2 On',
        members: [
          { name: 'SLOW', value: 'On' },
          { name: 'FAST', value: 'Off' },
        ],
      },
    ]);
    expect(seen).toEqual([]);
  });

  it('a read-only vector', async () => {
    const { take, receive, seen } = setup();
    await receive({
      type: 'newTextVector',
      device: 'Mount',
      name: 'DRIVER_INFO',
      members: [{ name: 'DRIVER_NAME', value: 'x' }],
    });
    expect(take()).toEqual([
      {
        type: 'setTextVector',
        device: 'Mount',
        name: 'DRIVER_INFO',
        state: 'Alert',
        timestamp: at,
        message: 'DRIVER_INFO request rejected: the vector is read-only',
        members: [{ name: 'DRIVER_NAME', value: 'rxindi mount' }],
      },
    ]);
    expect(seen).toEqual([]);
  });

  it.each([
    ['not base64', newBlob('AQID!', 3), 'UPLOAD request rejected: FILE data is not base64'],
    ['cut short', newBlob('AQI', 3), 'UPLOAD request rejected: FILE data is not base64'],
    [
      'of another size than declared',
      newBlob(encodeBlob(new Uint8Array([1, 2, 3])), 4),
      'UPLOAD request rejected: FILE size 4 does not match its 3 bytes of data',
    ],
    [
      'ending in two padding characters, of another size than declared',
      newBlob(encodeBlob(new Uint8Array([1])), 2),
      'UPLOAD request rejected: FILE size 2 does not match its 1 bytes of data',
    ],
  ])('BLOB data %s', async (_, request, message) => {
    const { take, receive, seen } = setup();
    await receive(request);
    expect(take()).toEqual([
      {
        type: 'setBLOBVector',
        device: 'Mount',
        name: 'UPLOAD',
        state: 'Alert',
        timestamp: at,
        message,
        members: [],
      },
    ]);
    expect(seen).toEqual([]);
  });

  it('a vector the driver does not (or no longer) define: a message, since there is no vector to alert', async () => {
    const { driver, take, receive, seen, events } = setup();
    await receive(newSwitch('NOPE', { A: 'On' }));
    driver.delete('Mount', 'AUX');
    await receive(newSwitch('AUX', { FAN: 'On' }));
    expect(take()).toEqual([
      {
        type: 'message',
        device: 'Mount',
        timestamp: at,
        message: 'NOPE request rejected: Mount defines no such property',
      },
      { type: 'delProperty', device: 'Mount', name: 'AUX', timestamp: at },
      {
        type: 'message',
        device: 'Mount',
        timestamp: at,
        message: 'AUX request rejected: Mount defines no such property',
      },
    ]);
    expect(seen).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(['requestRejected', 'requestRejected']);
  });

  it('a device the driver does not have: only an event, nothing is sent for a device it does not own', async () => {
    const { take, receive, events } = setup();
    await receive({
      type: 'newSwitchVector',
      device: 'Dome',
      name: 'CONNECTION',
      members: [{ name: 'CONNECT', value: 'On' }],
    });
    expect(take()).toEqual([]);
    expect(events).toEqual([
      {
        type: 'requestRejected',
        channel: 'driver Mount',
        device: 'Dome',
        name: 'CONNECTION',
        reason: 'this driver has no device Dome',
      },
    ]);
  });
});

describe('a valid request', () => {
  it('arrives with typed values, and nothing is sent for it', async () => {
    const { take, receive, seen } = setup();
    const bytes = new Uint8Array([0, 1, 2, 250]);
    await receive(
      newSwitch('CONNECTION', { CONNECT: 'On' }),
      { ...newNumber({ RA: 12.5, DEC: -5.25 }), timestamp: '2025-06-01T11:59:59' },
      {
        type: 'newTextVector',
        device: 'Mount',
        name: 'SITE_NAME',
        members: [{ name: 'NAME', value: 'Backyard' }],
      },
      newBlob(encodeBlob(bytes), 4),
      newBlob(encodeBlob(bytes), 100, '.fits.z'),
    );
    expect(take()).toEqual([]);
    expect(seen.map((request) => ({ ...request, message: request.message.type }))).toEqual([
      {
        device: 'Mount',
        name: 'CONNECTION',
        kind: 'switch',
        values: { CONNECT: 'On' },
        message: 'newSwitchVector',
      },
      {
        device: 'Mount',
        name: 'EQUATORIAL_EOD_COORD',
        kind: 'number',
        values: { RA: 12.5, DEC: -5.25 },
        timestamp: '2025-06-01T11:59:59',
        message: 'newNumberVector',
      },
      {
        device: 'Mount',
        name: 'SITE_NAME',
        kind: 'text',
        values: { NAME: 'Backyard' },
        message: 'newTextVector',
      },
      {
        device: 'Mount',
        name: 'UPLOAD',
        kind: 'blob',
        values: { FILE: { bytes: Buffer.from(bytes), format: '.bin', size: 4 } },
        message: 'newBLOBVector',
      },
      {
        device: 'Mount',
        name: 'UPLOAD',
        kind: 'blob',
        values: { FILE: { bytes: Buffer.from(bytes), format: '.fits.z', size: 100 } },
        message: 'newBLOBVector',
      },
    ]);
  });

  it('for OneOfMany, turning one switch On turns the others Off (libindi IUUpdateSwitch); AnyOfMany takes anything', async () => {
    const { take, receive, seen } = setup();
    await receive(
      newSwitch('SLEW_RATE', { FAST: 'On' }),
      newSwitch('AUX', { HEATER: 'On', FAN: 'On' }),
      newSwitch('SLEW_RATE', { SLOW: 'Off' }),
    );
    expect(take()).toEqual([]);
    expect(seen.map((request) => request.values)).toEqual([
      { FAST: 'On' },
      { HEATER: 'On', FAN: 'On' },
      { SLOW: 'Off' },
    ]);
  });

  it('is checked against the current values, not the initial ones', async () => {
    const { driver, take, receive, seen } = setup();
    driver.set('Mount', 'CONNECTION', { CONNECT: 'On' }, { state: 'Ok' });
    await receive(newSwitch('CONNECTION', { CONNECT: 'Off' }));
    expect(take().at(-1)).toEqual({
      type: 'setSwitchVector',
      device: 'Mount',
      name: 'CONNECTION',
      state: 'Alert',
      timestamp: at,
      message: 'CONNECTION request rejected: OneOfMany needs exactly one switch On, the request leaves 0 On',
      members: [
        { name: 'CONNECT', value: 'On' },
        { name: 'DISCONNECT', value: 'Off' },
      ],
    });
    expect(seen).toEqual([]);
  });
});
