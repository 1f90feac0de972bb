/**
 * The throttle's operator (examples/throttle-updates.ts), on what one client
 * is sent: each property's set*Vector updates at most maxHz times a second,
 * the first at once and the latest of each window at its end; changes of
 * state, definitions, deletions, messages, switches and BLOBs at once, and
 * never before an update of their own property that was held.
 *
 * Most diagrams use maxHz = 200: a window is 5 frames (5 ms), short enough to draw.
 */
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import type { PropertyState, SetNumberVector, SetSwitchVector } from '../src/index.js';
import { throttleUpdates } from '../examples/throttle-updates.js';
import { defNumber, delProperty, message, setBlob, testScheduler } from './routing/helpers.js';

const SCOPE = 'Telescope Simulator';

/** The telescope's position (some of RA, DEC), as it sends it while slewing. */
const coords = (
  values: Readonly<Record<string, number>>,
  state: PropertyState = 'Busy',
): SetNumberVector => ({
  type: 'setNumberVector',
  device: SCOPE,
  name: 'EQUATORIAL_EOD_COORD',
  state,
  members: Object.entries(values).map(([name, value]) => ({ name, value })),
});

/** The tracking switch, turned on: switches are never merged, so never held. */
const trackOn: SetSwitchVector = {
  type: 'setSwitchVector',
  device: SCOPE,
  name: 'TELESCOPE_TRACK_STATE',
  state: 'Ok',
  members: [{ name: 'TRACK_ON', value: 'On' }],
};

/** The telescope's ALT/AZ position: another property of the same device. */
const horizontal = (alt: number): SetNumberVector => ({
  type: 'setNumberVector',
  device: SCOPE,
  name: 'HORIZONTAL_COORD',
  state: 'Busy',
  members: [{ name: 'ALT', value: alt }],
});

describe('throttle', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it('at 2 Hz, five updates in 0.8 s arrive as three: the first at once, then the latest of each half second', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const updates = {
        a: coords({ RA: 1 }),
        b: coords({ RA: 2 }),
        c: coords({ RA: 3 }),
        d: coords({ RA: 4 }),
        e: coords({ RA: 5 }),
      };
      // prettier-ignore
      const fromUpstream = '-a 199ms b 199ms c 199ms d 199ms e',
            toClient     = '-a 499ms c 499ms e';
      expectObservable(hot(fromUpstream, updates).pipe(throttleUpdates(2))).toBe(toClient, updates);
    });
  });

  it('merges what a window held, so members updated one at a time all arrive; after a quiet window the next goes at once', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const updates = {
        a: coords({ RA: 1, DEC: 1 }),
        b: coords({ RA: 2 }),
        c: coords({ DEC: 2 }),
        d: coords({ RA: 3 }),
        e: coords({ RA: 4 }),
      };
      // prettier-ignore
      const fromUpstream = '-abcd-------e-',
            toClient     = '-a----x-----e-';
      expectObservable(hot(fromUpstream, updates).pipe(throttleUpdates(200))).toBe(toClient, {
        ...updates,
        x: coords({ RA: 3, DEC: 2 }),
      });
    });
  });

  it('passes messages, switches and BLOBs at once; a definition sends what its property held first', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const traffic = {
        a: coords({ RA: 1 }),
        b: coords({ RA: 2 }),
        m: message(SCOPE, 'Slewing to RA 2'),
        s: trackOn,
        i: setBlob('CCD Simulator', 'CCD1'),
        d: defNumber(SCOPE, 'EQUATORIAL_EOD_COORD'),
        f: coords({ RA: 3 }),
      };
      // A window of 10 frames here (maxHz = 100), to draw them all within it.
      // prettier-ignore
      const fromUpstream = '-abmsid--------f-',
            toClient     = '-a-msi(bd)-----f-';
      expectObservable(hot(fromUpstream, traffic).pipe(throttleUpdates(100))).toBe(toClient, traffic);
    });
  });

  it('a deletion of the device sends what each of its properties held first', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const traffic = {
        a: coords({ RA: 1 }),
        h: horizontal(10),
        b: coords({ RA: 2 }),
        g: horizontal(20),
        x: delProperty(SCOPE),
        c: coords({ RA: 3 }),
      };
      // prettier-ignore
      const fromUpstream = '-ahbgx-------c-',
            toClient     = '-ah--(bgx)---c-';
      expectObservable(hot(fromUpstream, traffic).pipe(throttleUpdates(200))).toBe(toClient, traffic);
    });
  });

  it('a change of state goes at once, after the update its property held, and opens a new window', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const updates = {
        a: coords({ RA: 1 }),
        b: coords({ RA: 2 }),
        c: coords({ RA: 3 }),
        o: coords({ RA: 3 }, 'Ok'),
        p: coords({ RA: 4 }, 'Ok'),
      };
      // prettier-ignore
      const fromUpstream = '-abco-p------',
            toClient     = '-a--(co)-p---';
      expectObservable(hot(fromUpstream, updates).pipe(throttleUpdates(200))).toBe(toClient, updates);
    });
  });

  it('a change of state with nothing held goes at once too', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const updates = { a: coords({ RA: 1 }), o: coords({ RA: 1 }, 'Alert') };
      // prettier-ignore
      const fromUpstream = '-ao---',
            toClient     = '-ao---';
      expectObservable(hot(fromUpstream, updates).pipe(throttleUpdates(200))).toBe(toClient, updates);
    });
  });

  it('gives each property its own window', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const updates = {
        a: coords({ RA: 1 }),
        b: coords({ RA: 2 }),
        c: coords({ RA: 3 }),
        f: horizontal(10),
        g: horizontal(20),
        h: horizontal(30),
      };
      // prettier-ignore
      const fromUpstream = '-af-bg-ch----',
            toClient     = '-af---bg---ch';
      expectObservable(hot(fromUpstream, updates).pipe(throttleUpdates(200))).toBe(toClient, updates);
    });
  });

  it('ends with its client: what was held is not sent after the deliveries end', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const updates = { a: coords({ RA: 1 }), b: coords({ RA: 2 }) };
      // prettier-ignore
      const fromUpstream = '-ab|',
            toClient     = '-a-|';
      expectObservable(hot(fromUpstream, updates).pipe(throttleUpdates(200))).toBe(toClient, updates);
    });
  });
});
