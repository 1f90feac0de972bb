/**
 * Type tests of the typed driver API (issue 9): a device written with
 * `defineDevice` and the vector builders types every call on its driver, so
 * a member it does not have, a value of the wrong kind or a vector it does
 * not define is a compile error. Where the driver also checks at run time
 * (unknown names throw `UnknownPropertyError`), the test runs the misuse and
 * asserts the error a JavaScript caller would get.
 *
 * Kept apart from pipeline.test.ts: it follows src/driver's current API.
 */
import { firstValueFrom, map, type Observable } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  indiDriver,
  lightVector,
  numberVector,
  switchVector,
  UnknownPropertyError,
  type DeviceRequest,
  type IndiDriver,
  type MemberName,
  type NumberVectorDefinition,
  type PropertyState,
  type ReceivedBlob,
  type SwitchState,
  type VectorNameOf,
  type VectorOf,
  type VectorRequest,
} from '../../src/index.js';
import { harness } from '../driver/fixtures/harness.js';
import { at, clock, mount } from '../driver/fixtures/mount.js';

type Mount = typeof mount;
type Coordinates = VectorOf<Mount, 'Mount', 'EQUATORIAL_EOD_COORD'>;

describe('a device definition', () => {
  it('keeps its device, vector and member names as types', () => {
    expectTypeOf(mount.name).toEqualTypeOf<'Mount'>();
    expectTypeOf<VectorNameOf<Mount, 'Mount'>>().toEqualTypeOf<
      | 'CONNECTION'
      | 'EQUATORIAL_EOD_COORD'
      | 'DRIVER_INFO'
      | 'SITE_NAME'
      | 'SLEW_RATE'
      | 'AUX'
      | 'STATUS'
      | 'UPLOAD'
    >();
    expectTypeOf<Coordinates>().toEqualTypeOf<NumberVectorDefinition<'RA' | 'DEC'>>();
    expectTypeOf<MemberName<Coordinates>>().toEqualTypeOf<'RA' | 'DEC'>();
  });

  it('refuses vectors INDI cannot define', () => {
    // @ts-expect-error: a number member needs its range.
    const noRange = numberVector({ members: { CELSIUS: { max: 40 } } });
    // @ts-expect-error: a switch vector needs its rule.
    const noRule = switchVector({ members: { ON: {}, OFF: {} } });
    // @ts-expect-error: switches are 'On' or 'Off'.
    const yes = switchVector({ rule: 'AnyOfMany', members: { FAN: { value: 'Yes' } } });
    // @ts-expect-error: lights are read-only: no perm.
    const writableLight = lightVector({ perm: 'rw', members: { RAIN: {} } });
    expect([noRange.kind, noRule.kind, yes.kind, writableLight.kind]).toEqual([
      'number',
      'switch',
      'switch',
      'light',
    ]);
  });
});

describe('a typed driver', () => {
  it('types the values it sends and holds by member name and kind', () => {
    const driver = indiDriver([mount], { clock });
    const { take } = harness(driver);
    take();
    driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: 5.5 }, { state: 'Busy' });
    driver.set('Mount', 'STATUS', { MOTOR: 'Alert' });
    expect(take()).toEqual([
      {
        type: 'setNumberVector',
        device: 'Mount',
        name: 'EQUATORIAL_EOD_COORD',
        state: 'Busy',
        timestamp: at,
        members: [{ name: 'RA', value: 5.5 }],
      },
      {
        type: 'setLightVector',
        device: 'Mount',
        name: 'STATUS',
        timestamp: at,
        members: [{ name: 'MOTOR', value: 'Alert' }],
      },
    ]);
    const coordinates = driver.values('Mount', 'EQUATORIAL_EOD_COORD');
    expectTypeOf(coordinates).toEqualTypeOf<{ readonly RA: number; readonly DEC: number }>();
    expect(coordinates).toEqual({ RA: 5.5, DEC: 90 });
    expectTypeOf(driver.values('Mount', 'CONNECTION')).toEqualTypeOf<{
      readonly CONNECT: SwitchState;
      readonly DISCONNECT: SwitchState;
    }>();
    expectTypeOf(driver.values('Mount', 'STATUS')).toEqualTypeOf<{
      readonly POWER: PropertyState;
      readonly MOTOR: PropertyState;
    }>();
  });

  it('hands over client requests with values typed by the vector', async () => {
    const driver = indiDriver([mount], { clock });
    const { receive } = harness(driver);
    const requests$ = driver.requests('Mount', 'EQUATORIAL_EOD_COORD');
    expectTypeOf(requests$).toEqualTypeOf<
      Observable<VectorRequest<Coordinates, 'Mount', 'EQUATORIAL_EOD_COORD'>>
    >();
    const first = firstValueFrom(requests$);
    await receive({
      type: 'newNumberVector',
      device: 'Mount',
      name: 'EQUATORIAL_EOD_COORD',
      members: [{ name: 'RA', value: 6 }],
    });
    const request = await first;
    expectTypeOf(request.values).toEqualTypeOf<Partial<{ readonly RA: number; readonly DEC: number }>>();
    expect(request.values).toEqual({ RA: 6 });
  });

  it('discriminates a device’s requests by vector name', async () => {
    const describeRequest = (request: DeviceRequest<Mount, 'Mount'>): string => {
      switch (request.name) {
        case 'CONNECTION':
          expectTypeOf(request.values.CONNECT).toEqualTypeOf<SwitchState | undefined>();
          return `connect ${request.values.CONNECT ?? 'unchanged'}`;
        case 'UPLOAD':
          expectTypeOf(request.values.FILE).toEqualTypeOf<ReceivedBlob | undefined>();
          return `upload of ${request.values.FILE?.size ?? 0} bytes`;
        default:
          return request.name;
      }
    };
    const driver = indiDriver([mount], { clock });
    const { receive } = harness(driver);
    expectTypeOf(driver.requests('Mount')).toEqualTypeOf<Observable<DeviceRequest<Mount, 'Mount'>>>();
    const first = firstValueFrom(driver.requests('Mount').pipe(map(describeRequest)));
    await receive({
      type: 'newSwitchVector',
      device: 'Mount',
      name: 'CONNECTION',
      members: [{ name: 'CONNECT', value: 'On' }],
    });
    expect(await first).toBe('connect On');
  });

  it('refuses names its devices do not have, at compile time and at run time', () => {
    const driver = indiDriver([mount], { clock });
    // @ts-expect-error: EQUATORIAL_EOD_COORD has no member AZ.
    expect(() => driver.set('Mount', 'EQUATORIAL_EOD_COORD', { AZ: 180 })).toThrow(
      new UnknownPropertyError('Mount', 'EQUATORIAL_EOD_COORD', 'AZ'),
    );
    // @ts-expect-error: Mount defines no vector HORIZONTAL_COORD.
    expect(() => driver.requests('Mount', 'HORIZONTAL_COORD')).toThrow(
      "this driver defines no vector 'HORIZONTAL_COORD' of device 'Mount'",
    );
    // @ts-expect-error: this driver has no device Dome.
    expect(() => driver.requests('Dome')).toThrow("this driver defines no device 'Dome'");
    // @ts-expect-error: nor can it handle requests of a vector it does not define.
    expect(() => driver.handle('Mount', 'PARK', () => undefined)).toThrow(
      new UnknownPropertyError('Mount', 'PARK'),
    );
    // @ts-expect-error: only number vectors have ranges.
    expect(() => driver.set('Mount', 'SLEW_RATE', {}, { ranges: { FAST: { max: 2 } } })).toThrow(
      'Mount.SLEW_RATE is not a number vector: it has no ranges to change',
    );
  });

  it('refuses values of the wrong kind (not checked at run time: this is only type-checked)', () => {
    const misuse = (driver: IndiDriver<Mount>): void => {
      // @ts-expect-error: RA is a number, not text.
      driver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: '05:30:00' });
      // @ts-expect-error: switches are 'On' or 'Off'.
      driver.set('Mount', 'CONNECTION', { CONNECT: true });
      // @ts-expect-error: lights take a property state.
      driver.set('Mount', 'STATUS', { POWER: 'On' });
      // @ts-expect-error: a BLOB is bytes, not base64 text.
      driver.set('Mount', 'UPLOAD', { FILE: 'AAAA' });
      driver.handle('Mount', 'SITE_NAME', (request) => {
        // @ts-expect-error: a text request's values are strings.
        const altitude: number | undefined = request.values.NAME;
        return altitude;
      });
    };
    expectTypeOf(misuse).parameter(0).toEqualTypeOf<IndiDriver<Mount>>();
  });
});
