/**
 * A tree of three rxindi servers, each with one libindi simulator:
 *
 *   A (telescope)  ◀──  B (focuser) --remote A  ◀──  C (filter wheel) --remote B
 *
 * Every server serves all three devices and controls each of them; when the
 * middle server dies the far devices are deleted for C's clients, and when it
 * comes back on the same port C links again by itself (its reconnect delay
 * growing from 500 ms) and the devices return, with their current state.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { removeTempDirs, tempDir } from '../helpers/processes.js';
import { pidRunning } from '../helpers/wait-until.js';
import {
  deviceNames,
  devicesSeen,
  expectRunning,
  isAbout,
  killServer,
  requireIndilib,
  setProp,
  startRxindi,
  stopAll,
  switchValue,
  waitForDevices,
  waitForProp,
  type ServerProcess,
} from './helpers.js';

const telescope = 'Telescope Simulator';
const focuser = 'Focuser Simulator';
const wheel = 'Filter Simulator';
const all = [telescope, focuser, wheel].sort();

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

/** A, B linked to A, C linked to B; resolves once C's link to B is up. */
async function startTree(home: string): Promise<{ a: ServerProcess; b: ServerProcess; c: ServerProcess }> {
  const a = await startRxindi('A', ['indi_simulator_telescope'], { home });
  const b = await startRxindi('B', ['--remote', `localhost:${a.port}`, 'indi_simulator_focus'], { home });
  const c = await startRxindi('C', ['--remote', `localhost:${b.port}`, 'indi_simulator_wheel'], { home });
  await c.process.waitForStderr(/Remote localhost:\d+: connected$/);
  return { a, b, c };
}

const deleted =
  (device: string) =>
  (message: IndiMessage): boolean =>
    message.type === 'delProperty' && message.device === device && message.name === undefined;

describe('a tree of three rxindi servers', () => {
  it('serves every device at every server, and controls each from a server that does not run it', async () => {
    const { a, b, c } = await startTree(tempDir());
    // C first, before any plain client of B makes B's focuser define itself again: C links
    // to B with `getProperties device='*'` (indiserver's chaining signature), which B must
    // pass to its drivers as a plain getProperties, since indi_simulator_focus answers
    // nothing to device='*' (the telescope, wheel and CCD simulators do).
    expect(await devicesSeen(c, all)).toEqual(all);
    await waitForDevices(a, all);
    await waitForDevices(b, all);

    // Each device controlled from a server that does not run it, observed at its home.
    await setProp(a, `${wheel}.CONNECTION.CONNECT=On`); // two links away
    await waitForProp(c, `${wheel}.CONNECTION.CONNECT`, 'On');
    await setProp(a, `${focuser}.CONNECTION.CONNECT=On`);
    await waitForProp(b, `${focuser}.CONNECTION.CONNECT`, 'On');
    await setProp(a, `${focuser}.ABS_FOCUS_POSITION.FOCUS_ABSOLUTE_POSITION=31000`);
    await waitForProp(b, `${focuser}.ABS_FOCUS_POSITION.FOCUS_ABSOLUTE_POSITION`, '31000');
    await setProp(c, `${telescope}.CONNECTION.CONNECT=On`); // two links away, the other way
    await waitForProp(a, `${telescope}.CONNECTION.CONNECT`, 'On');
    await waitForProp(b, `${telescope}.CONNECTION.CONNECT`, 'On');
    expectRunning(a, b, c);
  }, 60_000);

  it('the middle server dies: far devices are deleted at C; it comes back: C links again by itself', async () => {
    const home = tempDir();
    const { a, b, c } = await startTree(home);
    await waitForDevices(a, all);
    await setProp(a, `${telescope}.CONNECTION.CONNECT=On`);
    await waitForProp(a, `${telescope}.CONNECTION.CONNECT`, 'On');

    // A client of C that asked for everything.
    const client = await RawIndiClient.connect(c.port, 'localhost');
    client.send("<getProperties version='1.7'/>");
    for (const device of [telescope, wheel]) {
      await client.waitFor(`${device} at C`, isAbout(['defSwitchVector'], device, 'CONNECTION'));
    }
    await client.waitFor(
      'the telescope connected, seen at C',
      (message) =>
        isAbout(['defSwitchVector', 'setSwitchVector'], telescope, 'CONNECTION')(message) &&
        switchValue(message, 'CONNECT') === 'On',
    );
    await client.waitFor(`${focuser} at C`, isAbout(['defSwitchVector'], focuser, 'CONNECTION'));

    // B dies (with its focuser): the devices behind it are deleted for C's clients.
    const beforeKill = client.messages.length;
    const linkLines = c.process.stderr.length;
    await killServer(b);
    await client.waitFor('the telescope deleted at C', deleted(telescope), { from: beforeKill });
    await client.waitFor('the focuser deleted at C', deleted(focuser), { from: beforeKill });
    expect(client.received(deleted(wheel))).toEqual([]);
    await c.process.waitForStderr(/Remote localhost:\d+: .*retrying in 500 ms/, { from: linkLines });
    // A new client of C is not offered the dead devices (no stale cache).
    expect(await deviceNames(c)).toEqual([wheel]);

    // B comes back on the same port; nothing else is restarted.
    const restarted = client.messages.length;
    const b2 = await startRxindi('B again', ['--remote', `localhost:${a.port}`, 'indi_simulator_focus'], {
      home,
      port: b.port,
    });
    await client.waitFor('the telescope back at C', isAbout(['defSwitchVector'], telescope, 'CONNECTION'), {
      from: restarted,
      timeout: 15_000,
    });
    // The telescope comes back as it is at A: still connected.
    await waitForProp(c, `${telescope}.CONNECTION.CONNECT`, 'On');

    // C retried by itself, waiting longer each time: 500 ms, 1000 ms, …, then linked once.
    const linkLog = c.process.stderr.slice(linkLines);
    const retries = linkLog
      .map((line) => /Remote localhost:\d+: .*retrying in (\d+) ms/.exec(line)?.[1])
      .filter((delay): delay is string => delay !== undefined)
      .map(Number);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries).toEqual(retries.map((_, attempt) => 500 * 2 ** attempt));
    expect(linkLog.filter((line) => /Remote localhost:\d+: connected$/.test(line))).toHaveLength(1);

    // Control through the new B works again, both ways.
    await setProp(c, `${telescope}.CONNECTION.DISCONNECT=On`);
    await waitForProp(a, `${telescope}.CONNECTION.CONNECT`, 'Off');
    await setProp(a, `${wheel}.CONNECTION.CONNECT=On`);
    await waitForProp(c, `${wheel}.CONNECTION.CONNECT`, 'On');

    // B's new focuser too, though it was defined before C linked again.
    expect(await devicesSeen(c, all)).toEqual(all);
    expect(pidRunning(b.pid)).toBe(false);
    expectRunning(a, b2, c);
  }, 70_000);
});
