/**
 * Definitions: what `defineDevice` and the vector factories turn into on the
 * wire (`def*Vector`, INDI 1.7), with their defaults, and the types they give
 * a driver's user.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { indiDriver } from '../../src/driver/indi-driver.js';
import { toDefVector } from '../../src/driver/to-def-vector.js';
import type { MemberName, ReceivedBlob } from '../../src/driver/vector-definition.js';
import { clock, mount } from './fixtures/mount.js';

describe('toDefVector', () => {
  it('writes a switch vector with its rule, perm default rw, state default Idle and member defaults Off', () => {
    expect(toDefVector('Mount', 'CONNECTION', mount.vectors.CONNECTION)).toEqual({
      type: 'defSwitchVector',
      device: 'Mount',
      name: 'CONNECTION',
      label: 'Connection',
      group: 'Main Control',
      state: 'Idle',
      perm: 'rw',
      rule: 'OneOfMany',
      timeout: 60,
      members: [
        { name: 'CONNECT', label: 'Connect', value: 'Off' },
        { name: 'DISCONNECT', label: 'Disconnect', value: 'On' },
      ],
    });
  });

  it('writes a number vector with format, range, step default 0 and value default min', () => {
    expect(toDefVector('Mount', 'EQUATORIAL_EOD_COORD', mount.vectors.EQUATORIAL_EOD_COORD)).toEqual({
      type: 'defNumberVector',
      device: 'Mount',
      name: 'EQUATORIAL_EOD_COORD',
      label: 'Eq. Coordinates',
      group: 'Main Control',
      state: 'Idle',
      perm: 'rw',
      members: [
        { name: 'RA', label: 'RA (hh:mm:ss)', format: '%010.6m', min: 0, max: 24, step: 0, value: 0 },
        { name: 'DEC', label: 'DEC (dd:mm:ss)', format: '%010.6m', min: -90, max: 90, step: 0, value: 90 },
      ],
    });
  });

  it('writes text, light and BLOB vectors; lights have no perm, BLOB members no value', () => {
    expect(toDefVector('Mount', 'DRIVER_INFO', mount.vectors.DRIVER_INFO)).toEqual({
      type: 'defTextVector',
      device: 'Mount',
      name: 'DRIVER_INFO',
      state: 'Idle',
      perm: 'ro',
      members: [{ name: 'DRIVER_NAME', value: 'rxindi mount' }],
    });
    expect(toDefVector('Mount', 'STATUS', mount.vectors.STATUS)).toEqual({
      type: 'defLightVector',
      device: 'Mount',
      name: 'STATUS',
      state: 'Idle',
      members: [
        { name: 'POWER', value: 'Ok' },
        { name: 'MOTOR', value: 'Idle' },
      ],
    });
    expect(toDefVector('Mount', 'UPLOAD', mount.vectors.UPLOAD)).toEqual({
      type: 'defBLOBVector',
      device: 'Mount',
      name: 'UPLOAD',
      state: 'Idle',
      perm: 'rw',
      members: [{ name: 'FILE' }],
    });
  });
});

describe('types', () => {
  const driver = indiDriver([mount], { clock });

  it('knows the member names of each vector', () => {
    expectTypeOf<MemberName<typeof mount.vectors.EQUATORIAL_EOD_COORD>>().toEqualTypeOf<'RA' | 'DEC'>();
    expectTypeOf<MemberName<typeof mount.vectors.CONNECTION>>().toEqualTypeOf<'CONNECT' | 'DISCONNECT'>();
  });

  it('types request values by kind', () => {
    expectTypeOf(driver.requests('Mount', 'EQUATORIAL_EOD_COORD')).toExtend<
      import('rxjs').Observable<{ readonly values: { readonly RA?: number; readonly DEC?: number } }>
    >();
    expectTypeOf(driver.requests('Mount', 'UPLOAD')).toExtend<
      import('rxjs').Observable<{ readonly values: { readonly FILE?: ReceivedBlob } }>
    >();
  });

  it('refuses unknown names and values of the wrong kind at compile time', () => {
    const compileOnly = (): void => {
      // @ts-expect-error: no such device
      driver.set('Dome', 'CONNECTION', {});
      // @ts-expect-error: no such vector
      driver.set('Mount', 'NOPE', {});
      // @ts-expect-error: no such member
      driver.set('Mount', 'CONNECTION', { CONECT: 'On' });
      // @ts-expect-error: a switch is On or Off
      driver.set('Mount', 'CONNECTION', { CONNECT: true });
      // @ts-expect-error: a number member takes a number
      driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: '12:00' });
      driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: 12 }, { state: 'Busy' });
    };
    expect(compileOnly).toBeTypeOf('function');
  });

  it('discriminates a device-wide request stream by vector name', () => {
    driver.requests('Mount').subscribe((request) => {
      if (request.name === 'EQUATORIAL_EOD_COORD')
        expectTypeOf(request.values.RA).toEqualTypeOf<number | undefined>();
      if (request.name === 'CONNECTION')
        expectTypeOf(request.values.CONNECT).toEqualTypeOf<'On' | 'Off' | undefined>();
    });
  });
});
