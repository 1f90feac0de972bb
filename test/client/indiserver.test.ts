/**
 * Interop: the client against indilib's own `indiserver` running
 * `indi_simulator_telescope`: connect, ask for properties, wait for the
 * CONNECTION vector, switch CONNECT On and see it become On; requests its
 * definitions would refuse are refused before they are sent; and with
 * `reconnect`, the client comes back after indiserver is stopped and started
 * again on the same port.
 */
import { filter, firstValueFrom, map, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectIndi, type IndiClient } from '../../src/client/connect-indi.js';
import { memberValues } from '../../src/protocol/member-values.js';
import { SendRefusedError } from '../../src/client/send-refused-error.js';
import type { ChannelEvent } from '../../src/channels/channel.js';
import type { DefVector } from '../../src/protocol/messages.js';
import { startIndiserver, startIndiserverOn, type RunningIndiserver } from '../driver/fixtures/indiserver.js';
import { waitUntil } from '../helpers/wait-until.js';

const device = 'Telescope Simulator';
let indiserver: RunningIndiserver;
let client: IndiClient;

const connection = (check: (vector: DefVector) => boolean): Promise<DefVector> =>
  firstValueFrom(
    client.watch(device, 'CONNECTION').pipe(
      filter((vector): vector is DefVector => vector !== undefined && check(vector)),
      timeout({ first: 10_000 }),
    ),
  );

beforeAll(async () => {
  indiserver = await startIndiserver('indi_simulator_telescope');
  client = connectIndi({ port: indiserver.port });
});
afterAll(async () => {
  await client.close();
  await indiserver.stop();
});

describe('connectIndi against indiserver', () => {
  it('connects the telescope simulator', async () => {
    client.getProperties();
    const initial = await connection(() => true);
    expect(initial).toMatchObject({ type: 'defSwitchVector', device, name: 'CONNECTION', rule: 'OneOfMany' });
    expect(memberValues(initial)).toEqual({ CONNECT: 'Off', DISCONNECT: 'On' });
    client.setSwitch(device, 'CONNECTION', { CONNECT: 'On' });
    const connected = await connection((vector) => memberValues(vector).CONNECT === 'On');
    expect(connected.state).toBe('Ok');
    expect(memberValues(connected)).toEqual({ CONNECT: 'On', DISCONNECT: 'Off' });
    // Once connected, the simulator defines its mount properties.
    await firstValueFrom(
      client.watch(device, 'EQUATORIAL_EOD_COORD').pipe(
        filter((vector) => vector !== undefined),
        timeout({ first: 10_000 }),
      ),
    );
  });

  it('refuses, before sending, what the simulator would refuse: unknown member, a Dec of 200, a read-only vector', async () => {
    const coordinates = await firstValueFrom(client.watch(device, 'EQUATORIAL_EOD_COORD'));
    const refused = (send: () => void) => {
      try {
        send();
      } catch (error) {
        if (error instanceof SendRefusedError) {
          const { message, device: at, vector, member, rule } = error;
          return { message, device: at, vector, member, rule };
        }
        throw error;
      }
      return 'sent';
    };
    expect(refused(() => client.setNumber(device, 'EQUATORIAL_EOD_COORD', { RA: 1, AZ: 3 }))).toEqual({
      message: 'Telescope Simulator.EQUATORIAL_EOD_COORD not sent: no member AZ',
      device,
      vector: 'EQUATORIAL_EOD_COORD',
      member: 'AZ',
      rule: 'unknownMember',
    });
    expect(refused(() => client.setNumber(device, 'EQUATORIAL_EOD_COORD', { RA: 1, DEC: 200 }))).toEqual({
      message: 'Telescope Simulator.EQUATORIAL_EOD_COORD not sent: DEC = 200 is outside the range -90 to 90',
      device,
      vector: 'EQUATORIAL_EOD_COORD',
      member: 'DEC',
      rule: 'outOfRange',
    });
    expect(refused(() => client.setText(device, 'DRIVER_INFO', { DRIVER_NAME: 'mine' }))).toEqual({
      message: 'Telescope Simulator.DRIVER_INFO not sent: the vector is read-only',
      device,
      vector: 'DRIVER_INFO',
      member: undefined,
      rule: 'readOnly',
    });
    // Nothing reached the simulator: it would have answered (Alert, or a slew).
    await new Promise((settled) => setTimeout(settled, 300));
    expect(await firstValueFrom(client.watch(device, 'EQUATORIAL_EOD_COORD'))).toMatchObject({
      state: coordinates?.state,
    });
  });

  it('disconnects it again, and the connected-only properties are deleted', async () => {
    client.setSwitch(device, 'CONNECTION', { DISCONNECT: 'On' });
    await connection((vector) => memberValues(vector).DISCONNECT === 'On');
    await firstValueFrom(
      client.watch(device, 'EQUATORIAL_EOD_COORD').pipe(
        filter((vector) => vector === undefined),
        timeout({ first: 10_000 }),
      ),
    );
  });
});

describe('connectIndi with reconnect against indiserver', () => {
  it('sees the telescope again after indiserver is stopped and started again on the same port', async () => {
    let server = await startIndiserver('indi_simulator_telescope');
    const { port } = server;
    const reconnecting = connectIndi({
      host: '127.0.0.1',
      port,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    const events: ChannelEvent['type'][] = [];
    reconnecting.events$.subscribe((event) => events.push(event.type));
    const known = (): Promise<boolean> =>
      firstValueFrom(
        reconnecting.devices$.pipe(map((devices) => devices.get(device)?.has('CONNECTION') === true)),
      );
    try {
      reconnecting.getProperties();
      await waitUntil('the telescope', known, { timeout: 10_000 });
      await server.stop();
      await waitUntil('the telescope to be forgotten', async () => !(await known()));
      expect(events.slice(0, 2)).toEqual(['linkUp', 'linkDown']);
      server = await startIndiserverOn(port, 'indi_simulator_telescope');
      await waitUntil('the telescope again', known, { timeout: 10_000 });
      expect(events.at(-1)).toBe('linkUp');
      // The new definitions are what the client checks against.
      expect(() => reconnecting.setNumber(device, 'CONNECTION', { CONNECT: 1 })).toThrow(
        'Telescope Simulator.CONNECTION not sent: it is a switch vector, not a number vector',
      );
    } finally {
      await reconnecting.close();
      await server.stop();
    }
  });
});
