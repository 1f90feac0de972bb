/**
 * rxindi against indilib's own programs (Debian indi-bin 1.9.9): the same
 * properties as `indiserver`, `indi_setprop`/`indi_getprop` through rxindi, a
 * slew of the telescope simulator, CCD images and per-client enableBLOB, ten
 * clients at once and the eleventh refused, a driver killed and restarted.
 *
 * The server is the `rxindi` CLI, run from source in its own process group on
 * a port of its choosing (`-p 0`, read from its `-v` log). Drivers get a
 * throw-away HOME so that `~/.indi` configs neither leak in nor out. If a
 * program of indi-bin is missing these tests fail (they do not skip).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBlob } from '../../src/protocol/blob-data.js';
import type { IndiMessage, SetBlobVector, SetNumberVector } from '../../src/protocol/messages.js';
import { freePort, tryConnect } from '../helpers/free-port.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { getprop, setprop as setpropResult } from '../helpers/indi-tools.js';
import {
  childPids,
  cliPort,
  killAllProcesses,
  removeTempDirs,
  run,
  startCli,
  startProcess,
  tempDir,
  type TestProcess,
} from '../helpers/processes.js';
import { pidRunning, waitUntil } from '../helpers/wait-until.js';

const telescope = 'Telescope Simulator';
const ccd = 'CCD Simulator';
const socketFiles: string[] = [];

const driverEnv = (): Record<string, string> => ({ HOME: tempDir('rxindi-home-') });

/** Starts `rxindi -v -p 0 <drivers>` and resolves with it and its port. */
async function startRxindi(
  ...drivers: string[]
): Promise<{ readonly cli: TestProcess; readonly port: number }> {
  const cli = startCli(['-v', '-p', '0', ...drivers], driverEnv());
  return { cli, port: await cliPort(cli) };
}

/** indi_setprop, which must succeed. */
async function setprop(port: number, ...specs: string[]): Promise<void> {
  expect(await setpropResult(port, ...specs)).toEqual({ code: 0, stderr: '' });
}

/** Polls indi_getprop until every spec has the expected value; resolves with the last values seen. */
async function waitForValues(
  port: number,
  expected: Readonly<Record<string, string>>,
  timeout = 5000,
): Promise<Map<string, string>> {
  let last = new Map<string, string>();
  try {
    await waitUntil(
      `indi_getprop to show ${JSON.stringify(expected)}`,
      async () => {
        last = await getprop(port, Object.keys(expected), 1);
        return Object.entries(expected).every(([key, value]) => last.get(key) === value);
      },
      { timeout, interval: 50 },
    );
  } catch {
    // The caller's assertion on the values says what is wrong.
  }
  return last;
}

const isDefOf = (device: string, name: string) => (message: IndiMessage) =>
  message.type.startsWith('def') &&
  'device' in message &&
  message.device === device &&
  'name' in message &&
  message.name === name;
const isSetOf =
  (device: string, name: string) =>
  (message: IndiMessage): message is SetNumberVector =>
    message.type === 'setNumberVector' && message.device === device && message.name === name;

/** A raw client that asked for every property (and sent `extra`, if any, in the same write). */
async function watcher(port: number, extra = ''): Promise<RawIndiClient> {
  const client = await RawIndiClient.connect(port);
  client.send(`<getProperties version="1.7"/>\n${extra}`);
  return client;
}

const connect = (device: string): string =>
  `<newSwitchVector device="${device}" name="CONNECTION"><oneSwitch name="CONNECT">On</oneSwitch></newSwitchVector>\n`;

afterEach(async () => {
  await RawIndiClient.closeAll();
  await killAllProcesses();
  for (const file of socketFiles.splice(0)) rmSync(file, { force: true });
  removeTempDirs();
});

describe('rxindi and indiserver side by side', () => {
  it('indi_getprop lists exactly the same properties through rxindi as through indiserver', async () => {
    const rxindi = await startRxindi('indi_simulator_telescope', 'indi_simulator_ccd');
    const indiserverPort = await freePort();
    const socketFile = `/tmp/indiserver-test-${randomBytes(6).toString('hex')}`;
    socketFiles.push(socketFile);
    startProcess(
      'indiserver',
      ['-p', String(indiserverPort), '-u', socketFile, 'indi_simulator_telescope', 'indi_simulator_ccd'],
      { env: driverEnv() },
    );
    await waitUntil('indiserver to listen', async () => (await tryConnect(indiserverPort)) === 'connected');

    const [ours, theirs] = await Promise.all([getprop(rxindi.port, [], 3), getprop(indiserverPort, [], 3)]);
    const keys = (values: Map<string, string>): string[] => [...values.keys()].sort();
    expect(keys(theirs)).toContain(`${telescope}.CONNECTION.CONNECT`);
    expect(keys(theirs)).toContain(`${ccd}.CONNECTION.CONNECT`);
    expect(theirs.size).toBeGreaterThan(50);
    expect(keys(ours)).toEqual(keys(theirs));
  });
});

describe('indi_setprop and indi_getprop through rxindi', () => {
  it('connects the telescope and the CCD, and slews the telescope towards a target', async () => {
    const { port } = await startRxindi('indi_simulator_telescope', 'indi_simulator_ccd');
    // Both drivers are up once their CONNECTION is visible.
    const before = await waitForValues(port, {
      [`${telescope}.CONNECTION.CONNECT`]: 'Off',
      [`${ccd}.CONNECTION.CONNECT`]: 'Off',
    });
    expect(before.get(`${ccd}.CONNECTION.CONNECT`)).toBe('Off');

    await setprop(port, `${telescope}.CONNECTION.CONNECT=On`, `${ccd}.CONNECTION.CONNECT=On`);
    const connected = await waitForValues(port, {
      [`${telescope}.CONNECTION.CONNECT`]: 'On',
      [`${ccd}.CONNECTION.CONNECT`]: 'On',
    });
    expect(Object.fromEntries(connected)).toEqual({
      [`${telescope}.CONNECTION.CONNECT`]: 'On',
      [`${ccd}.CONNECTION.CONNECT`]: 'On',
    });

    // The mount starts at the pole (DEC 90; 0 until its first poll after connecting); slew to RA 3 h, DEC 60°.
    const coords = [`${telescope}.EQUATORIAL_EOD_COORD.RA`, `${telescope}.EQUATORIAL_EOD_COORD.DEC`];
    await waitUntil(
      'the mount at the pole',
      async () => Number((await getprop(port, coords, 1)).get(coords[1]!)) === 90,
    );
    await setprop(port, `${telescope}.EQUATORIAL_EOD_COORD.RA;DEC=3;60`);
    const samples: { ra: number; dec: number }[] = [];
    await waitUntil(
      'the telescope to reach RA 3 h, DEC 60°',
      async () => {
        const values = await getprop(port, coords, 1);
        const sample = { ra: Number(values.get(coords[0]!)), dec: Number(values.get(coords[1]!)) };
        samples.push(sample);
        // Where the simulator's RA settles depends on the time of day (seen
        // 0.17 h off at DEC 80 late in the evening): a loose RA bound, a tight DEC one.
        return Math.abs(sample.ra - 3) < 0.5 && Math.abs(sample.dec - 60) < 0.1;
      },
      { timeout: 15_000, interval: 100 },
    );
    // It moved there: DEC went down step by step, and was seen between the start and the target.
    const decs = samples.map((sample) => sample.dec);
    expect(decs.some((dec) => dec > 60.5 && dec < 89.5)).toBe(true);
    for (let at = 1; at < decs.length; at++) expect(decs[at]!).toBeLessThanOrEqual(decs[at - 1]! + 1e-6);
  });

  it('every request of indi_setprop reaches its driver (40 requests in 20 runs)', async () => {
    // -vv: a request that goes missing can be followed through the log (client in, driver out, driver's answer).
    const cli = startCli(['-vv', '-p', '0', 'indi_simulator_telescope', 'indi_simulator_ccd'], driverEnv());
    const port = await cliPort(cli);
    await waitForValues(port, {
      [`${telescope}.CONNECTION.CONNECT`]: 'Off',
      [`${ccd}.CONNECTION.CONNECT`]: 'Off',
    });
    const lost: string[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const member = attempt % 2 === 0 ? 'CONNECT' : 'DISCONNECT';
      const wanted = { [`${telescope}.CONNECTION.${member}`]: 'On', [`${ccd}.CONNECTION.${member}`]: 'On' };
      const result = await run('indi_setprop', [
        '-p',
        String(port),
        ...Object.keys(wanted).map((key) => `${key}=On`),
      ]);
      if (result.code !== 0) {
        lost.push(`run ${attempt}: indi_setprop exited with ${String(result.code)}: ${result.stderr}`);
        break;
      }
      const seen = await waitForValues(port, wanted, 1500);
      for (const key of Object.keys(wanted))
        if (seen.get(key) !== 'On')
          lost.push(`run ${attempt}: ${key}=On (indi_getprop saw ${seen.get(key) ?? 'nothing'})`);
    }
    const exited = await Promise.race([cli.exited, Promise.resolve(undefined)]);
    expect({
      lost,
      rxindi: exited === undefined ? 'running' : { exit: exited, stderr: cli.stderr.slice(-12) },
      ...(lost.length === 0
        ? {}
        : { log: cli.stderr.filter((line) => line.includes('CONNECTION')).slice(-16) }),
    }).toEqual({ lost: [], rxindi: 'running' });
  });
});

describe('CCD images and enableBLOB through rxindi', () => {
  it('sends the image to Also and Only clients, not to a client that enabled nothing; Only gets nothing else of the CCD', async () => {
    const { port } = await startRxindi('indi_simulator_telescope', 'indi_simulator_ccd');
    const also = await watcher(port, `<enableBLOB device="${ccd}">Also</enableBLOB>\n`);
    const never = await watcher(port);
    const only = await watcher(port, `<enableBLOB device='${ccd}'>Only</enableBLOB>\n`);
    await also.waitFor('the CCD', isDefOf(ccd, 'CONNECTION'));
    await never.waitFor('the CCD', isDefOf(ccd, 'CONNECTION'));
    await only.waitFor('the telescope', isDefOf(telescope, 'CONNECTION'));

    also.send(connect(ccd));
    await also.waitFor('CCD_FRAME', isDefOf(ccd, 'CCD_FRAME'));
    also.send(
      `<newNumberVector device="${ccd}" name="CCD_FRAME"><oneNumber name="X">0</oneNumber><oneNumber name="Y">0</oneNumber>` +
        '<oneNumber name="WIDTH">160</oneNumber><oneNumber name="HEIGHT">128</oneNumber></newNumberVector>\n',
    );
    also.send(
      `<newNumberVector device="${ccd}" name="CCD_EXPOSURE"><oneNumber name="CCD_EXPOSURE_VALUE">0.1</oneNumber></newNumberVector>\n`,
    );

    const isImage = (message: IndiMessage): message is SetBlobVector =>
      message.type === 'setBLOBVector' && message.device === ccd && message.name === 'CCD1';
    const isExposureDone = (message: IndiMessage): boolean =>
      isSetOf(ccd, 'CCD_EXPOSURE')(message) && message.state === 'Ok';
    const image = await also.waitFor('the image (Also)', isImage, { timeout: 10_000 });
    const onlyImage = await only.waitFor('the image (Only)', isImage, { timeout: 10_000 });
    await never.waitFor('the end of the exposure (Never)', isExposureDone, { timeout: 10_000 });
    await also.waitFor('the end of the exposure (Also)', isExposureDone);

    for (const blob of [image, onlyImage]) {
      expect(blob.members).toHaveLength(1);
      const [member] = blob.members;
      expect(member).toMatchObject({ name: 'CCD1', format: '.fits' });
      expect(member!.size).toBeGreaterThanOrEqual(160 * 128 * 2);
      expect(decodeBlob(member!.value).length).toBe(member!.size);
    }
    expect(onlyImage.members[0]!.value).toBe(image.members[0]!.value);

    // Never: no BLOB, but the rest of the CCD's traffic.
    expect(never.received((message) => message.type === 'setBLOBVector')).toEqual([]);
    expect(never.received(isSetOf(ccd, 'CCD_EXPOSURE')).length).toBeGreaterThanOrEqual(2);
    // Also: both.
    expect(also.received(isImage)).toHaveLength(1);
    expect(also.received(isSetOf(ccd, 'CCD_EXPOSURE')).length).toBeGreaterThanOrEqual(2);
    // Only: of the CCD, nothing but its BLOBs; other devices as usual.
    const ccdTraffic = only.received((message) => 'device' in message && message.device === ccd);
    expect(ccdTraffic.map((message) => message.type)).toEqual(['setBLOBVector']);
    expect(
      only.received((message) => 'device' in message && message.device === telescope).length,
    ).toBeGreaterThan(10);
  });
});

describe('ten clients at once through rxindi', () => {
  it('all ten see the same updates; the eleventh is refused with the full-server message', async () => {
    const { port } = await startRxindi('indi_simulator_telescope');
    const clients = await Promise.all(Array.from({ length: 10 }, () => watcher(port)));
    await Promise.all(
      clients.map((client) => client.waitFor('the telescope', isDefOf(telescope, 'CONNECTION'))),
    );

    const eleventh = await RawIndiClient.connect(port);
    expect(await eleventh.waitForEnd()).toEqual({ type: 'end' });
    expect(eleventh.messages).toEqual([
      {
        type: 'message',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) as unknown,
        message:
          'rxindi: this server is full (10 clients); disconnect another client or raise --max-connections',
      },
    ]);

    // Connected, the simulator reports its coordinates every polling period.
    clients[0]!.send(connect(telescope));
    const isCoords = isSetOf(telescope, 'EQUATORIAL_EOD_COORD');
    await waitUntil('six coordinate updates', () => clients[0]!.received(isCoords).length >= 6, {
      timeout: 8000,
    });
    const window = clients[0]!.received(isCoords).slice(0, 6);
    for (const client of clients) {
      await waitUntil('the same updates on every client', () => client.received(isCoords).length >= 6);
      expect(client.received(isCoords).slice(0, 6)).toEqual(window);
      expect(client.isEnded).toBe(false);
    }
    // Values really changed over the window (not six copies of one message).
    expect(new Set(window.map((message) => message.timestamp)).size).toBeGreaterThan(1);
  });
});

describe('a driver killed under rxindi', () => {
  it('kill -9 of the telescope driver: clients get delProperty, the driver restarts, indi_getprop sees it again', async () => {
    const { cli, port } = await startRxindi('indi_simulator_telescope', 'indi_simulator_ccd');
    const client = await watcher(port);
    await client.waitFor('the telescope', isDefOf(telescope, 'CONNECTION'));
    await client.waitFor('the CCD', isDefOf(ccd, 'CONNECTION'));
    const [pid, ...others] = await childPids(cli.pid, 'indi_simulator_telescope');
    expect(others).toEqual([]);

    const from = client.messages.length;
    const kill = await run('kill', ['-9', String(pid)]);
    expect(kill.code).toBe(0);
    const deleted = await client.waitFor('delProperty', (message) => message.type === 'delProperty', {
      from,
    });
    expect(deleted).toEqual({ type: 'delProperty', device: telescope });
    await client.waitFor('the telescope again', isDefOf(telescope, 'CONNECTION'), { from });

    const restarted = await childPids(cli.pid, 'indi_simulator_telescope');
    expect(restarted).toHaveLength(1);
    expect(restarted[0]).not.toBe(pid);
    expect(pidRunning(pid!)).toBe(false);
    const seen = await waitForValues(port, { [`${telescope}.CONNECTION.CONNECT`]: 'Off' });
    expect(seen.get(`${telescope}.CONNECTION.CONNECT`)).toBe('Off');
    // Only the telescope was deleted; the CCD carried on.
    expect(client.messages.slice(from).filter((message) => message.type === 'delProperty')).toEqual([
      { type: 'delProperty', device: telescope },
    ]);
    expect(
      cli.stderr.some((line) =>
        line.includes(
          'Driver indi_simulator_telescope: driver indi_simulator_telescope was killed by SIGKILL',
        ),
      ),
    ).toBe(true);
  });
});
