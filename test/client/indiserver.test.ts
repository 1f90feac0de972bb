/**
 * Interop: the client against indilib's own `indiserver` running
 * `indi_simulator_telescope`: connect, ask for properties, wait for the
 * CONNECTION vector, switch CONNECT On and see it become On.
 */
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectIndi, type IndiClient } from '../../src/client/connect-indi.js';
import { memberValues } from '../../src/client/member-values.js';
import type { DefVector } from '../../src/protocol/messages.js';
import { startIndiserver, type RunningIndiserver } from '../driver/fixtures/indiserver.js';

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
