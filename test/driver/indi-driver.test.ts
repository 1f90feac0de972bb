/**
 * The in-process driver as a channel: what it sends (definitions on start and
 * on every getProperties, updates, deletions, messages, all timestamped),
 * how its handlers run, and how it closes.
 */
import { lastValueFrom, mergeMap, throwError, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { DeviceDefinition } from '../../src/driver/define-device.js';
import { indiDriver } from '../../src/driver/indi-driver.js';
import { UnknownPropertyError } from '../../src/driver/unknown-property-error.js';
import type { DefVector, IndiMessage } from '../../src/protocol/messages.js';
import { harness } from './fixtures/harness.js';
import { at, clock, focuser, mount } from './fixtures/mount.js';

const names = (messages: readonly IndiMessage[]): string[] =>
  messages.map(
    (message) => `${message.type} ${(message as DefVector).device}.${(message as DefVector).name}`,
  );

const mountDefs = [
  'CONNECTION',
  'EQUATORIAL_EOD_COORD',
  'DRIVER_INFO',
  'SITE_NAME',
  'SLEW_RATE',
  'AUX',
  'STATUS',
  'UPLOAD',
];
const connect = {
  type: 'newSwitchVector',
  device: 'Mount',
  name: 'CONNECTION',
  members: [{ name: 'CONNECT', value: 'On' }],
} as const;

describe('definitions', () => {
  it('are all sent when the channel starts, timestamped, as indiserver asks a new driver for them', () => {
    const { take } = harness(indiDriver([mount, focuser], { clock }));
    const sent = take() as DefVector[];
    expect(sent.map((def) => `${def.device}.${def.name}`)).toEqual([
      ...mountDefs.map((name) => `Mount.${name}`),
      'Focuser.ABS_FOCUS_POSITION',
    ]);
    expect(sent.every((def) => def.timestamp === at)).toBe(true);
  });

  it.each([
    [{}, [...mountDefs.map((name) => `Mount.${name}`), 'Focuser.ABS_FOCUS_POSITION']],
    [{ device: '*' }, [...mountDefs.map((name) => `Mount.${name}`), 'Focuser.ABS_FOCUS_POSITION']],
    [{ device: 'Focuser' }, ['Focuser.ABS_FOCUS_POSITION']],
    [{ device: 'Mount', name: 'SITE_NAME' }, ['Mount.SITE_NAME']],
    [{ device: 'Dome' }, []],
    [{ device: 'Mount', name: 'NOPE' }, []],
  ])('answer getProperties %j', async (ask, expected) => {
    const { take, receive } = harness(indiDriver([mount, focuser], { clock }));
    take();
    await receive({ type: 'getProperties', version: '1.7', ...ask });
    expect((take() as DefVector[]).map((def) => `${def.device}.${def.name}`)).toEqual(expected);
  });

  it('carry the current values and state, without the last message', async () => {
    const driver = indiDriver([mount], { clock });
    const { take, receive } = harness(driver);
    driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: 6 }, { state: 'Busy', message: 'Slewing' });
    take();
    await receive({ type: 'getProperties', version: '1.7', device: 'Mount', name: 'EQUATORIAL_EOD_COORD' });
    expect(take()).toEqual([
      {
        type: 'defNumberVector',
        device: 'Mount',
        name: 'EQUATORIAL_EOD_COORD',
        label: 'Eq. Coordinates',
        group: 'Main Control',
        state: 'Busy',
        perm: 'rw',
        timestamp: at,
        members: [
          { name: 'RA', label: 'RA (hh:mm:ss)', format: '%010.6m', min: 0, max: 24, step: 0, value: 6 },
          { name: 'DEC', label: 'DEC (dd:mm:ss)', format: '%010.6m', min: -90, max: 90, step: 0, value: 90 },
        ],
      },
    ]);
  });

  it('of deleted vectors are not sent until defined again', async () => {
    const driver = indiDriver([mount], { clock });
    const { take, receive } = harness(driver);
    take();
    driver.delete('Mount', 'SITE_NAME', 'gone for now');
    expect(take()).toEqual([
      { type: 'delProperty', device: 'Mount', name: 'SITE_NAME', timestamp: at, message: 'gone for now' },
    ]);
    await receive({ type: 'getProperties', version: '1.7', device: 'Mount' });
    expect(names(take()).includes('defTextVector Mount.SITE_NAME')).toBe(false);
    driver.define('Mount', 'SITE_NAME');
    expect(names(take())).toEqual(['defTextVector Mount.SITE_NAME']);
    driver.delete('Mount');
    await receive({ type: 'getProperties', version: '1.7' });
    expect(take()).toEqual([{ type: 'delProperty', device: 'Mount', timestamp: at }]);
    driver.define('Mount');
    expect(names(take())).toHaveLength(mountDefs.length);
  });
});

describe('sending', () => {
  it('set sends the given members with state, message and timeout, timestamped', () => {
    const driver = indiDriver([mount], { clock });
    const { take } = harness(driver);
    take();
    driver.set(
      'Mount',
      'EQUATORIAL_EOD_COORD',
      { RA: 5.5 },
      { state: 'Busy', message: 'Slewing', timeout: 30 },
    );
    expect(take()).toEqual([
      {
        type: 'setNumberVector',
        device: 'Mount',
        name: 'EQUATORIAL_EOD_COORD',
        state: 'Busy',
        timeout: 30,
        timestamp: at,
        message: 'Slewing',
        members: [{ name: 'RA', value: 5.5 }],
      },
    ]);
  });

  it("members: 'all' sends every member, 'changed' only those that change", () => {
    const driver = indiDriver([mount], { clock });
    const { take } = harness(driver);
    take();
    driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: 1 }, { members: 'all' });
    driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: 1, DEC: 45 }, { members: 'changed' });
    driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: 1, DEC: 45 }, { members: 'changed', state: 'Ok' });
    expect(take().map((message) => (message as { members: unknown }).members)).toEqual([
      [
        { name: 'RA', value: 1 },
        { name: 'DEC', value: 90 },
      ],
      [{ name: 'DEC', value: 45 }],
      [],
    ]);
  });

  it('turning a OneOfMany switch On sends the others Off too, as libindi sends whole switch vectors', () => {
    const driver = indiDriver([mount], { clock });
    const { take } = harness(driver);
    take();
    driver.set('Mount', 'CONNECTION', { CONNECT: 'On' }, { state: 'Ok' });
    driver.set('Mount', 'AUX', { FAN: 'On' });
    expect(take()).toEqual([
      {
        type: 'setSwitchVector',
        device: 'Mount',
        name: 'CONNECTION',
        state: 'Ok',
        timestamp: at,
        members: [
          { name: 'CONNECT', value: 'On' },
          { name: 'DISCONNECT', value: 'Off' },
        ],
      },
      {
        type: 'setSwitchVector',
        device: 'Mount',
        name: 'AUX',
        timestamp: at,
        members: [{ name: 'FAN', value: 'On' }],
      },
    ]);
  });

  it('sends lights without timeout, BLOBs as base64 with the member format, and messages', () => {
    const driver = indiDriver([mount], { clock });
    const { take } = harness(driver);
    take();
    driver.set('Mount', 'STATUS', { MOTOR: 'Alert' }, { timeout: 5 });
    driver.set('Mount', 'UPLOAD', { FILE: { bytes: new Uint8Array([1, 2, 3]) } }, { state: 'Ok' });
    driver.set('Mount', 'UPLOAD', { FILE: { bytes: new Uint8Array([1]), format: '.fits.z', size: 2880 } });
    driver.message('Mount', 'Tracking started');
    expect(take()).toEqual([
      {
        type: 'setLightVector',
        device: 'Mount',
        name: 'STATUS',
        timestamp: at,
        members: [{ name: 'MOTOR', value: 'Alert' }],
      },
      {
        type: 'setBLOBVector',
        device: 'Mount',
        name: 'UPLOAD',
        state: 'Ok',
        timestamp: at,
        members: [{ name: 'FILE', size: 3, format: '.bin', value: 'AQID' }],
      },
      {
        type: 'setBLOBVector',
        device: 'Mount',
        name: 'UPLOAD',
        timestamp: at,
        members: [{ name: 'FILE', size: 2880, format: '.fits.z', value: 'AQ==' }],
      },
      { type: 'message', device: 'Mount', timestamp: at, message: 'Tracking started' },
    ]);
  });

  it('updates of a deleted vector are kept for its next definition, not sent', () => {
    const driver = indiDriver([mount], { clock });
    const { take } = harness(driver);
    driver.delete('Mount', 'SITE_NAME');
    take();
    driver.set('Mount', 'SITE_NAME', { NAME: 'Field' });
    expect(take()).toEqual([]);
    driver.define('Mount', 'SITE_NAME');
    expect(take()).toEqual([
      {
        type: 'defTextVector',
        device: 'Mount',
        name: 'SITE_NAME',
        state: 'Idle',
        perm: 'rw',
        timestamp: at,
        members: [{ name: 'NAME', value: 'Field' }],
      },
    ]);
  });

  it('throws UnknownPropertyError for names it does not define (from untyped callers)', () => {
    const driver = indiDriver<DeviceDefinition>([mount], { clock });
    expect(() => driver.set('Mount', 'NOPE', {})).toThrow(new UnknownPropertyError('Mount', 'NOPE'));
    expect(() => driver.set('Mount', 'CONNECTION', { CONECT: 'On' })).toThrow(
      "this driver defines no member 'CONECT' of Mount.CONNECTION",
    );
    expect(() => driver.message('Dome', 'hello')).toThrow("this driver defines no device 'Dome'");
    expect(() => driver.requests('Mount', 'NOPE')).toThrow(
      "this driver defines no vector 'NOPE' of device 'Mount'",
    );
  });
});

describe('handlers', () => {
  it('run for valid requests of their vector, and may answer with set', async () => {
    const driver = indiDriver([mount], { clock });
    const { take, receive } = harness(driver);
    take();
    driver.handle('Mount', 'CONNECTION', (request) => {
      driver.set('Mount', 'CONNECTION', request.values, { state: 'Ok' });
    });
    await receive(connect);
    expect(take()).toEqual([
      {
        type: 'setSwitchVector',
        device: 'Mount',
        name: 'CONNECTION',
        state: 'Ok',
        timestamp: at,
        members: [
          { name: 'CONNECT', value: 'On' },
          { name: 'DISCONNECT', value: 'Off' },
        ],
      },
    ]);
  });

  it.each([
    [
      'throws',
      (): undefined => {
        throw new Error('serial port gone');
      },
    ],
    ['rejects', () => Promise.reject(new Error('serial port gone'))],
    ['errors', () => timer(1).pipe(mergeMap(() => throwError(() => new Error('serial port gone'))))],
  ])(
    'that %s are reported with a message naming the device and an event; the driver carries on',
    async (_, failing) => {
      const driver = indiDriver([mount], { clock });
      const { take, receive, events, completed } = harness(driver);
      take();
      const stop = driver.handle('Mount', 'CONNECTION', failing);
      await receive(connect);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(take()).toEqual([
        {
          type: 'message',
          device: 'Mount',
          timestamp: at,
          message: 'Handler for Mount.CONNECTION failed: serial port gone',
        },
      ]);
      expect(events).toEqual([
        {
          type: 'handlerFailed',
          channel: 'driver Mount',
          device: 'Mount',
          name: 'CONNECTION',
          error: new Error('serial port gone'),
        },
      ]);
      stop();
      driver.handle('Mount', 'CONNECTION', () =>
        driver.set('Mount', 'CONNECTION', { CONNECT: 'On' }, { state: 'Ok' }),
      );
      await receive(connect);
      expect(names(take())).toEqual(['setSwitchVector Mount.CONNECTION']);
      expect(completed()).toBe(false);
    },
  );

  it('removed stop running', async () => {
    const driver = indiDriver([mount], { clock });
    const { take, receive } = harness(driver);
    const stop = driver.handle('Mount', 'CONNECTION', () => driver.message('Mount', 'connecting'));
    await receive(connect);
    stop();
    await receive(connect);
    expect(names(take().filter((message) => message.type === 'message'))).toHaveLength(1);
  });
});

describe('closing', () => {
  it('deletes every device for clients, ends messages$ and resolves closed', async () => {
    const driver = indiDriver([mount, focuser], { clock });
    const all = lastValueFrom(driver.messages$.pipe(toArray()));
    driver.delete('Focuser');
    await driver.close();
    const sent = await all;
    expect(sent.slice(-2)).toEqual([
      { type: 'delProperty', device: 'Focuser', timestamp: at },
      { type: 'delProperty', device: 'Mount', timestamp: at },
    ]);
    expect(sent.filter((message) => message.type === 'delProperty')).toHaveLength(2);
  });

  it('happens when the server completes the sink', async () => {
    const driver = indiDriver([mount], { clock });
    const { completed } = harness(driver);
    driver.sink.complete();
    await driver.closed;
    expect(completed()).toBe(true);
  });
});
