/**
 * Device ownership: the first driver (or link) to define a device owns it,
 * and client requests for that device go to it alone.
 *
 * INDI 1.7 §4: a server routes `new*Vector` and `getProperties device=X` to
 * the driver of device X, and `getProperties` without a device to every driver.
 */
import { share } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { deliverTo } from '../../src/routing/deliver-to.js';
import { routeTraffic } from '../../src/routing/route-traffic.js';
import {
  client,
  close,
  defNumber,
  delProperty,
  driver,
  getProperties,
  message,
  msg,
  newNumber,
  newSwitch,
  sent,
  setNumber,
  testScheduler,
} from './helpers.js';

const TELESCOPE = 'Telescope Simulator';
const CCD = 'CCD Simulator';

const scope = driver('indi_simulator_telescope');
const ccd = driver('indi_simulator_ccd');
const kstars = client('KStars');

describe('device ownership', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it("sends a client's new*Vector only to the driver that defined the device", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        x: msg(kstars, newNumber(CCD, 'CCD_EXPOSURE', 1)),
      };
      const traffic = '-t-c-n-x';
      const toScope = '-----n--';
      const toCcd   = '-------x';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it('sends a new*Vector for a device nobody defined to no driver', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        f: msg(kstars, newSwitch('Focuser Simulator', 'CONNECTION')),
      };
      const traffic = '-t-c-f';
      const toScope = '------';
      const toCcd   = '------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope);
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd);
    });
  });

  it('sends getProperties for a known device to its owner only', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        g: msg(kstars, getProperties(CCD)),
        v: msg(kstars, getProperties(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
      };
      const traffic = '-t-c-g-v';
      const toScope = '-------v';
      const toCcd   = '-----g--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it('sends getProperties for a device nobody has defined yet to every driver', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(kstars, getProperties(CCD)),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        h: msg(kstars, getProperties(CCD)),
      };
      const traffic = '-g-c-h';
      const toScope = '-g----';
      const toCcd   = '-g---h';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it("sends getProperties without a device, or with device '*', to every driver, owned devices or not", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        g: msg(kstars, getProperties()),
        s: msg(kstars, getProperties('*')),
      };
      const traffic = '-t-c-g-s';
      const toScope = '-----g-s';
      const toCcd   = '-----g-s';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it("always sends a driver getProperties version='1.7', whatever version the client sent", () => {
    // libindi drivers exit on a missing version or one newer than theirs.
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        b: msg(kstars, { type: 'getProperties' }),
        n: msg(kstars, { type: 'getProperties', version: '2.0' }),
        d: msg(kstars, { type: 'getProperties', version: '2.0', device: TELESCOPE, name: 'EQUATORIAL_EOD_COORD' }),
      };
      const traffic = '-t-b-n-d';
      const toScope = '---b-n-d';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, {
        b: { type: 'getProperties', version: '1.7' },
        n: { type: 'getProperties', version: '1.7' },
        d: { type: 'getProperties', version: '1.7', device: TELESCOPE, name: 'EQUATORIAL_EOD_COORD' },
      });
    });
  });

  it('keeps the device owned when its driver deletes one of its vectors', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        p: msg(scope, defNumber(TELESCOPE, 'TELESCOPE_PARK')),
        d: msg(scope, delProperty(TELESCOPE, 'TELESCOPE_PARK')),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        g: msg(kstars, getProperties(TELESCOPE)),
      };
      const traffic = '-t-p-d-n-g';
      const toScope = '-------n-g';
      const toCcd   = '----------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd);
    });
  });

  it('frees the device when its driver deletes all of it: the next driver to define it owns it', () => {
    const rival = driver('indi_lx200generic');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        d: msg(scope, delProperty(TELESCOPE)),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        r: msg(rival, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        m: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 20)),
      };
      const traffic  = '-t-d-n-r-m';
      const toScope  = '----------';
      const toRival  = '---------m';
      const toKStars = '-t-d---r--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope);
      expectObservable(routed$.pipe(deliverTo(rival))).toBe(toRival, sent(events));
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('does not serve a second driver that defines a device already owned: its traffic for it reaches nobody', () => {
    const impostor = driver('indi_lx200generic');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        g: msg(ccd, getProperties(TELESCOPE)),
        i: msg(impostor, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 99)),
        j: msg(impostor, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 99)),
        k: msg(impostor, message(TELESCOPE, 'Mount parked')),
        l: msg(impostor, delProperty(TELESCOPE)),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
      };
      // The snooping CCD driver stands for every other recipient: it is sent the owner's traffic, not the impostor's.
      const traffic    = '-t-g-i-j-k-l-n-s';
      const toKStars   = '-t-------------s';
      const toCcd      = '---------------s';
      const toScope    = '---g---------n--';
      const toImpostor = '----------------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(impostor))).toBe(toImpostor);
    });
  });

  it('frees the devices of a driver that closes: requests for them go to every driver again, new* to none', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        g: msg(kstars, getProperties(TELESCOPE)),
        z: close(scope),
        h: msg(kstars, getProperties(TELESCOPE)),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
      };
      const traffic = '-t-c-g-z-h-n';
      const toScope = '-----g-|';
      const toCcd   = '---------h--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });
});
