/**
 * A loop of three rxindi servers (A → C, B → A, C → B: each links to the
 * next), each with one libindi simulator. Every server serves every device,
 * and traffic does not circulate: a device's updates reach each server's
 * clients once, at the rate the driver sends them, and the servers' work
 * stays flat after a request, instead of growing as a circulating flood would.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { freePort } from '../helpers/free-port.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { removeTempDirs, tempDir } from '../helpers/processes.js';
import {
  cpuSeconds,
  devicesSeen,
  expectRunning,
  isAbout,
  requireIndilib,
  setProp,
  startRxindi,
  stopAll,
  switchValue,
  type ServerProcess,
} from './helpers.js';

const telescope = 'Telescope Simulator';
const focuser = 'Focuser Simulator';
const wheel = 'Filter Simulator';
const all = [telescope, focuser, wheel].sort();
/** Seconds of each measuring window. */
const windowSeconds = 3;

beforeAll(() =>
  requireIndilib([
    'indi_getprop',
    'indi_setprop',
    'indi_simulator_telescope',
    'indi_simulator_focus',
    'indi_simulator_wheel',
  ]),
);
afterEach(() => stopAll());
afterAll(() => removeTempDirs());

/** Three distinct ports that were free a moment ago (each server's link names the next one's port before it runs). */
async function threePorts(): Promise<[number, number, number]> {
  for (;;) {
    const ports = [await freePort(), await freePort(), await freePort()] as const;
    if (new Set(ports).size === 3) return [...ports];
  }
}

const isEodCoord = isAbout(['setNumberVector'], telescope, 'EQUATORIAL_EOD_COORD');
const isConnectRequest = (message: IndiMessage): boolean =>
  isAbout(['newSwitchVector'], telescope, 'CONNECTION')(message) && switchValue(message, 'CONNECT') === 'On';

interface Window {
  /** Messages each server's client received in the window. */
  readonly messages: number[];
  /** The telescope's coordinate updates each client received in the window. */
  readonly coordinates: number[];
  /** CPU seconds each server used in the window. */
  readonly cpu: number[];
}

/** What each server's client received, and what each server worked, over `windowSeconds`. */
async function measure(
  servers: readonly ServerProcess[],
  clients: readonly RawIndiClient[],
): Promise<Window> {
  const messagesAt = clients.map((client) => client.messages.length);
  const cpuAt = servers.map((server) => cpuSeconds(server.pid));
  await sleep(windowSeconds * 1000);
  return {
    messages: clients.map((client, at) => client.messages.length - (messagesAt[at] ?? 0)),
    coordinates: clients.map((client, at) => client.messages.slice(messagesAt[at]).filter(isEodCoord).length),
    cpu: servers.map((server, at) => cpuSeconds(server.pid) - (cpuAt[at] ?? 0)),
  };
}

describe('a loop of three rxindi servers', () => {
  it('serves every device everywhere, and one request does not make traffic circulate', async () => {
    const home = tempDir();
    const [portA, portB, portC] = await threePorts();
    const servers = await Promise.all([
      startRxindi('A', ['--remote', `localhost:${portC}`, 'indi_simulator_telescope'], { home, port: portA }),
      startRxindi('B', ['--remote', `localhost:${portA}`, 'indi_simulator_focus'], { home, port: portB }),
      startRxindi('C', ['--remote', `localhost:${portB}`, 'indi_simulator_wheel'], { home, port: portC }),
    ]);
    const [a, b, c] = servers;
    await Promise.all(
      servers.map((server) => server.process.waitForStderr(/Remote localhost:\d+: connected$/)),
    );
    const seen = await Promise.all(servers.map((server) => devicesSeen(server, all, 10_000)));
    expect(seen).toEqual([all, all, all]);

    // A client at every server that asked for everything.
    const clients = await Promise.all(
      servers.map((server) => RawIndiClient.connect(server.port, 'localhost')),
    );
    for (const client of clients) client.send("<getProperties version='1.7'/>");
    for (const client of clients) {
      for (const device of all)
        await client.waitFor(device, isAbout(['defSwitchVector'], device, 'CONNECTION'));
    }
    const quiet = await measure(servers, clients);

    // One request at B for the telescope of A: connecting it starts its stream of updates.
    await setProp(b, `${telescope}.CONNECTION.CONNECT=On`);
    for (const client of clients) {
      await client.waitFor(
        'the telescope connected',
        (message) =>
          isAbout(['setSwitchVector'], telescope, 'CONNECTION')(message) &&
          switchValue(message, 'CONNECT') === 'On',
      );
    }
    await sleep(1000);
    const first = await measure(servers, clients);
    const second = await measure(servers, clients);
    const report = JSON.stringify({ quiet, first, second });

    // The telescope's coordinates reach every server's client once per update of the driver
    // (indi_simulator_telescope polls every 250 ms): as many at B and C as at A, its home.
    // Over both windows, so that updates in flight at a window's edge matter little.
    const coordinates = first.coordinates.map((count, at) => count + (second.coordinates[at] ?? 0));
    const [atA = 0] = coordinates;
    expect(atA, report).toBeGreaterThanOrEqual(2 * windowSeconds * 2);
    expect(atA, report).toBeLessThanOrEqual(2 * windowSeconds * 6);
    for (const count of coordinates) expect(Math.abs(count - atA), report).toBeLessThanOrEqual(4);
    // Everything a client receives stays at the driver's own pace, and does not grow.
    for (const [at, count] of first.messages.entries()) {
      expect(count, report).toBeLessThanOrEqual(windowSeconds * 30);
      expect(second.messages[at] ?? 0, report).toBeLessThanOrEqual(count * 1.5 + 5);
    }
    // The servers are nearly idle (a circulating flood keeps a core busy).
    for (const [at, seconds] of first.cpu.entries()) {
      expect(seconds, report).toBeLessThan(windowSeconds * 0.5);
      expect(second.cpu[at] ?? 0, report).toBeLessThan(windowSeconds * 0.5);
    }

    // The request itself reached the telescope's home once, and went no further: each server
    // it passed echoes it once to its own clients. B (where it was sent) and A (the driver's
    // home) saw it once; C saw it at most once, when B learned the telescope the long way
    // round, from C, first (the first server to define a device owns it).
    const echoes = clients.map((client) => client.received(isConnectRequest).length);
    expect(echoes.slice(0, 2), report).toEqual([1, 1]);
    expect(echoes[2], report).toBeLessThanOrEqual(1);
    expectRunning(a, b, c);
  }, 60_000);
});
