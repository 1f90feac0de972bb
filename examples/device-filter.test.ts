/**
 * examples/device-filter.ts in front of indilib's indiserver running the
 * telescope and focuser simulators, allowing the telescope only: through the
 * filter, indilib's clients and raw sockets see the telescope as the one
 * device there is; the focuser cannot be listed, changed or snooped on, and
 * whoever asks for it is told so.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { IndiMessage, Message, SetSwitchVector } from '../src/index.js';
import { RawIndiClient } from '../test/helpers/indi-client.js';
import { killAllProcesses, removeTempDirs, run } from '../test/helpers/processes.js';
import { waitUntil } from '../test/helpers/wait-until.js';
import { getprop, setprop } from '../test/helpers/indi-tools.js';
import {
  runExample,
  startExample,
  startIndiserver,
  stopExample,
  type RunningExample,
} from './support/start-example.js';

const SCOPE = 'Telescope Simulator';
const FOCUS = 'Focuser Simulator';
const REFUSAL: Message = {
  type: 'message',
  message: `device filter: ${FOCUS} is not served here; this server shows only ${SCOPE}`,
};

afterEach(async () => {
  await RawIndiClient.closeAll();
  await killAllProcesses();
  removeTempDirs();
});

/** indiserver with the telescope and focuser simulators, once it serves both. */
const startUpstream = (): Promise<number> =>
  startIndiserver(
    ['indi_simulator_telescope', 'indi_simulator_focus'],
    ['*.CONNECTION.CONNECT'],
    (values) => values.has(`${SCOPE}.CONNECTION.CONNECT`) && values.has(`${FOCUS}.CONNECTION.CONNECT`),
  );

/** The filter (examples/device-filter.ts --allow SCOPE), once it relays the telescope. */
async function startFilter(upstream: number): Promise<RunningExample> {
  const running = await startExample('device-filter', [
    '--upstream',
    `127.0.0.1:${String(upstream)}`,
    '--allow',
    SCOPE,
  ]);
  await waitUntil(
    'the telescope through the filter',
    async () => (await getprop(running.port, [`${SCOPE}.CONNECTION.*`])).has(`${SCOPE}.CONNECTION.CONNECT`),
    { timeout: 10_000, interval: 200 },
  );
  return running;
}

const connectIs =
  (device: string, value: 'On' | 'Off') =>
  (message: IndiMessage): message is SetSwitchVector =>
    message.type === 'setSwitchVector' &&
    message.device === device &&
    message.name === 'CONNECTION' &&
    message.members.some((member) => member.name === 'CONNECT' && member.value === value);

/** A note naming no device: the refusal, or (none here) a note for everyone. */
const isNote = (message: IndiMessage): message is Message =>
  message.type === 'message' && message.device === undefined;
const namesFocuser = (message: IndiMessage): boolean => 'device' in message && message.device === FOCUS;

/** `device.CONNECTION.CONNECT` as indi_getprop reads it from `port`. */
async function connectOf(port: number, device: string): Promise<string | undefined> {
  return (await getprop(port, [`${device}.CONNECTION.*`])).get(`${device}.CONNECTION.CONNECT`);
}

describe('examples/device-filter.ts', () => {
  it('lists the allowed device only: indi_getprop finds the focuser upstream, not through the filter', async () => {
    const upstream = await startUpstream();
    const running = await startFilter(upstream);
    const { port } = running;

    const everything = await getprop(upstream);
    const scope = await getprop(upstream, [`${SCOPE}.*.*`]);
    expect(scope.size).toBeGreaterThan(10);
    expect([...everything.keys()].filter((key) => key.startsWith(`${FOCUS}.`)).length).toBeGreaterThan(10);

    const filtered = await getprop(port);
    expect([...filtered.keys()].sort()).toEqual([...scope.keys()].sort());

    // Asked for by name, the focuser is unknown here, exactly as an absent device is to indiserver.
    expect(await run('indi_getprop', ['-p', String(port), '-t', '1', `${FOCUS}.*.*`])).toEqual({
      code: 1,
      stdout: '',
      stderr: `No ${FOCUS}.*.* from localhost:${String(port)}`,
    });

    expect(await stopExample(running)).toEqual({ code: 0, signal: undefined });
  });

  it('without --allow, says how to run it and exits 2', async () => {
    expect(await runExample('device-filter', 0, ['--upstream', 'localhost:7624'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'usage: device-filter.ts --port P --upstream HOST:PORT --allow DEVICE [--allow DEVICE ...]',
    });
  });

  it('carries out indi_setprop for the telescope, never for the focuser', async () => {
    const upstream = await startUpstream();
    const { port } = await startFilter(upstream);

    // indi_setprop looks the focuser's CONNECTION up first, and finds none.
    expect(await setprop(port, `${FOCUS}.CONNECTION.CONNECT=On`)).toEqual({
      code: 1,
      stderr: `No ${FOCUS}.CONNECTION.CONNECT from localhost:${String(port)}`,
    });
    // Sent blind (-s), on one connection: the focuser's request, then the telescope's.
    expect(
      await setprop(port, '-s', `${FOCUS}.CONNECTION.CONNECT=On`, '-s', `${SCOPE}.CONNECTION.CONNECT=On`),
    ).toEqual({ code: 0, stderr: '' });
    await waitUntil(
      'the telescope to connect upstream',
      async () => (await connectOf(upstream, SCOPE)) === 'On',
      {
        timeout: 10_000,
        interval: 200,
      },
    );
    await sleep(1000);
    expect(await connectOf(upstream, FOCUS)).toBe('Off');

    // The same blind request, straight to the upstream, does connect the focuser.
    expect(await setprop(upstream, '-s', `${FOCUS}.CONNECTION.CONNECT=On`)).toEqual({ code: 0, stderr: '' });
    await waitUntil(
      'the focuser to connect upstream',
      async () => (await connectOf(upstream, FOCUS)) === 'On',
      {
        timeout: 10_000,
        interval: 200,
      },
    );
  });

  it('refuses requests naming the focuser to their sender alone, and nothing of it reaches anyone', async () => {
    const upstream = await startUpstream();
    const { port } = await startFilter(upstream);

    const [kstars, phd2, snooper] = [
      await RawIndiClient.connect(port),
      await RawIndiClient.connect(port),
      await RawIndiClient.connect(port),
    ];
    for (const watcher of [kstars, phd2]) {
      watcher.send('<getProperties version="1.7"/>');
      await watcher.waitFor('CONNECTION', (m) => m.type === 'defSwitchVector' && m.name === 'CONNECTION');
    }
    expect(kstars.received(namesFocuser)).toEqual([]);

    // A new* for the focuser: its sender is told, in those words; no one else hears of it.
    kstars.send(
      `<newSwitchVector device="${FOCUS}" name="CONNECTION"><oneSwitch name="CONNECT">On</oneSwitch></newSwitchVector>`,
    );
    expect(await kstars.waitFor('the refusal', isNote)).toEqual(REFUSAL);
    // A snoop on the focuser (as a driver asks for another device's traffic) gets the refusal only.
    snooper.send(`<getProperties version="1.7" device="${FOCUS}"/>`);
    await snooper.waitFor('the refusal', isNote);

    // Both devices connect upstream: the telescope's traffic comes through, the focuser's does not.
    expect(await setprop(upstream, `${FOCUS}.CONNECTION.CONNECT=On`)).toEqual({ code: 0, stderr: '' });
    expect(await setprop(upstream, `${SCOPE}.CONNECTION.CONNECT=On`)).toEqual({ code: 0, stderr: '' });
    await kstars.waitFor('the telescope connected', connectIs(SCOPE, 'On'));
    await phd2.waitFor('the telescope connected', connectIs(SCOPE, 'On'));
    expect(await connectOf(upstream, FOCUS)).toBe('On');
    await sleep(1000);

    expect(kstars.received(namesFocuser)).toEqual([]);
    expect(phd2.received(namesFocuser)).toEqual([]);
    expect(kstars.received(isNote)).toEqual([REFUSAL]);
    expect(phd2.received(isNote)).toEqual([]);
    expect(snooper.messages).toEqual([REFUSAL]);
  });
});
