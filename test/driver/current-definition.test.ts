/**
 * A driver reads back what it last defined or set (`values`), moves a number's
 * range with `set(…, { ranges })` as libindi's IUUpdateMinMax does, and changes
 * what a definition says with `redefine` (delProperty, then the new def*), and
 * client requests are checked against the definition as it is now.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { indiDriver } from '../../src/driver/indi-driver.js';
import { UnknownPropertyError } from '../../src/driver/unknown-property-error.js';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { harness } from './fixtures/harness.js';
import { at, clock, mount } from './fixtures/mount.js';

function setup() {
  const driver = indiDriver([mount], { clock });
  const h = harness(driver);
  h.take();
  return { driver, ...h };
}

const newDec = (value: number): IndiMessage => ({
  type: 'newNumberVector',
  device: 'Mount',
  name: 'EQUATORIAL_EOD_COORD',
  members: [{ name: 'DEC', value }],
});

describe('values', () => {
  it('are the initial values, then what the driver last set, typed by the definition', () => {
    const { driver } = setup();
    expect(driver.values('Mount', 'EQUATORIAL_EOD_COORD')).toEqual({ RA: 0, DEC: 90 });
    driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: 5.5 });
    driver.set('Mount', 'CONNECTION', { CONNECT: 'On' });
    expect(driver.values('Mount', 'EQUATORIAL_EOD_COORD')).toEqual({ RA: 5.5, DEC: 90 });
    expect(driver.values('Mount', 'CONNECTION')).toEqual({ CONNECT: 'On', DISCONNECT: 'Off' });
    expect(driver.values('Mount', 'SITE_NAME')).toEqual({ NAME: 'Home' });
    expect(driver.values('Mount', 'STATUS')).toEqual({ POWER: 'Ok', MOTOR: 'Idle' });
    expect(driver.values('Mount', 'UPLOAD')).toEqual({});

    expectTypeOf(driver.values('Mount', 'EQUATORIAL_EOD_COORD')).toEqualTypeOf<{
      readonly RA: number;
      readonly DEC: number;
    }>();
    expectTypeOf(driver.values('Mount', 'CONNECTION').CONNECT).toEqualTypeOf<'On' | 'Off'>();
    expectTypeOf(driver.values('Mount', 'UPLOAD').FILE).toEqualTypeOf<undefined>();
    // @ts-expect-error: no such vector
    expect(() => driver.values('Mount', 'NOPE')).toThrow(UnknownPropertyError);
  });

  it('of a deleted vector are kept, with the updates it received meanwhile', () => {
    const { driver } = setup();
    driver.delete('Mount', 'SITE_NAME');
    driver.set('Mount', 'SITE_NAME', { NAME: 'Field' });
    expect(driver.values('Mount', 'SITE_NAME')).toEqual({ NAME: 'Field' });
  });
});

describe('set with ranges', () => {
  it('sends min / max / step on oneNumber, and requests are checked against the new range', async () => {
    const { driver, take, receive, events } = setup();
    driver.set('Mount', 'EQUATORIAL_EOD_COORD', {}, { ranges: { DEC: { min: -30, max: 30 } } });
    expect(take()).toEqual([
      {
        type: 'setNumberVector',
        device: 'Mount',
        name: 'EQUATORIAL_EOD_COORD',
        timestamp: at,
        members: [{ name: 'DEC', min: -30, max: 30, value: 90 }],
      },
    ]);
    await receive(newDec(45));
    expect(events.at(-1)).toEqual({
      type: 'requestRejected',
      channel: 'driver Mount',
      device: 'Mount',
      name: 'EQUATORIAL_EOD_COORD',
      reason: 'DEC = 45 is outside the range -30 to 30',
    });
    // Definitions sent from now on carry the new range.
    take();
    await receive({ type: 'getProperties', version: '1.7', device: 'Mount', name: 'EQUATORIAL_EOD_COORD' });
    expect(take()).toMatchObject([
      {
        members: [
          { name: 'RA', min: 0, max: 24 },
          { name: 'DEC', min: -30, max: 30, step: 0 },
        ],
      },
    ]);
  });

  it("goes out with the value even with members: 'changed', and with the other members given", () => {
    const { driver, take } = setup();
    driver.set(
      'Mount',
      'EQUATORIAL_EOD_COORD',
      { RA: 1 },
      { members: 'changed', ranges: { DEC: { step: 0.5 } } },
    );
    expect(take()).toMatchObject([
      {
        type: 'setNumberVector',
        members: [
          { name: 'RA', value: 1 },
          { name: 'DEC', step: 0.5, value: 90 },
        ],
      },
    ]);
  });

  it('refuses members it does not define, and vectors that are not numbers (untyped callers)', () => {
    const { driver, take } = setup();
    const untyped = driver as unknown as ReturnType<typeof indiDriver>;
    expect(() => untyped.set('Mount', 'EQUATORIAL_EOD_COORD', {}, { ranges: { ALT: { min: 0 } } })).toThrow(
      new UnknownPropertyError('Mount', 'EQUATORIAL_EOD_COORD', 'ALT'),
    );
    expect(() => untyped.set('Mount', 'SITE_NAME', {}, { ranges: { NAME: { min: 0 } } })).toThrow(
      new TypeError('Mount.SITE_NAME is not a number vector: it has no ranges to change'),
    );
    // @ts-expect-error: ranges are for number vectors only
    expect(() => driver.set('Mount', 'CONNECTION', {}, { ranges: { CONNECT: { min: 0 } } })).toThrow(
      TypeError,
    );
    // @ts-expect-error: no such member
    expect(() => driver.set('Mount', 'EQUATORIAL_EOD_COORD', {}, { ranges: { ALT: { min: 0 } } })).toThrow();
    expect(take()).toEqual([]);
  });
});

describe('redefine', () => {
  it('deletes the vector, then defines it again with the changes, values and state kept', async () => {
    const { driver, take, receive, events } = setup();
    driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: 6 }, { state: 'Ok' });
    take();
    driver.redefine('Mount', 'EQUATORIAL_EOD_COORD', {
      label: 'Target',
      members: { DEC: { label: 'Dec', format: '%9.4f', min: -30, max: 30 } },
    });
    expect(take()).toEqual([
      { type: 'delProperty', device: 'Mount', name: 'EQUATORIAL_EOD_COORD', timestamp: at },
      {
        type: 'defNumberVector',
        device: 'Mount',
        name: 'EQUATORIAL_EOD_COORD',
        label: 'Target',
        group: 'Main Control',
        state: 'Ok',
        perm: 'rw',
        timestamp: at,
        message: undefined,
        members: [
          { name: 'RA', label: 'RA (hh:mm:ss)', format: '%010.6m', min: 0, max: 24, step: 0, value: 6 },
          { name: 'DEC', label: 'Dec', format: '%9.4f', min: -30, max: 30, step: 0, value: 90 },
        ],
      },
    ]);
    await receive(newDec(31));
    expect(events.map((event) => event.type === 'requestRejected' && event.reason)).toEqual([
      'DEC = 31 is outside the range -30 to 30',
    ]);
  });

  it('of a deleted vector changes it without sending it: define sends it later', () => {
    const { driver, take } = setup();
    driver.delete('Mount', 'SITE_NAME');
    take();
    driver.redefine('Mount', 'SITE_NAME', { label: 'Site', perm: 'ro' });
    expect(take()).toEqual([]);
    driver.define('Mount', 'SITE_NAME');
    expect(take()).toMatchObject([{ type: 'defTextVector', name: 'SITE_NAME', label: 'Site', perm: 'ro' }]);
  });

  it('refuses what the definition cannot carry', () => {
    const { driver, take } = setup();
    const untyped = driver as unknown as ReturnType<typeof indiDriver>;
    expect(() => untyped.redefine('Mount', 'SITE_NAME', { members: { NAME: { format: '%s' } } })).toThrow(
      new TypeError('Mount.SITE_NAME is not a number vector: only the labels of its members can change'),
    );
    expect(() => untyped.redefine('Mount', 'STATUS', { perm: 'rw' })).toThrow(
      new TypeError('Mount.STATUS is a light vector: it has no perm or timeout to change'),
    );
    expect(() => untyped.redefine('Mount', 'AUX', { members: { LAMP: { label: 'Lamp' } } })).toThrow(
      new UnknownPropertyError('Mount', 'AUX', 'LAMP'),
    );
    expect(take()).toEqual([]);
  });
});
