/**
 * Snooping (INDI 1.7): a driver receives another device's traffic after
 * sending `getProperties device=X [name=Y]`, and its BLOBs only after
 * `enableBLOB X [Y] Also`. `snoop()` sends those while subscribed.
 */
import { filter, firstValueFrom, of, Subject, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { indiDriver } from '../../src/driver/indi-driver.js';
import type { DriverMessage, IndiMessage } from '../../src/protocol/messages.js';
import { serve } from '../../src/server/serve.js';
import { harness, settle } from './fixtures/harness.js';
import { at, clock, focuser, mount } from './fixtures/mount.js';

const telescopeTraffic: IndiMessage[] = [
  {
    type: 'setNumberVector',
    device: 'Telescope',
    name: 'EQUATORIAL_EOD_COORD',
    state: 'Ok',
    members: [{ name: 'RA', value: 3 }],
  },
  {
    type: 'setSwitchVector',
    device: 'Telescope',
    name: 'CONNECTION',
    state: 'Ok',
    members: [{ name: 'CONNECT', value: 'On' }],
  },
  {
    type: 'setBLOBVector',
    device: 'Telescope',
    name: 'EQUATORIAL_EOD_COORD',
    members: [{ name: 'X', size: 1, format: '.b', value: 'AQ==' }],
  },
  { type: 'message', device: 'Telescope', message: 'parked' },
  { type: 'delProperty', device: 'Telescope' },
  {
    type: 'setNumberVector',
    device: 'Dome',
    name: 'EQUATORIAL_EOD_COORD',
    members: [{ name: 'RA', value: 3 }],
  },
  { type: 'getProperties', version: '1.7', device: 'Telescope' },
];

describe('snoop', () => {
  it('asks for the device while subscribed, BLOBs with enableBLOB Also, and turns BLOBs off when the last BLOB snoop ends', () => {
    const driver = indiDriver([focuser], { clock });
    const { take: sent } = harness(driver);
    sent();
    const all = driver.snoop('Telescope').subscribe();
    const coords = driver.snoop('Telescope', 'EQUATORIAL_EOD_COORD', { blobs: true }).subscribe();
    const again = driver.snoop('Telescope', 'EQUATORIAL_EOD_COORD', { blobs: true }).subscribe();
    expect(sent()).toEqual([
      { type: 'getProperties', version: '1.7', device: 'Telescope' },
      { type: 'getProperties', version: '1.7', device: 'Telescope', name: 'EQUATORIAL_EOD_COORD' },
      { type: 'enableBLOB', device: 'Telescope', name: 'EQUATORIAL_EOD_COORD', mode: 'Also' },
    ]);
    coords.unsubscribe();
    all.unsubscribe();
    expect(sent()).toEqual([]);
    again.unsubscribe();
    expect(sent()).toEqual([
      { type: 'enableBLOB', device: 'Telescope', name: 'EQUATORIAL_EOD_COORD', mode: 'Never' },
    ]);
  });

  it('made before the driver is served is asked for when it is', () => {
    const driver = indiDriver([focuser], { clock });
    driver.snoop('Telescope').subscribe();
    const { take: sent } = harness(driver);
    expect(sent().slice(-1)).toEqual([{ type: 'getProperties', version: '1.7', device: 'Telescope' }]);
  });

  it("passes on the device's def, set, del and message; BLOBs only when asked; a vector snoop only that vector", async () => {
    const driver = indiDriver([focuser], { clock });
    const { receive } = harness(driver);
    const device: DriverMessage[] = [];
    const vector: DriverMessage[] = [];
    const withBlobs: DriverMessage[] = [];
    driver.snoop('Telescope').subscribe((message) => device.push(message));
    driver.snoop('Telescope', 'EQUATORIAL_EOD_COORD').subscribe((message) => vector.push(message));
    driver
      .snoop('Telescope', 'EQUATORIAL_EOD_COORD', { blobs: true })
      .subscribe((message) => withBlobs.push(message));
    await receive(...telescopeTraffic);
    const [coords, connection, blob, message, deletion] = telescopeTraffic;
    expect(device).toEqual([coords, connection, message, deletion]);
    expect(vector).toEqual([coords, message, deletion]);
    expect(withBlobs).toEqual([coords, blob, message, deletion]);
  });

  it('ends when unsubscribed, and completes when the driver closes', async () => {
    const driver = indiDriver([focuser], { clock });
    const { receive } = harness(driver);
    const first = firstValueFrom(driver.snoop('Telescope'));
    const rest = firstValueFrom(driver.snoop('Telescope').pipe(toArray()));
    await receive(...telescopeTraffic.slice(0, 2));
    expect(await first).toEqual(telescopeTraffic[0]);
    await driver.close();
    await settle();
    expect(await rest).toEqual(telescopeTraffic.slice(0, 2));
  });
});

describe('two in-process drivers in one server', () => {
  it('one snoops the other through the routing of serve', async () => {
    const mountDriver = indiDriver([mount], { clock });
    const focuserDriver = indiDriver([focuser], { clock });
    const stop$ = new Subject<void>();
    const server = serve({ listen: false, channels$: of(mountDriver, focuserDriver), stop$ }).subscribe();
    const seen = firstValueFrom(
      focuserDriver.snoop('Mount', 'EQUATORIAL_EOD_COORD').pipe(
        filter((message) => message.type === 'setNumberVector'),
        take(1),
      ),
    );
    await settle();
    mountDriver.set('Mount', 'EQUATORIAL_EOD_COORD', { RA: 7.25 }, { state: 'Ok' });
    mountDriver.set('Mount', 'CONNECTION', { CONNECT: 'On' });
    expect(await seen).toEqual({
      type: 'setNumberVector',
      device: 'Mount',
      name: 'EQUATORIAL_EOD_COORD',
      state: 'Ok',
      timestamp: at,
      members: [{ name: 'RA', value: 7.25 }],
    });
    stop$.next();
    server.unsubscribe();
  });
});
