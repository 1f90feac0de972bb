/**
 * What a client is sent: every driver's `def*`, `set*`, `delProperty` and
 * `message` (INDI 1.7 §4), the other clients' `new*` (indiserver echoes them),
 * never a driver's snoop `getProperties`; narrowed to the devices and
 * vectors it asked for with `getProperties`, once it asked for something.
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

const scope = driver('indi_simulator_telescope');
const ccd = driver('indi_simulator_ccd');
const kstars = client('KStars');
const phd2 = client('PHD2');

describe('traffic to clients', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it("sends every client a driver's def, set, message and delProperty", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        m: msg(scope, message(TELESCOPE, 'Slewing to RA 10h')),
        v: msg(scope, delProperty(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        x: msg(scope, delProperty(TELESCOPE)),
      };
      const traffic  = '-d-s-m-v-x';
      const toKStars = '-d-s-m-v-x';
      const toPhd2   = '-d-s-m-v-x';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
    });
  });

  it('sends a message without a device to every client, whatever each asked for, and to no driver', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        g: msg(phd2, getProperties(CCD)),
        m: msg(scope, message(undefined, 'Telescope driver restarting')),
      };
      const traffic  = '-c-g-m';
      const toKStars = '-c---m';
      const toPhd2   = '-c---m';
      const toCcd    = '---g--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it("echoes a client's new* to the other clients, not back to the sender", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        p: msg(phd2, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 20)),
      };
      const traffic  = '-d-n-p';
      const toKStars = '-d---p';
      const toPhd2   = '-d-n--';
      const toScope  = '---n-p';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
    });
  });

  it("never sends a client a driver's snoop getProperties", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        g: msg(ccd, getProperties(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        a: msg(ccd, getProperties()),
      };
      const traffic  = '-d-g-a';
      const toKStars = '-d----';
      const toScope  = '---g-a';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
    });
  });

  it('sends a client that never sent getProperties all device traffic', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 1)),
      };
      const traffic  = '-t-c-s-e';
      const toKStars = '-t-c-s-e';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('sends a client that asked for one device only that device’s traffic', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(phd2, getProperties(CCD)),
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 1)),
        m: msg(scope, message(TELESCOPE, 'Slew complete')),
        n: msg(ccd, message(CCD, 'Exposure done')),
      };
      // KStars, which asked for nothing in particular, still gets everything.
      const traffic  = '-g-t-c-s-e-m-n';
      const toPhd2   = '-----c---e---n';
      const toKStars = '---t-c-s-e-m-n';

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
      const traffic = '-g-d-c-s-p-x-v-w';
      const toPhd2  = '---d---s-----v--';

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
        f: msg(driver('indi_simulator_focus'), setNumber('Focuser Simulator', 'ABS_FOCUS_POSITION', 3000)),
        a: msg(phd2, getProperties()),
        q: msg(driver('indi_simulator_focus'), setNumber('Focuser Simulator', 'ABS_FOCUS_POSITION', 3100)),
      };
      const traffic = '-g-s-h-t-f-a-q';
      const toPhd2  = '-------t-----q';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
    });
  });
});
