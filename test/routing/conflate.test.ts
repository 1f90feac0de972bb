/**
 * Conflation for slow clients (indiserver has none; rxindi's socket sink uses
 * it while a client is behind): a queued `set*Vector` may be replaced by a
 * newer one of the same vector, when the client loses nothing by it.
 */
import { describe, expect, it } from 'vitest';
import type {
  IndiMessage,
  IndiMessageOf,
  IndiMessageType,
  SetLightVector,
  SetNumberVector,
  SetTextVector,
} from '../../src/protocol/messages.js';
import { conflate, conflationKey } from '../../src/routing/conflate.js';

const SCOPE = 'Telescope Simulator';
const COORD = 'EQUATORIAL_EOD_COORD';

/** One message of every element name, all about the same device and vector where they have one. */
const oneOfEach: { readonly [T in IndiMessageType]: IndiMessageOf<T> } = {
  defTextVector: {
    type: 'defTextVector',
    device: SCOPE,
    name: COORD,
    state: 'Idle',
    perm: 'ro',
    members: [{ name: 'SITE', value: 'Paris' }],
  },
  defNumberVector: {
    type: 'defNumberVector',
    device: SCOPE,
    name: COORD,
    state: 'Idle',
    perm: 'rw',
    members: [{ name: 'RA', format: '%010.6m', min: 0, max: 24, step: 0, value: 0 }],
  },
  defSwitchVector: {
    type: 'defSwitchVector',
    device: SCOPE,
    name: COORD,
    state: 'Idle',
    perm: 'rw',
    rule: 'OneOfMany',
    members: [{ name: 'ON', value: 'On' }],
  },
  defLightVector: {
    type: 'defLightVector',
    device: SCOPE,
    name: COORD,
    state: 'Idle',
    members: [{ name: 'OK', value: 'Ok' }],
  },
  defBLOBVector: {
    type: 'defBLOBVector',
    device: SCOPE,
    name: COORD,
    state: 'Idle',
    perm: 'ro',
    members: [{ name: 'CCD1' }],
  },
  setTextVector: {
    type: 'setTextVector',
    device: SCOPE,
    name: COORD,
    members: [{ name: 'SITE', value: 'Nice' }],
  },
  setNumberVector: {
    type: 'setNumberVector',
    device: SCOPE,
    name: COORD,
    members: [{ name: 'RA', value: 1 }],
  },
  setSwitchVector: {
    type: 'setSwitchVector',
    device: SCOPE,
    name: COORD,
    members: [{ name: 'ON', value: 'Off' }],
  },
  setLightVector: {
    type: 'setLightVector',
    device: SCOPE,
    name: COORD,
    members: [{ name: 'OK', value: 'Alert' }],
  },
  setBLOBVector: {
    type: 'setBLOBVector',
    device: SCOPE,
    name: COORD,
    members: [{ name: 'CCD1', size: 3, format: '.fits', value: 'AAAA' }],
  },
  newTextVector: {
    type: 'newTextVector',
    device: SCOPE,
    name: COORD,
    members: [{ name: 'SITE', value: 'Nice' }],
  },
  newNumberVector: {
    type: 'newNumberVector',
    device: SCOPE,
    name: COORD,
    members: [{ name: 'RA', value: 1 }],
  },
  newSwitchVector: {
    type: 'newSwitchVector',
    device: SCOPE,
    name: COORD,
    members: [{ name: 'ON', value: 'On' }],
  },
  newBLOBVector: {
    type: 'newBLOBVector',
    device: SCOPE,
    name: COORD,
    members: [{ name: 'CCD1', size: 3, format: '.fits', value: 'AAAA' }],
  },
  getProperties: { type: 'getProperties', version: '1.7', device: SCOPE, name: COORD },
  message: { type: 'message', device: SCOPE, message: 'Slewing' },
  delProperty: { type: 'delProperty', device: SCOPE, name: COORD },
  enableBLOB: { type: 'enableBLOB', device: SCOPE, name: COORD, mode: 'Also' },
  pingRequest: { type: 'pingRequest', uid: '1' },
  pingReply: { type: 'pingReply', uid: '1' },
};

const conflatable: ReadonlySet<IndiMessageType> = new Set([
  'setNumberVector',
  'setTextVector',
  'setLightVector',
]);

const coord = (
  members: SetNumberVector['members'],
  header: Partial<Omit<SetNumberVector, 'type' | 'members'>> = {},
): SetNumberVector => ({
  type: 'setNumberVector',
  device: SCOPE,
  name: COORD,
  state: 'Busy',
  ...header,
  members,
});

describe('conflationKey', () => {
  it.each(Object.values(oneOfEach).filter((message) => conflatable.has(message.type)))(
    'gives a $type the key of its device and vector',
    (message: IndiMessage) => {
      expect(conflationKey(message)).toBe('Telescope Simulator\u0000EQUATORIAL_EOD_COORD');
    },
  );

  it.each(Object.values(oneOfEach).filter((message) => !conflatable.has(message.type)))(
    'gives a $type no key: it is never conflated away',
    (message: IndiMessage) => {
      expect(conflationKey(message)).toBeUndefined();
    },
  );

  it('gives each vector of each device its own key', () => {
    const keys = [
      conflationKey({ type: 'setNumberVector', device: 'Scope A', name: 'B', members: [] }),
      conflationKey({ type: 'setNumberVector', device: 'Scope', name: 'A B', members: [] }),
      conflationKey({ type: 'setNumberVector', device: 'Scope', name: 'A', members: [] }),
      conflationKey({ type: 'setNumberVector', device: 'Scope 2', name: 'A', members: [] }),
    ];
    expect(new Set(keys).size).toBe(4);
  });

  it('gives a number, a text and a light update of the same vector the same key (conflate tells them apart)', () => {
    expect(conflationKey(oneOfEach.setTextVector)).toBe(conflationKey(oneOfEach.setNumberVector));
    expect(conflationKey(oneOfEach.setLightVector)).toBe(conflationKey(oneOfEach.setNumberVector));
  });
});

describe('conflate', () => {
  it('returns the newer update itself when it names every member of the older one', () => {
    const older = coord([
      { name: 'RA', value: 1 },
      { name: 'DEC', value: 10 },
    ]);
    const newer = coord(
      [
        { name: 'DEC', value: 20 },
        { name: 'RA', value: 2 },
      ],
      { timestamp: '2024-05-01T22:00:01' },
    );
    expect(conflate(older, newer)).toBe(newer);
  });

  it("merges the members: the newer values win, members only in the older one keep theirs, the older one's order first", () => {
    const older = coord([
      { name: 'RA', value: 1 },
      { name: 'DEC', value: 10 },
    ]);
    const newer = coord([
      { name: 'PIER', value: 0 },
      { name: 'RA', value: 2 },
    ]);
    expect(conflate(older, newer)).toStrictEqual(
      coord([
        { name: 'RA', value: 2 },
        { name: 'DEC', value: 10 },
        { name: 'PIER', value: 0 },
      ]),
    );
  });

  it('keeps the attributes of the newer update (timestamp, timeout, message)', () => {
    const older = coord(
      [
        { name: 'RA', value: 1 },
        { name: 'DEC', value: 10 },
      ],
      {
        timestamp: '2024-05-01T22:00:00',
        timeout: 60,
      },
    );
    const newer = coord([{ name: 'RA', value: 2 }], {
      timestamp: '2024-05-01T22:00:01',
      timeout: 30,
      message: 'Slewing to target',
    });
    expect(conflate(older, newer)).toStrictEqual(
      coord(
        [
          { name: 'RA', value: 2 },
          { name: 'DEC', value: 10 },
        ],
        { timestamp: '2024-05-01T22:00:01', timeout: 30, message: 'Slewing to target' },
      ),
    );
  });

  it('merges text and light updates the same way', () => {
    const text = (members: SetTextVector['members']): SetTextVector => ({
      type: 'setTextVector',
      device: SCOPE,
      name: 'SITE',
      state: 'Ok',
      members,
    });
    const lights = (members: SetLightVector['members']): SetLightVector => ({
      type: 'setLightVector',
      device: SCOPE,
      name: 'STATUS',
      state: 'Ok',
      members,
    });
    expect(
      conflate(
        text([
          { name: 'NAME', value: 'Paris' },
          { name: 'COUNTRY', value: 'FR' },
        ]),
        text([{ name: 'NAME', value: 'Nice' }]),
      ),
    ).toStrictEqual(
      text([
        { name: 'NAME', value: 'Nice' },
        { name: 'COUNTRY', value: 'FR' },
      ]),
    );
    expect(
      conflate(
        lights([
          { name: 'TRACKING', value: 'Busy' },
          { name: 'PARKED', value: 'Idle' },
        ]),
        lights([{ name: 'TRACKING', value: 'Ok' }]),
      ),
    ).toStrictEqual(
      lights([
        { name: 'TRACKING', value: 'Ok' },
        { name: 'PARKED', value: 'Idle' },
      ]),
    );
  });

  it('refuses when the state changes: the client must see the vector go through each state', () => {
    const older = coord([{ name: 'RA', value: 1 }], { state: 'Busy' });
    const newer = coord([{ name: 'RA', value: 2 }], { state: 'Ok' });
    expect(conflate(older, newer)).toBeUndefined();
  });

  it('conflates when the newer update sets a state the older one left unchanged', () => {
    const older = coord([{ name: 'RA', value: 1 }], { state: undefined });
    const newer = coord([{ name: 'RA', value: 2 }], { state: 'Ok' });
    expect(conflate(older, newer)).toBe(newer);
  });

  it("keeps the older update's state when the newer one has none", () => {
    const older = coord([{ name: 'RA', value: 1 }], { state: 'Busy' });
    const newer = coord([{ name: 'RA', value: 2 }], { state: undefined });
    expect(conflate(older, newer)).toEqual(coord([{ name: 'RA', value: 2 }], { state: 'Busy' }));
  });

  it("keeps the older update's min, max and step of a number the newer one only gives a value", () => {
    const older = coord([{ name: 'RA', value: 1, min: 0, max: 12, step: 0.5 }]);
    const newer = coord([{ name: 'RA', value: 2 }]);
    expect(conflate(older, newer)).toEqual(coord([{ name: 'RA', value: 2, min: 0, max: 12, step: 0.5 }]));
  });

  it('refuses when the older update carries a message text, which would be lost', () => {
    const older = coord([{ name: 'RA', value: 1 }], { message: 'Slew started' });
    const newer = coord([{ name: 'RA', value: 2 }]);
    expect(conflate(older, newer)).toBeUndefined();
  });

  it('conflates when only the newer update carries a message text, and keeps it', () => {
    const older = coord([
      { name: 'RA', value: 1 },
      { name: 'DEC', value: 10 },
    ]);
    const newer = coord([{ name: 'RA', value: 2 }], { message: 'Slew complete' });
    expect(conflate(older, newer)).toStrictEqual(
      coord(
        [
          { name: 'RA', value: 2 },
          { name: 'DEC', value: 10 },
        ],
        { message: 'Slew complete' },
      ),
    );
  });

  it('refuses two updates of different vectors or devices', () => {
    const older = coord([{ name: 'RA', value: 1 }]);
    expect(
      conflate(older, { ...coord([{ name: 'RA', value: 2 }]), name: 'HORIZONTAL_COORD' }),
    ).toBeUndefined();
    expect(
      conflate(older, { ...coord([{ name: 'RA', value: 2 }]), device: 'LX200 Classic' }),
    ).toBeUndefined();
  });

  it('refuses two updates of different types, even of the same vector', () => {
    expect(conflate(oneOfEach.setNumberVector, oneOfEach.setTextVector)).toBeUndefined();
    expect(conflate(oneOfEach.setTextVector, oneOfEach.setNumberVector)).toBeUndefined();
    expect(conflate(oneOfEach.setLightVector, oneOfEach.setNumberVector)).toBeUndefined();
  });

  it.each(Object.values(oneOfEach).filter((message) => !conflatable.has(message.type)))(
    'refuses two $type messages of the same vector',
    (message: IndiMessage) => {
      expect(conflate(message, message)).toBeUndefined();
    },
  );
});
