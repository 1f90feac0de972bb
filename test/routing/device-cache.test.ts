/**
 * DeviceCache: what the server remembers of the devices behind links and
 * peers, so that a client's `getProperties` for every device is answered here
 * rather than sent around a network (or a loop) of servers.
 *
 * Events are fed as routeTraffic would route them (each with the routing
 * state learned before it), but without the `delProperty` routeTraffic adds
 * before a close: here a close reaches the cache on its own.
 */
import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { LinePool } from '../../src/protocol/line-pool.js';
import { originalText } from '../../src/protocol/original-text.js';
import { parseIndi } from '../../src/protocol/parse-indi.js';
import type { DefNumberVector, DefSwitchVector, SetSwitchVector } from '../../src/protocol/messages.js';
import { DeviceCache } from '../../src/routing/device-cache.js';
import { emptyRoutingState, nextRoutingState } from '../../src/routing/routing-state.js';
import type { TrafficEvent } from '../../src/routing/traffic.js';
import {
  client,
  close,
  defBlob,
  defNumber,
  defSwitch,
  delProperty,
  driver,
  getProperties,
  message,
  msg,
  newNumber,
  remote,
  setBlob,
  setNumber,
} from '../../marbles/routing/helpers.js';

const TELESCOPE = 'Telescope Simulator';
const FOCUSER = 'Focuser Simulator';
const CCD = 'CCD Simulator';

const observatory = remote('observatory.local:7624');
const backup = remote('backup.local:7624');
const upstream = client('indiserver upstream');
const scope = driver('indi_simulator_telescope');
const kstars = client('KStars');

/** A cache, and a function that feeds it events with the routing state each is routed against. */
function learning(): { cache: DeviceCache; feed: (...events: TrafficEvent[]) => void } {
  const cache = new DeviceCache();
  let state = emptyRoutingState;
  const feed = (...events: TrafficEvent[]): void => {
    for (const event of events) {
      cache.learn({ state, event });
      state = nextRoutingState(state, event);
    }
  };
  return { cache, feed };
}

const coord = (ra: number, dec: number): DefNumberVector => ({
  type: 'defNumberVector',
  device: TELESCOPE,
  name: 'EQUATORIAL_EOD_COORD',
  group: 'Main Control',
  state: 'Idle',
  perm: 'rw',
  timeout: 60,
  timestamp: '2024-05-01T22:00:00',
  members: [
    { name: 'RA', format: '%010.6m', min: 0, max: 24, step: 0, value: ra },
    { name: 'DEC', format: '%010.6m', min: -90, max: 90, step: 0, value: dec },
  ],
});

describe('DeviceCache', () => {
  describe('answer', () => {
    it("answers a getProperties for every device with a link's definitions, device by device, vectors in their order", () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        msg(observatory, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
        msg(observatory, defSwitch(TELESCOPE, 'TELESCOPE_PARK')),
      );
      const all = [
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD'),
        defSwitch(TELESCOPE, 'TELESCOPE_PARK'),
        defNumber(FOCUSER, 'ABS_FOCUS_POSITION'),
      ];
      expect(cache.answer(getProperties(), kstars)).toStrictEqual(all);
      expect(cache.answer(getProperties('*'), kstars)).toStrictEqual(all);
      expect(cache.answer({ type: 'getProperties' }, kstars)).toStrictEqual(all);
    });

    it('answers with the devices of a peer (a server that linked to this one) too', () => {
      const { cache, feed } = learning();
      feed(msg(upstream, getProperties('*')), msg(upstream, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')));
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([defNumber(FOCUSER, 'ABS_FOCUS_POSITION')]);
    });

    it("does not answer with local drivers' devices: drivers answer for themselves", () => {
      const { cache, feed } = learning();
      feed(
        msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        msg(observatory, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
      );
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([defNumber(FOCUSER, 'ABS_FOCUS_POSITION')]);
    });

    it('does not answer a link or a peer with its own devices', () => {
      const { cache, feed } = learning();
      feed(
        msg(upstream, getProperties('*')),
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        msg(upstream, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
      );
      expect(cache.answer(getProperties('*'), upstream)).toStrictEqual([
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD'),
      ]);
      expect(cache.answer(getProperties(), observatory)).toStrictEqual([
        defNumber(FOCUSER, 'ABS_FOCUS_POSITION'),
      ]);
    });

    it('answers nothing to a getProperties for one device or one vector: that goes to the device owner', () => {
      const { cache, feed } = learning();
      feed(msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')));
      expect(cache.answer(getProperties(TELESCOPE), kstars)).toStrictEqual([]);
      expect(cache.answer(getProperties(TELESCOPE, 'EQUATORIAL_EOD_COORD'), kstars)).toStrictEqual([]);
    });

    it('answers nothing when nothing was learned', () => {
      expect(new DeviceCache().answer(getProperties(), kstars)).toStrictEqual([]);
    });
  });

  describe('learning values', () => {
    it("merges a set into the definition: state, timestamp, timeout, each named member's value and range", () => {
      const { cache, feed } = learning();
      const def = coord(0, 0);
      feed(
        msg(observatory, def),
        msg(observatory, {
          type: 'setNumberVector',
          device: TELESCOPE,
          name: 'EQUATORIAL_EOD_COORD',
          state: 'Busy',
          timeout: 30,
          timestamp: '2024-05-01T22:00:05',
          message: 'Slewing to target',
          members: [{ name: 'RA', value: 5.5, min: 1, max: 23, step: 0.25 }],
        }),
      );
      // The note of a set is not part of the definition: a client asking later was not there when it was said.
      expect(cache.answer(getProperties(), kstars)).toEqual([
        {
          ...coord(0, 0),
          state: 'Busy',
          timeout: 30,
          timestamp: '2024-05-01T22:00:05',
          members: [
            { name: 'RA', format: '%010.6m', min: 1, max: 23, step: 0.25, value: 5.5 },
            { name: 'DEC', format: '%010.6m', min: -90, max: 90, step: 0, value: 0 },
          ],
        },
      ]);
      expect(def).toStrictEqual(coord(0, 0));
    });

    it('keeps the state, timestamp and range of a definition that a set leaves out', () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, coord(0, 0)),
        msg(observatory, {
          type: 'setNumberVector',
          device: TELESCOPE,
          name: 'EQUATORIAL_EOD_COORD',
          members: [{ name: 'DEC', value: 45 }],
        }),
      );
      expect(cache.answer(getProperties(), kstars)).toEqual([coord(0, 45)]);
    });

    it('merges the latest of several sets, and switch sets too', () => {
      const { cache, feed } = learning();
      const connected: SetSwitchVector = {
        type: 'setSwitchVector',
        device: TELESCOPE,
        name: 'CONNECTION',
        state: 'Ok',
        members: [
          { name: 'CONNECT', value: 'On' },
          { name: 'DISCONNECT', value: 'Off' },
        ],
      };
      feed(
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 0)),
        msg(observatory, defSwitch(TELESCOPE, 'CONNECTION')),
        msg(observatory, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        msg(observatory, connected),
        msg(observatory, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 20)),
      );
      const expectedSwitch: DefSwitchVector = {
        ...defSwitch(TELESCOPE, 'CONNECTION'),
        state: 'Ok',
        members: [
          { name: 'CONNECT', value: 'On' },
          { name: 'DISCONNECT', value: 'Off' },
        ],
      };
      expect(cache.answer(getProperties(), kstars)).toEqual([
        { ...defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 20), state: 'Ok' },
        expectedSwitch,
      ]);
    });

    it('replaces a vector that is defined again, in its place', () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 1)),
        msg(observatory, defSwitch(TELESCOPE, 'CONNECTION')),
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 2)),
      );
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 2),
        defSwitch(TELESCOPE, 'CONNECTION'),
      ]);
    });

    it('ignores a set for a vector it has no definition of, and one of another kind than the definition', () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, setNumber(TELESCOPE, 'TELESCOPE_PARK', 1)),
        msg(observatory, defSwitch(TELESCOPE, 'CONNECTION')),
        msg(observatory, setNumber(TELESCOPE, 'CONNECTION', 1)),
        msg(observatory, setNumber(FOCUSER, 'ABS_FOCUS_POSITION', 1)),
      );
      expect(cache.answer(getProperties(), kstars)).toEqual([defSwitch(TELESCOPE, 'CONNECTION')]);
    });

    it('never keeps BLOB data: a setBLOBVector moves the state of the definition only', () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, defBlob(CCD, 'CCD1')),
        msg(observatory, setBlob(CCD, 'CCD1', 'U0lNUExFIEZJVFM=')),
      );
      const answer = cache.answer(getProperties(), kstars);
      expect(answer).toEqual([{ ...defBlob(CCD, 'CCD1'), state: 'Ok' }]);
      expect(JSON.stringify(answer)).not.toContain('U0lNUExFIEZJVFM=');
    });

    it('ignores the traffic that is not definitions or values: messages, requests, snoops', () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 1)),
        msg(observatory, message(TELESCOPE, 'Slew complete')),
        msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 99)),
        msg(observatory, getProperties(FOCUSER)),
        msg(upstream, getProperties('*')),
        msg(upstream, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 98)),
      );
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 1),
      ]);
    });
  });

  describe('forgetting', () => {
    it('forgets a vector on its delProperty, and the whole device on a delProperty without name', () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        msg(observatory, defSwitch(TELESCOPE, 'TELESCOPE_PARK')),
        msg(observatory, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
        msg(observatory, delProperty(TELESCOPE, 'TELESCOPE_PARK')),
      );
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD'),
        defNumber(FOCUSER, 'ABS_FOCUS_POSITION'),
      ]);
      feed(msg(observatory, delProperty(FOCUSER)));
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD'),
      ]);
    });

    it('learns a deleted device again when it is defined again, by another link too', () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 1)),
        msg(observatory, delProperty(FOCUSER)),
        msg(backup, defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 2)),
      );
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([
        defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 2),
      ]);
      // Now backup's: it is not answered its own device, observatory is.
      expect(cache.answer(getProperties(), backup)).toStrictEqual([]);
      expect(cache.answer(getProperties(), observatory)).toStrictEqual([
        defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 2),
      ]);
    });

    it('forgets every device of a channel that closes, and only those', () => {
      const { cache, feed } = learning();
      feed(
        msg(upstream, getProperties('*')),
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        msg(observatory, defNumber(CCD, 'CCD_EXPOSURE')),
        msg(upstream, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
        close(observatory),
      );
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([defNumber(FOCUSER, 'ABS_FOCUS_POSITION')]);
      feed(close(upstream));
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([]);
    });

    it('forgets nothing when a channel that owns nothing closes', () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        close(kstars),
        close(backup),
        close(scope),
      );
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD'),
      ]);
    });
  });

  describe('owners only', () => {
    it("ignores a second link's definitions, values and deletions of a device the first one owns", () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 1)),
        msg(backup, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 2)),
        msg(backup, defSwitch(TELESCOPE, 'TELESCOPE_PARK')),
        msg(backup, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 3)),
        msg(backup, delProperty(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        msg(backup, delProperty(TELESCOPE)),
      );
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 1),
      ]);
      // backup owns nothing here: it is answered observatory's device like anyone else.
      expect(cache.answer(getProperties(), backup)).toStrictEqual([
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 1),
      ]);
    });

    it("ignores a local driver's traffic for a device a link owns, and the link's for a driver's", () => {
      const { cache, feed } = learning();
      feed(
        msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 1)),
        msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 2)),
        msg(scope, delProperty(TELESCOPE)),
        msg(scope, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
        msg(observatory, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
      );
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([
        defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 1),
      ]);
    });

    it('ignores the definitions of a plain client, until it links as a peer', () => {
      const { cache, feed } = learning();
      feed(msg(upstream, defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 1)));
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([]);
      feed(msg(upstream, getProperties('*')), msg(upstream, defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 2)));
      expect(cache.answer(getProperties(), kstars)).toStrictEqual([
        defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 2),
      ]);
    });

    it('keeps a definition that arrived in pooled memory as it was, after the pool lends memory again', () => {
      const { cache, feed } = learning();
      feed(msg(upstream, getProperties('*')));
      const pool = new LinePool({ minBytes: 1024 });
      const notes = (name: string, text: string): string =>
        `<defTextVector device='${FOCUSER}' name='${name}' state='Idle' perm='ro'><defText name='TEXT'>${text}</defText></defTextVector>`;
      const definitions = [notes('NOTES', 'a'.repeat(4000)), notes('MORE_NOTES', 'b'.repeat(4000))];
      for (const xml of definitions) {
        of(Buffer.from(xml))
          .pipe(parseIndi({ linePool: pool }))
          .subscribe((definition) => feed(msg(upstream, definition)));
      }
      const cached = cache.answer(getProperties(), kstars);
      expect(cached.map((definition) => Buffer.from(originalText(definition) ?? []).toString())).toEqual(
        definitions,
      );
    });
  });
});
