/**
 * Two devices with the same name behind two links: one rxindi linked to two
 * indiservers that each serve indi_simulator_telescope ('Telescope
 * Simulator'). The device of the first link to define it is served; the
 * other's traffic arrives but reaches no client, none of the requests go to
 * it, and nothing stops: both links stay up, every process keeps running.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { IndiServer, type TrafficRecord } from '../../src/server/indi-server.js';
import type { ServerEvent } from '../../src/server/serve.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { removeTempDirs, tempDir } from '../helpers/processes.js';
import {
  expectRunning,
  getProps,
  isAbout,
  requireIndilib,
  setProp,
  startIndiserver,
  stopAll,
  switchValue,
  waitForProp,
} from './helpers.js';

const telescope = 'Telescope Simulator';
const connect = `${telescope}.CONNECTION.CONNECT`;

const servers: IndiServer[] = [];
beforeAll(() => requireIndilib(['indiserver', 'indi_getprop', 'indi_setprop', 'indi_simulator_telescope']));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.shutdown()));
  await stopAll();
});
afterAll(() => removeTempDirs());

const isCoordinates = isAbout(['defNumberVector', 'setNumberVector'], telescope, 'EQUATORIAL_EOD_COORD');
const isConnected = (message: IndiMessage): boolean =>
  isAbout(['defSwitchVector', 'setSwitchVector'], telescope, 'CONNECTION')(message) &&
  switchValue(message, 'CONNECT') === 'On';

describe('the same device name behind two links', () => {
  it("serves the first link's device; the second one's traffic reaches no client, and nothing stops", async () => {
    const home = tempDir();
    const [first, second] = await Promise.all([
      startIndiserver('indiserver 1', ['indi_simulator_telescope'], { home }),
      startIndiserver('indiserver 2', ['indi_simulator_telescope'], { home }),
    ]);
    // The second telescope is connected at its own server: it streams its coordinates.
    await setProp(second, `${connect}=On`);
    await waitForProp(second, connect, 'On');

    const rxindi = new IndiServer({ port: 0 });
    servers.push(rxindi);
    const records: TrafficRecord[] = [];
    const events: ServerEvent[] = [];
    rxindi.traffic$.subscribe((record) => records.push(record));
    rxindi.events$.subscribe((event) => events.push(event));
    void rxindi.run();
    const port = await rxindi.listen();
    const client = await RawIndiClient.connect(port, 'localhost');
    client.send("<getProperties version='1.7'/>");

    // The first link defines the telescope first; only then is the second link made.
    const firstLink = rxindi.addRemote('localhost', first.port);
    await client.waitFor('the first telescope', isAbout(['defSwitchVector'], telescope, 'CONNECTION'));
    const secondLink = rxindi.addRemote('localhost', second.port);
    const fromSecond = (record: TrafficRecord): boolean =>
      record.channel === secondLink && record.direction === 'in';
    await sleep(2000);

    // The second telescope's traffic did arrive through its link…
    expect(records.filter(fromSecond).some((record) => isConnected(record.message))).toBe(true);
    expect(
      records.filter(fromSecond).filter((record) => isCoordinates(record.message)).length,
    ).toBeGreaterThan(2);
    // …and reached no client: neither its connection state nor its coordinates.
    expect(client.received((message) => isConnected(message) || isCoordinates(message))).toEqual([]);
    expect(client.received(isAbout(['defSwitchVector'], telescope, 'CONNECTION'))).toHaveLength(1);

    // Requests go to the first link's telescope only.
    client.send(
      `<newSwitchVector device='${telescope}' name='CONNECTION'><oneSwitch name='CONNECT'>On</oneSwitch></newSwitchVector>`,
    );
    await client.waitFor('the first telescope connected', isConnected);
    await waitForProp(first, connect, 'On');
    client.send(
      `<newNumberVector device='${telescope}' name='EQUATORIAL_EOD_COORD'><oneNumber name='RA'>3</oneNumber><oneNumber name='DEC'>80</oneNumber></newNumberVector>`,
    );
    await client.waitFor(
      'the first telescope slewing',
      isAbout(['setNumberVector'], telescope, 'TARGET_EOD_COORD'),
    );
    const target = [`${telescope}.TARGET_EOD_COORD.RA`, `${telescope}.TARGET_EOD_COORD.DEC`];
    const atFirst = await getProps(first, target);
    expect(target.map((key) => atFirst.get(key))).toEqual(['3', '80']);
    const atSecond = await getProps(second, target);
    expect(target.map((key) => atSecond.get(key))).toEqual(['0', '0']);
    const requests = records.filter(
      (record) => record.direction === 'out' && record.message.type.startsWith('new'),
    );
    expect(requests.filter((record) => record.channel === secondLink)).toEqual([]);
    expect(
      requests.filter((record) => record.channel === firstLink).map((record) => record.message.type),
    ).toEqual(['newSwitchVector', 'newNumberVector']);

    // Nothing stopped: each link came up once and never went down; every process runs.
    const linkEvents = events.filter((event) => event.type === 'linkUp' || event.type === 'linkDown');
    expect(linkEvents.map((event) => [event.type, event.channel])).toEqual([
      ['linkUp', firstLink],
      ['linkUp', secondLink],
    ]);
    expect(events.filter((event) => event.type === 'disconnected')).toEqual([]);
    expectRunning(first, second);
  }, 45_000);
});
