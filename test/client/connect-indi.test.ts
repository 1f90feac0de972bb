/**
 * `connectIndi` over a real socket to rxindi's own server serving an
 * in-process driver: definitions, live state, requests and their outcome.
 */
import { filter, firstValueFrom, lastValueFrom, map, of, share, Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectIndi, type IndiClient } from '../../src/client/connect-indi.js';
import { memberValues } from '../../src/client/member-values.js';
import { indiDriver } from '../../src/driver/indi-driver.js';
import type { DefVector } from '../../src/protocol/messages.js';
import { serve, type ServerEvent } from '../../src/server/serve.js';
import { freePort } from '../driver/fixtures/indiserver.js';
import { mount } from '../driver/fixtures/mount.js';

const driver = indiDriver([mount]);
driver.handle('Mount', 'CONNECTION', (request) =>
  driver.set('Mount', 'CONNECTION', request.values, { state: 'Ok' }),
);
driver.handle('Mount', 'SITE_NAME', (request) =>
  driver.set('Mount', 'SITE_NAME', request.values, { state: 'Ok' }),
);
const stop$ = new Subject<void>();
let server: Promise<unknown>;
let port = 0;
let client: IndiClient;

const defined = (name: string): Promise<DefVector> =>
  firstValueFrom(
    client.watch('Mount', name).pipe(filter((vector): vector is DefVector => vector !== undefined)),
  );
const until = (name: string, check: (vector: DefVector) => boolean): Promise<DefVector> =>
  firstValueFrom(
    client
      .watch('Mount', name)
      .pipe(filter((vector): vector is DefVector => vector !== undefined && check(vector))),
  );

beforeAll(async () => {
  const events$ = serve({ port: 0, channels$: of(driver), stop$ }).pipe(share());
  server = lastValueFrom(events$, { defaultValue: undefined });
  port = await firstValueFrom(
    events$.pipe(
      filter((event): event is Extract<ServerEvent, { type: 'listening' }> => event.type === 'listening'),
      map((event) => event.port),
    ),
  );
  client = connectIndi({ port });
  client.getProperties();
});
afterAll(async () => {
  await client.close();
  stop$.next();
  await server;
});

describe('connectIndi', () => {
  it('learns every device and vector', async () => {
    await defined('UPLOAD');
    const devices = await firstValueFrom(client.devices$);
    expect([...devices.keys()]).toEqual(['Mount']);
    expect([...devices.get('Mount')!.keys()]).toEqual(Object.keys(mount.vectors));
  });

  it('sets a switch and sees it become On', async () => {
    await defined('CONNECTION');
    client.setSwitch('Mount', 'CONNECTION', { CONNECT: 'On' });
    const connected = await until('CONNECTION', (vector) => vector.state === 'Ok');
    expect(memberValues(connected)).toEqual({ CONNECT: 'On', DISCONNECT: 'Off' });
  });

  it('sets text, and sees a refused number come back as Alert with the reason', async () => {
    client.setText('Mount', 'SITE_NAME', { NAME: 'Field' });
    expect(memberValues(await until('SITE_NAME', (vector) => vector.state === 'Ok'))).toEqual({
      NAME: 'Field',
    });
    client.setNumber('Mount', 'EQUATORIAL_EOD_COORD', { DEC: 91 });
    const refused = await until('EQUATORIAL_EOD_COORD', (vector) => vector.state === 'Alert');
    expect(refused.message).toBe(
      'EQUATORIAL_EOD_COORD request rejected: DEC = 91 is outside the range -90 to 90',
    );
    expect(memberValues(refused)).toEqual({ RA: 0, DEC: 90 });
  });

  it('sees deletions: a deleted vector is undefined until defined again', async () => {
    await defined('AUX');
    const seen: boolean[] = [];
    const watching = client.watch('Mount', 'AUX').subscribe((vector) => seen.push(vector !== undefined));
    driver.delete('Mount', 'AUX');
    await firstValueFrom(client.watch('Mount', 'AUX').pipe(filter((vector) => vector === undefined)));
    driver.define('Mount', 'AUX');
    expect(memberValues(await defined('AUX'))).toEqual({ HEATER: 'Off', FAN: 'Off' });
    watching.unsubscribe();
    expect(seen).toEqual([true, false, true]);
  });

  it('receives BLOBs only after enableBLOB', async () => {
    const blobs = firstValueFrom(
      client.messages$.pipe(filter((message) => message.type === 'setBLOBVector')),
    );
    driver.set('Mount', 'UPLOAD', { FILE: { bytes: new Uint8Array([1]) } });
    client.enableBLOB('Mount', 'Also', 'UPLOAD');
    await new Promise((settled) => setTimeout(settled, 50));
    driver.set('Mount', 'UPLOAD', { FILE: { bytes: new Uint8Array([7, 8, 9]) } });
    expect(await blobs).toMatchObject({
      device: 'Mount',
      name: 'UPLOAD',
      members: [{ name: 'FILE', size: 3, format: '.bin', value: 'BwgJ' }],
    });
  });

  it('fails messages$ and devices$ with the socket error when nobody listens', async () => {
    const nobody = connectIndi({ port: await freePort() });
    await expect(firstValueFrom(nobody.messages$)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(
      firstValueFrom(nobody.devices$.pipe(filter((devices) => devices.size > 0))),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await nobody.close();
  });
});
