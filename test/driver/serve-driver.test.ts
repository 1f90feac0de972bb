/**
 * Interop: an in-process driver served by `serve` over a real socket, read
 * and written with indilib's own command-line client tools.
 */
import { execa } from 'execa';
import { filter, firstValueFrom, lastValueFrom, map, of, share, Subject, take, type Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indiDriver } from '../../src/driver/indi-driver.js';
import type { DriverEvent } from '../../src/driver/driver-event.js';
import { serve, type ServerEvent } from '../../src/server/serve.js';
import { mount } from './fixtures/mount.js';

const driver = indiDriver([mount]);
driver.handle('Mount', 'CONNECTION', (request) =>
  driver.set('Mount', 'CONNECTION', request.values, { state: 'Ok' }),
);
driver.handle('Mount', 'EQUATORIAL_EOD_COORD', (request) =>
  driver.set('Mount', 'EQUATORIAL_EOD_COORD', request.values, { state: 'Ok' }),
);
const events$: Observable<DriverEvent> = driver.driverEvents$.pipe(share());
const stop$ = new Subject<void>();
let port = 0;
let server: Promise<unknown>;

const getprop = async (...specs: string[]): Promise<string[]> => {
  const { stdout } = await execa('indi_getprop', ['-p', String(port), '-t', '1', ...specs]);
  return stdout.split('\n');
};
const setprop = (spec: string) => execa('indi_setprop', ['-p', String(port), spec]);

beforeAll(async () => {
  const serverEvents$ = serve({ listen: true, port: 0, channels$: of(driver), stop$ }).pipe(share());
  server = lastValueFrom(serverEvents$, { defaultValue: undefined });
  port = await firstValueFrom(
    serverEvents$.pipe(
      filter((event): event is Extract<ServerEvent, { type: 'listening' }> => event.type === 'listening'),
      map((event) => event.port),
    ),
  );
});
afterAll(async () => {
  stop$.next();
  await server;
});

describe('a driver served over TCP', () => {
  it('is read by indi_getprop', async () => {
    expect(await getprop('Mount.*.*')).toEqual([
      'Mount.CONNECTION.CONNECT=Off',
      'Mount.CONNECTION.DISCONNECT=On',
      'Mount.EQUATORIAL_EOD_COORD.RA=0',
      'Mount.EQUATORIAL_EOD_COORD.DEC=90',
      'Mount.DRIVER_INFO.DRIVER_NAME=rxindi mount',
      'Mount.SITE_NAME.NAME=Home',
      'Mount.SLEW_RATE.SLOW=On',
      'Mount.SLEW_RATE.FAST=Off',
      'Mount.AUX.HEATER=Off',
      'Mount.AUX.FAN=Off',
      'Mount.STATUS.POWER=Ok',
      'Mount.STATUS.MOTOR=Idle',
    ]);
  });

  it('takes a switch from indi_setprop, handles it, and indi_getprop sees the result', async () => {
    const handled = firstValueFrom(driver.requests('Mount', 'CONNECTION'));
    await setprop('Mount.CONNECTION.CONNECT=On');
    expect((await handled).values).toEqual({ CONNECT: 'On' });
    expect(await getprop('Mount.CONNECTION.*', 'Mount.CONNECTION._STATE')).toEqual([
      'Mount.CONNECTION.CONNECT=On',
      'Mount.CONNECTION.DISCONNECT=Off',
      'Mount.CONNECTION._STATE=Ok',
    ]);
  });

  it('takes sexagesimal numbers as numbers', async () => {
    const handled = firstValueFrom(driver.requests('Mount', 'EQUATORIAL_EOD_COORD'));
    await setprop('Mount.EQUATORIAL_EOD_COORD.RA;DEC=5:30;-10:15');
    expect((await handled).values).toEqual({ RA: 5.5, DEC: -10.25 });
  });

  it('refuses a number out of range with Alert, leaving the values as they were', async () => {
    const rejected = firstValueFrom(events$.pipe(take(1)));
    await setprop('Mount.EQUATORIAL_EOD_COORD.RA;DEC=25;10');
    expect(await rejected).toEqual({
      type: 'requestRejected',
      channel: 'driver Mount',
      device: 'Mount',
      name: 'EQUATORIAL_EOD_COORD',
      reason: 'RA = 25 is outside the range 0 to 24',
    });
    expect(await getprop('Mount.EQUATORIAL_EOD_COORD.*', 'Mount.EQUATORIAL_EOD_COORD._STATE')).toEqual([
      'Mount.EQUATORIAL_EOD_COORD.RA=5.5',
      'Mount.EQUATORIAL_EOD_COORD.DEC=-10.25',
      'Mount.EQUATORIAL_EOD_COORD._STATE=Alert',
    ]);
  });

  it('answers a request whose number does not parse with Alert, instead of losing it', async () => {
    const rejected = firstValueFrom(events$.pipe(take(1)));
    await setprop('Mount.EQUATORIAL_EOD_COORD.RA;DEC=abc;10');
    expect(await rejected).toEqual({
      type: 'requestRejected',
      channel: 'driver Mount',
      device: 'Mount',
      name: 'EQUATORIAL_EOD_COORD',
      reason: 'RA is not a number (nan)',
    });
  });
});
