/**
 * Snooping between real libindi drivers (INDI 1.7: a driver snoops with
 * `getProperties device=X name=Y`): indi_simulator_ccd snoops the telescope
 * named in its ACTIVE_DEVICES.ACTIVE_TELESCOPE ('Telescope Simulator') and
 * writes the telescope's coordinates into the FITS header of its exposures
 * (OBJCTRA / OBJCTDEC). Proven twice: on the server's traffic (the CCD's
 * channel is sent the telescope's EQUATORIAL_EOD_COORD after its snoop
 * request, and only what it snooped) and in the CCD's own output (the FITS
 * header of an exposure holds the coordinates the telescope was synced to).
 * Then the same with the telescope behind a link to a second rxindi.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { IndiServer, type TrafficRecord } from '../../src/server/indi-server.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { removeTempDirs, tempDir } from '../helpers/processes.js';
import {
  expectRunning,
  fitsHeader,
  isAbout,
  nameOf,
  numberValue,
  requireIndilib,
  sexagesimal,
  startRxindi,
  stopAll,
  switchValue,
} from './helpers.js';

const telescope = 'Telescope Simulator';
const ccd = 'CCD Simulator';
/** Where the telescope is synced to: far from where it starts (the pole). */
const target = { ra: 5.5, dec: -20.25 };

const servers: IndiServer[] = [];
let savedHome: string | undefined;

beforeAll(() => {
  requireIndilib(['indi_simulator_telescope', 'indi_simulator_ccd']);
  // In-process servers start their drivers with this process's environment:
  // keep the drivers' ~/.indi configuration out of the real home.
  savedHome = process.env.HOME;
  process.env.HOME = tempDir('rxindi-snoop-home-');
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.shutdown()));
  await stopAll();
});

afterAll(() => {
  process.env.HOME = savedHome;
  removeTempDirs();
});

/** An in-process rxindi with the CCD simulator, listening on a free port, recording its traffic. */
async function ccdServer(): Promise<{
  server: IndiServer;
  ccdId: string;
  records: TrafficRecord[];
  port: number;
}> {
  const server = new IndiServer({ port: 0 });
  servers.push(server);
  const records: TrafficRecord[] = [];
  server.traffic$.subscribe((record) => records.push(record));
  const ccdId = server.addExDriver('indi_simulator_ccd');
  void server.run();
  const port = await server.listen();
  return { server, ccdId, records, port };
}

const connection = (device: string): string =>
  `<newSwitchVector device='${device}' name='CONNECTION'><oneSwitch name='CONNECT'>On</oneSwitch></newSwitchVector>`;

/**
 * Connects both devices through `client`, syncs the telescope to `target`,
 * and checks that the CCD's channel got the telescope's coordinates (and
 * nothing it did not snoop), then that an exposure's FITS header holds them.
 */
async function proveSnooping(
  client: RawIndiClient,
  records: readonly TrafficRecord[],
  ccdId: string,
): Promise<void> {
  client.send("<getProperties version='1.7'/>");
  await client.waitFor('the telescope', isAbout(['defSwitchVector'], telescope, 'CONNECTION'), {
    timeout: 10_000,
  });
  await client.waitFor('the CCD', isAbout(['defSwitchVector'], ccd, 'CONNECTION'), { timeout: 10_000 });
  client.send(connection(telescope));
  client.send(connection(ccd));
  for (const device of [telescope, ccd]) {
    await client.waitFor(
      `${device} connected`,
      (message) =>
        isAbout(['setSwitchVector'], device, 'CONNECTION')(message) &&
        switchValue(message, 'CONNECT') === 'On',
      { timeout: 10_000 },
    );
  }

  // The CCD asks for the telescope's coordinates: its snoop request.
  const isSnoop = (record: TrafficRecord): boolean =>
    record.channel === ccdId &&
    record.direction === 'in' &&
    record.message.type === 'getProperties' &&
    record.message.device === telescope;
  const firstSnoop = records.findIndex(
    (record) =>
      isSnoop(record) &&
      record.message.type === 'getProperties' &&
      record.message.name === 'EQUATORIAL_EOD_COORD',
  );
  expect(firstSnoop, `the CCD's snoop request, in ${records.length} records`).toBeGreaterThanOrEqual(0);

  const uploadDir = tempDir('rxindi-snoop-upload-');
  client.send(
    `<newTextVector device='${ccd}' name='UPLOAD_SETTINGS'><oneText name='UPLOAD_DIR'>${uploadDir}</oneText><oneText name='UPLOAD_PREFIX'>SNOOP_XXX</oneText></newTextVector>`,
  );
  client.send(
    `<newSwitchVector device='${ccd}' name='UPLOAD_MODE'><oneSwitch name='UPLOAD_CLIENT'>Off</oneSwitch><oneSwitch name='UPLOAD_LOCAL'>On</oneSwitch><oneSwitch name='UPLOAD_BOTH'>Off</oneSwitch></newSwitchVector>`,
  );
  client.send(
    `<newNumberVector device='${ccd}' name='CCD_BINNING'><oneNumber name='HOR_BIN'>4</oneNumber><oneNumber name='VER_BIN'>4</oneNumber></newNumberVector>`,
  );
  client.send(
    `<newSwitchVector device='${telescope}' name='ON_COORD_SET'><oneSwitch name='SYNC'>On</oneSwitch></newSwitchVector>`,
  );
  client.send(
    `<newNumberVector device='${telescope}' name='EQUATORIAL_EOD_COORD'><oneNumber name='RA'>${target.ra}</oneNumber><oneNumber name='DEC'>${target.dec}</oneNumber></newNumberVector>`,
  );
  const atTarget = (message: IndiMessage): boolean =>
    isAbout(['setNumberVector'], telescope, 'EQUATORIAL_EOD_COORD')(message) &&
    Math.abs((numberValue(message, 'DEC') ?? 0) - target.dec) < 0.01;
  await client.waitFor('the telescope synced to the target', atTarget, { timeout: 10_000 });

  // The server's side: the CCD's channel is sent the telescope's coordinates…
  const toCcd = records.filter((record) => record.channel === ccdId && record.direction === 'out');
  const telescopeToCcd = toCcd.filter(
    (record) => 'device' in record.message && record.message.device === telescope,
  );
  expect(telescopeToCcd.some((record) => atTarget(record.message))).toBe(true);
  expect(
    records.findIndex(
      (record) => record.channel === ccdId && record.direction === 'out' && atTarget(record.message),
    ),
  ).toBeGreaterThan(firstSnoop);
  // …and nothing of the telescope that it did not snoop (not TARGET_EOD_COORD, TIME_UTC, …).
  const snooped = new Set(
    records
      .filter(isSnoop)
      .map((record) => (record.message.type === 'getProperties' ? record.message.name : undefined)),
  );
  expect(snooped.has(undefined), 'the CCD snoops named vectors of the telescope, not the whole device').toBe(
    false,
  );
  const vectors = new Set(
    telescopeToCcd.map((record) => nameOf(record.message).name).filter((name) => name !== undefined),
  );
  expect([...vectors].filter((name) => !snooped.has(name))).toEqual([]);
  // The CCD is never sent the clients' requests to the telescope (only its own).
  expect(telescopeToCcd.filter((record) => record.message.type.startsWith('new'))).toEqual([]);

  // The driver's side: it took the coordinates, they are in the FITS header of an exposure.
  const exposures = client.messages.length;
  client.send(
    `<newNumberVector device='${ccd}' name='CCD_EXPOSURE'><oneNumber name='CCD_EXPOSURE_VALUE'>0.1</oneNumber></newNumberVector>`,
  );
  const saved = await client.waitFor(
    'the exposure saved to a file',
    isAbout(['setTextVector'], ccd, 'CCD_FILE_PATH'),
    {
      timeout: 15_000,
      from: exposures,
    },
  );
  const path = saved.type === 'setTextVector' ? (saved.members[0]?.value ?? '') : '';
  expect(path.startsWith(join(uploadDir, 'SNOOP_'))).toBe(true);
  const header = fitsHeader(path);
  expect(header.get('TELESCOP')).toBe(telescope);
  // The header is J2000 and the telescope's coordinates are of the date: a few arc minutes apart.
  expect(Math.abs(sexagesimal(header.get('OBJCTRA') ?? 'NaN') - target.ra)).toBeLessThan(0.05);
  expect(Math.abs(sexagesimal(header.get('OBJCTDEC') ?? 'NaN') - target.dec)).toBeLessThan(0.2);
}

describe('snooping between libindi drivers', () => {
  it('the CCD simulator follows the telescope simulator served by the same rxindi', async () => {
    const { server, ccdId, records, port } = await ccdServer();
    server.addExDriver('indi_simulator_telescope');
    const client = await RawIndiClient.connect(port, 'localhost');
    await proveSnooping(client, records, ccdId);
  }, 45_000);

  it('the CCD simulator follows a telescope simulator behind a link to another rxindi', async () => {
    const far = await startRxindi('rxindi (telescope)', ['indi_simulator_telescope'], { home: tempDir() });
    const { server, ccdId, records, port } = await ccdServer();
    const link = server.addRemote('localhost', far.port);
    const client = await RawIndiClient.connect(port, 'localhost');
    await proveSnooping(client, records, ccdId);
    // The telescope's traffic came in through the link, not from a local driver.
    expect(
      records.some(
        (record) =>
          record.channel === link &&
          record.direction === 'in' &&
          isAbout(['setNumberVector'], telescope, 'EQUATORIAL_EOD_COORD')(record.message),
      ),
    ).toBe(true);
    expectRunning(far);
  }, 45_000);
});
