/**
 * examples/read-only-mirror.ts in front of indilib's indiserver running the
 * telescope simulator: indilib's clients and raw sockets see the telescope
 * through the mirror, nothing they send changes it, the one who tried is told
 * so, and changes made upstream reach them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { IndiMessage, Message, SetSwitchVector } from '../src/index.js';
import { RawIndiClient } from '../test/helpers/indi-client.js';
import { killAllProcesses, removeTempDirs } from '../test/helpers/processes.js';
import { getprop, setprop } from '../test/helpers/indi-tools.js';
import { startExample, startTelescopeIndiserver, stopExample } from './support/start-example.js';

const SCOPE = 'Telescope Simulator';
const REFUSAL = `read-only mirror: ${SCOPE}.CONNECTION cannot be changed here`;
const NEW_CONNECT = `<newSwitchVector device="${SCOPE}" name="CONNECTION"><oneSwitch name="CONNECT">On</oneSwitch></newSwitchVector>`;

afterEach(async () => {
  await RawIndiClient.closeAll();
  await killAllProcesses();
  removeTempDirs();
});

const isRefusal = (message: IndiMessage): message is Message =>
  message.type === 'message' && message.message === REFUSAL;
const connectIs =
  (value: 'On' | 'Off') =>
  (message: IndiMessage): message is SetSwitchVector =>
    message.type === 'setSwitchVector' &&
    message.name === 'CONNECTION' &&
    message.members.some((member) => member.name === 'CONNECT' && member.value === value);

/** A raw client of the mirror that asked for everything and has the telescope's CONNECTION. */
async function watcher(port: number): Promise<RawIndiClient> {
  const client = await RawIndiClient.connect(port);
  client.send('<getProperties version="1.7"/>');
  await client.waitFor('CONNECTION', (m) => m.type === 'defSwitchVector' && m.name === 'CONNECTION');
  return client;
}

describe('examples/read-only-mirror.ts', () => {
  it('shows the upstream, refuses changes to the sender alone, and relays changes made upstream', async () => {
    const upstream = await startTelescopeIndiserver();
    const mirror = await startExample('read-only-mirror', ['--upstream', `127.0.0.1:${String(upstream)}`]);
    const { port } = mirror;

    // indi_getprop through the mirror lists exactly the telescope's properties.
    const direct = await getprop(upstream, [`${SCOPE}.*.*`]);
    const mirrored = await getprop(port, [`${SCOPE}.*.*`]);
    expect(direct.size).toBeGreaterThan(10);
    expect([...mirrored.keys()].sort()).toEqual([...direct.keys()].sort());
    expect(mirrored.get(`${SCOPE}.CONNECTION.CONNECT`)).toBe('Off');

    // indi_setprop through the mirror: accepted on the wire, no effect upstream.
    expect(await setprop(port, `${SCOPE}.CONNECTION.CONNECT=On`)).toEqual({ code: 0, stderr: '' });
    await sleep(1000);
    expect((await getprop(upstream, [`${SCOPE}.CONNECTION.*`])).get(`${SCOPE}.CONNECTION.CONNECT`)).toBe(
      'Off',
    );

    // A raw client's newSwitchVector: it alone is told, and nothing reaches the others or upstream.
    const [kstars, phd2] = [await watcher(port), await watcher(port)];
    kstars.send(NEW_CONNECT);
    expect(await kstars.waitFor('the refusal', isRefusal)).toEqual({
      type: 'message',
      device: SCOPE,
      message: REFUSAL,
    });
    await sleep(1000);
    expect(phd2.received(isRefusal)).toEqual([]);
    expect(phd2.received((m) => m.type === 'newSwitchVector')).toEqual([]);
    expect([...kstars.received(connectIs('On')), ...phd2.received(connectIs('On'))]).toEqual([]);
    expect((await getprop(upstream, [`${SCOPE}.CONNECTION.*`])).get(`${SCOPE}.CONNECTION.CONNECT`)).toBe(
      'Off',
    );

    // Connecting the telescope upstream reaches every client of the mirror.
    expect(await setprop(upstream, `${SCOPE}.CONNECTION.CONNECT=On`)).toEqual({ code: 0, stderr: '' });
    await kstars.waitFor('CONNECT=On', connectIs('On'));
    await phd2.waitFor('CONNECT=On', connectIs('On'));
    expect((await getprop(port, [`${SCOPE}.CONNECTION.*`])).get(`${SCOPE}.CONNECTION.CONNECT`)).toBe('On');

    // SIGTERM stops the mirror gracefully.
    expect(await stopExample(mirror)).toEqual({ code: 0, signal: undefined });
  });
});
