/**
 * `connectIndi` over a real socket to rxindi's own server serving an
 * in-process driver: definitions, live state, requests and their outcome.
 */
import { filter, firstValueFrom, lastValueFrom, map, of, share, Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectIndi, type IndiClient } from '../../src/client/connect-indi.js';
import { SendRefusedError } from '../../src/client/send-refused-error.js';
import { memberValues } from '../../src/protocol/member-values.js';
import { indiDriver } from '../../src/driver/indi-driver.js';
import type { DriverEvent } from '../../src/driver/driver-event.js';
import type { VectorRequest } from '../../src/driver/vector-request.js';
import type { DefVector } from '../../src/protocol/messages.js';
import { serve, type ServerEvent } from '../../src/server/serve.js';
import { freePort } from '../driver/fixtures/indiserver.js';
import { mount } from '../driver/fixtures/mount.js';
import { waitUntil } from '../helpers/wait-until.js';

const driver = indiDriver([mount]);
driver.handle('Mount', 'CONNECTION', (request) =>
  driver.set('Mount', 'CONNECTION', request.values, { state: 'Ok' }),
);
driver.handle('Mount', 'SITE_NAME', (request) =>
  driver.set('Mount', 'SITE_NAME', request.values, { state: 'Ok' }),
);
const rejected: DriverEvent[] = [];
driver.driverEvents$.subscribe((event) => rejected.push(event));
const uploads: VectorRequest[] = [];
driver.requests('Mount', 'UPLOAD').subscribe((request) => uploads.push(request));
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

  it('sets text; a number sent raw past the checks comes back as Alert with the reason', async () => {
    client.setText('Mount', 'SITE_NAME', { NAME: 'Field' });
    expect(memberValues(await until('SITE_NAME', (vector) => vector.state === 'Ok'))).toEqual({
      NAME: 'Field',
    });
    // send() is not checked: the driver refuses it.
    client.send({
      type: 'newNumberVector',
      device: 'Mount',
      name: 'EQUATORIAL_EOD_COORD',
      members: [{ name: 'DEC', value: 91 }],
    });
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

describe('connectIndi checks requests as the driver would, and sends nothing it would refuse', () => {
  const refusal = (send: () => void): SendRefusedError => {
    try {
      send();
    } catch (error) {
      if (error instanceof SendRefusedError) return error;
      throw error;
    }
    throw new Error('the request was not refused');
  };
  const fields = ({ name, message, device, vector, member, rule }: SendRefusedError) => ({
    name,
    message,
    device,
    vector,
    member,
    rule,
  });

  it.each([
    {
      what: 'a number out of range',
      send: () => client.setNumber('Mount', 'EQUATORIAL_EOD_COORD', { RA: 1, DEC: 91 }),
      vector: 'EQUATORIAL_EOD_COORD',
      member: 'DEC',
      rule: 'outOfRange',
      reason: 'DEC = 91 is outside the range -90 to 90',
    },
    {
      what: 'a number that is not one',
      send: () => client.setNumber('Mount', 'EQUATORIAL_EOD_COORD', { RA: Number.NaN }),
      vector: 'EQUATORIAL_EOD_COORD',
      member: 'RA',
      rule: 'notANumber',
      reason: 'RA is not a number (nan)',
    },
    {
      what: 'an unknown member',
      send: () => client.setNumber('Mount', 'EQUATORIAL_EOD_COORD', { ALT: 10 }),
      vector: 'EQUATORIAL_EOD_COORD',
      member: 'ALT',
      rule: 'unknownMember',
      reason: 'no member ALT',
    },
    {
      what: 'a read-only vector',
      send: () => client.setText('Mount', 'DRIVER_INFO', { DRIVER_NAME: 'mine' }),
      vector: 'DRIVER_INFO',
      member: undefined,
      rule: 'readOnly',
      reason: 'the vector is read-only',
    },
    {
      what: 'a light',
      send: () => client.setSwitch('Mount', 'STATUS', { POWER: 'On' }),
      vector: 'STATUS',
      member: undefined,
      rule: 'kind',
      reason: 'it is a light vector, not a switch vector',
    },
    {
      what: 'the wrong kind of vector',
      send: () => client.setText('Mount', 'EQUATORIAL_EOD_COORD', { RA: '5' }),
      vector: 'EQUATORIAL_EOD_COORD',
      member: undefined,
      rule: 'kind',
      reason: 'it is a number vector, not a text vector',
    },
    {
      what: 'a broken switch rule',
      send: () => client.setSwitch('Mount', 'SLEW_RATE', { SLOW: 'On', FAST: 'On' }),
      vector: 'SLEW_RATE',
      member: undefined,
      rule: 'switchRule',
      reason: 'AtMostOne allows at most one switch On, the request leaves 2 On',
    },
    {
      what: 'BLOB data that is not its declared size',
      send: () =>
        client.setBlob('Mount', 'UPLOAD', {
          FILE: { bytes: new Uint8Array([1, 2]), format: '.bin', size: 3 },
        }),
      vector: 'UPLOAD',
      member: 'FILE',
      rule: 'blobSize',
      reason: 'FILE size 3 does not match its 2 bytes of data',
    },
    {
      what: 'a vector the server has not defined',
      send: () => client.setNumber('Mount', 'EQUATORIAL_J2000_COORD', { RA: 1 }),
      vector: 'EQUATORIAL_J2000_COORD',
      member: undefined,
      rule: 'notDefined',
      reason:
        'the server has not defined it on this connection (check the spelling, call getProperties and wait for the definition, or the link is down)',
    },
  ])('refuses $what with a SendRefusedError naming device, vector, member and rule', async (refused) => {
    await defined('UPLOAD');
    const before = await firstValueFrom(client.devices$);
    const rejectedBefore = rejected.length;
    const error = refusal(refused.send);
    expect(fields(error)).toEqual({
      name: 'SendRefusedError',
      message: `Mount.${refused.vector} not sent: ${refused.reason}`,
      device: 'Mount',
      vector: refused.vector,
      member: refused.member,
      rule: refused.rule,
    });
    // Nothing went out: a request that reached the driver would be refused
    // there (an event, and the vector back in Alert) or accepted (an upload).
    await new Promise((settled) => setTimeout(settled, 100));
    expect(rejected.slice(rejectedBefore)).toEqual([]);
    expect(uploads).toEqual([]);
    expect((await firstValueFrom(client.devices$)).get('Mount')?.get(refused.vector)).toBe(
      before.get('Mount')?.get(refused.vector),
    );
  });

  it('sends a BLOB that fits its definition, and the driver receives its bytes', async () => {
    client.setBlob('Mount', 'UPLOAD', { FILE: { bytes: new Uint8Array([4, 5, 6]), format: '.bin' } });
    await waitUntil('the upload to reach the driver', () => uploads.length > 0);
    const [upload] = uploads;
    expect(upload?.name).toBe('UPLOAD');
    const file = upload?.values.FILE as { bytes: Uint8Array; format: string; size: number };
    expect({ ...file, bytes: [...file.bytes] }).toEqual({ bytes: [4, 5, 6], format: '.bin', size: 3 });
    expect(uploads).toHaveLength(1);
  });
});
