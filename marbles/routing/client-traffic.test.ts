/**
 * What a client is sent: the drivers' `def*`, `set*`, `delProperty` and
 * `message` (INDI 1.7) for the devices and vectors it asked for with
 * `getProperties` (nothing of any device until it asks, as indiserver), the
 * other clients' `new*` for those devices (indiserver echoes them), every
 * `message` meant for everyone, and never a driver's snoop `getProperties`.
 * (BLOBs are held back by default: see blob-policy.test.ts.)
 */
import { share } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { deliverTo } from '../../src/routing/deliver-to.js';
import { routeTraffic } from '../../src/routing/route-traffic.js';
import {
  client,
  defNumber,
  defSwitch,
  delProperty,
  driver,
  getProperties,
  message,
  msg,
  newNumber,
  sent,
  setNumber,
  testScheduler,
} from './helpers.js';

const TELESCOPE = 'Telescope Simulator';
const CCD = 'CCD Simulator';
const FOCUSER = 'Focuser Simulator';

const scope = driver('indi_simulator_telescope');
const ccd = driver('indi_simulator_ccd');
const focuser = driver('indi_simulator_focus');
const kstars = client('KStars');
const phd2 = client('PHD2');

describe('traffic to clients', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it("sends every client that asked for everything a driver's def, set, message and delProperty", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        p: msg(phd2, getProperties()),
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        m: msg(scope, message(TELESCOPE, 'Slewing to RA 10h')),
        v: msg(scope, delProperty(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        x: msg(scope, delProperty(TELESCOPE)),
      };
      // prettier-ignore
      const traffic  = '-(kp)-d-s-m-v-x',
            toKStars = '------d-s-m-v-x',
            toPhd2   = '------d-s-m-v-x';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
    });
  });

  it('sends a client that never sent getProperties no device traffic, but messages meant for everyone', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        m: msg(scope, message(TELESCOPE, 'Slew complete')),
        n: msg(scope, message(undefined, 'Telescope driver restarting')),
      };
      // prettier-ignore
      const traffic  = '-d-s-m-n',
            toKStars = '-------n';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('sends a message without a device to every client, whatever each asked for, and to no driver', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        g: msg(phd2, getProperties(CCD)),
        m: msg(scope, message(undefined, 'Telescope driver restarting')),
      };
      // PHD2 asked for the CCD only, KStars for nothing; the CCD driver snoops nothing.
      // prettier-ignore
      const traffic  = '-c-g-m',
            toKStars = '-----m',
            toPhd2   = '-----m',
            toCcd    = '---g--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it("echoes a client's new* to the other clients that asked for the device, not back to the sender", () => {
    const getprop = client('indi_getprop');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        p: msg(phd2, getProperties()),
        g: msg(getprop, getProperties(CCD)),
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        q: msg(phd2, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 20)),
      };
      // prettier-ignore
      const traffic   = '-(kpg)-d-n-q',
            toKStars  = '-------d---q',
            toPhd2    = '-------d-n--',
            toGetprop = '------------',
            toScope   = '-(kpg)---n-q';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
      expectObservable(routed$.pipe(deliverTo(getprop))).toBe(toGetprop);
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
    });
  });

  it("never sends a client a driver's snoop getProperties", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        g: msg(ccd, getProperties(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        a: msg(ccd, getProperties()),
      };
      // prettier-ignore
      const traffic  = '-k-d-g-a',
            toKStars = '---d----',
            toScope  = '-k---g-a';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
    });
  });

  it('sends a client that asked for one device only that device’s traffic', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        g: msg(phd2, getProperties(CCD)),
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 1)),
        m: msg(scope, message(TELESCOPE, 'Slew complete')),
        n: msg(ccd, message(CCD, 'Exposure done')),
      };
      // KStars, which asked for every device, gets everything.
      // prettier-ignore
      const traffic  = '-(kg)-t-c-s-e-m-n',
            toPhd2   = '--------c---e---n',
            toKStars = '------t-c-s-e-m-n';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('sends a client that asked for one vector only that vector’s traffic', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(phd2, getProperties(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(scope, defSwitch(TELESCOPE, 'CONNECTION')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        p: msg(scope, setNumber(TELESCOPE, 'TELESCOPE_PARK', 1)),
        x: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 1)),
        v: msg(scope, delProperty(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        w: msg(scope, delProperty(TELESCOPE, 'CONNECTION')),
      };
      // prettier-ignore
      const traffic = '-g-d-c-s-p-x-v-w',
            toPhd2  = '---d---s-----v--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
    });
  });

  it('widens a client’s interest with each getProperties it sends', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(phd2, getProperties(CCD)),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        h: msg(phd2, getProperties(TELESCOPE)),
        t: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 11)),
        f: msg(focuser, setNumber(FOCUSER, 'ABS_FOCUS_POSITION', 3000)),
        a: msg(phd2, getProperties()),
        q: msg(focuser, setNumber(FOCUSER, 'ABS_FOCUS_POSITION', 3100)),
      };
      // prettier-ignore
      const traffic = '-g-s-h-t-f-a-q',
            toPhd2  = '-------t-----q';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
    });
  });
});
