/**
 * The client's picture of the devices: definitions merged with updates,
 * deletions honoured, unchanged parts kept by identity.
 */
import { describe, expect, it } from 'vitest';
import { memberValues } from '../../src/protocol/member-values.js';
import { nextIndiDevices, noDevices, type IndiDevices } from '../../src/client/indi-devices.js';
import type { DefNumberVector, DefSwitchVector, IndiMessage } from '../../src/protocol/messages.js';

const connection: DefSwitchVector = {
  type: 'defSwitchVector',
  device: 'Telescope',
  name: 'CONNECTION',
  state: 'Idle',
  perm: 'rw',
  rule: 'OneOfMany',
  timeout: 60,
  members: [
    { name: 'CONNECT', label: 'Connect', value: 'Off' },
    { name: 'DISCONNECT', label: 'Disconnect', value: 'On' },
  ],
};
const coordinates: DefNumberVector = {
  type: 'defNumberVector',
  device: 'Telescope',
  name: 'EQUATORIAL_EOD_COORD',
  state: 'Idle',
  perm: 'rw',
  members: [{ name: 'RA', format: '%010.6m', min: 0, max: 24, step: 0, value: 0 }],
};

const after = (...messages: IndiMessage[]): IndiDevices => messages.reduce(nextIndiDevices, noDevices);

describe('nextIndiDevices', () => {
  it('merges a set into its definition: values, state, timeout, timestamp, message, number range', () => {
    const devices = after(
      connection,
      coordinates,
      {
        type: 'setSwitchVector',
        device: 'Telescope',
        name: 'CONNECTION',
        state: 'Ok',
        timestamp: '2025-06-01T12:00:00',
        message: 'connected',
        members: [{ name: 'CONNECT', value: 'On' }],
      },
      {
        type: 'setNumberVector',
        device: 'Telescope',
        name: 'EQUATORIAL_EOD_COORD',
        timeout: 5,
        members: [{ name: 'RA', value: 3, max: 12 }],
      },
    );
    expect(devices.get('Telescope')?.get('CONNECTION')).toEqual({
      ...connection,
      state: 'Ok',
      timestamp: '2025-06-01T12:00:00',
      message: 'connected',
      members: [
        { name: 'CONNECT', label: 'Connect', value: 'On' },
        { name: 'DISCONNECT', label: 'Disconnect', value: 'On' },
      ],
    });
    expect(devices.get('Telescope')?.get('EQUATORIAL_EOD_COORD')).toEqual({
      ...coordinates,
      timeout: 5,
      members: [{ name: 'RA', format: '%010.6m', min: 0, max: 12, step: 0, value: 3 }],
    });
  });

  it('ignores sets of unknown vectors or of another kind, and messages that change nothing', () => {
    const devices = after(connection);
    const unknown: IndiMessage = { type: 'setSwitchVector', device: 'Telescope', name: 'NOPE', members: [] };
    const wrongKind: IndiMessage = {
      type: 'setTextVector',
      device: 'Telescope',
      name: 'CONNECTION',
      members: [],
    };
    expect(nextIndiDevices(devices, unknown)).toBe(devices);
    expect(nextIndiDevices(devices, wrongKind)).toBe(devices);
    expect(nextIndiDevices(devices, { type: 'message', device: 'Telescope', message: 'hi' })).toBe(devices);
  });

  it('honours deletions of a vector and of a device', () => {
    expect([
      ...after(connection, coordinates, { type: 'delProperty', device: 'Telescope', name: 'CONNECTION' })
        .get('Telescope')!
        .keys(),
    ]).toEqual(['EQUATORIAL_EOD_COORD']);
    expect(
      after(connection, coordinates, { type: 'delProperty', device: 'Telescope' }).has('Telescope'),
    ).toBe(false);
    expect(
      after(connection, { type: 'delProperty', device: 'Telescope', name: 'CONNECTION' }).has('Telescope'),
    ).toBe(false);
  });

  it('keeps other vectors by identity', () => {
    const before = after(connection, coordinates);
    const next = nextIndiDevices(before, {
      type: 'setSwitchVector',
      device: 'Telescope',
      name: 'CONNECTION',
      state: 'Busy',
      members: [],
    });
    expect(next.get('Telescope')?.get('EQUATORIAL_EOD_COORD')).toBe(
      before.get('Telescope')?.get('EQUATORIAL_EOD_COORD'),
    );
  });
});

describe('memberValues', () => {
  it('reads values by member name', () => {
    expect(memberValues(connection)).toEqual({ CONNECT: 'Off', DISCONNECT: 'On' });
    expect(
      memberValues({
        type: 'defBLOBVector',
        device: 'CCD',
        name: 'CCD1',
        state: 'Idle',
        perm: 'ro',
        members: [{ name: 'CCD1' }],
      }),
    ).toEqual({});
  });
});
