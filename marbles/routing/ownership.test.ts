/**
 * Device ownership: the first driver (or link) to define a device owns it,
 * and client requests for that device go to it alone.
 *
 * INDI 1.7: a server routes `new*Vector` and `getProperties device=X` to
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
      // prettier-ignore
      const traffic = '-t-c-n-x',
            toScope = '-----n--',
            toCcd   = '-------x';

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
      // prettier-ignore
      const traffic = '-t-c-f',
            toScope = '------',
            toCcd   = '------';

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
      // prettier-ignore
      const traffic = '-t-c-g-v',
            toScope = '-------v',
            toCcd   = '-----g--';

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
      // prettier-ignore
      const traffic = '-g-c-h',
            toScope = '-g----',
            toCcd   = '-g---h';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it("sends getProperties without a device, or with device '*', to every driver, owned devices or not", () => {
    // device '*' is how indiserver announces itself when it chains to this server.
    const upstream = client('indiserver upstream');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        g: msg(kstars, getProperties()),
        s: msg(upstream, getProperties('*')),
      };
      // prettier-ignore
      const traffic = '-t-c-g-s',
            toScope = '-----g-a',
            toCcd   = '-----g-a';

      // Drivers understand no device, not '*': they get a plain getProperties.
      const delivered = { ...sent(events), a: { type: 'getProperties', version: '1.7' } };
      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, delivered);
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, delivered);
    });
  });

  it("always sends a driver getProperties version='1.7', whatever version the client sent", () => {
    // libindi drivers exit on a missing version or one newer than theirs.
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        b: msg(kstars, { type: 'getProperties' }),
        n: msg(kstars, { type: 'getProperties', version: '2.0' }),
        d: msg(kstars, {
          type: 'getProperties',
          version: '2.0',
          device: TELESCOPE,
          name: 'EQUATORIAL_EOD_COORD',
        }),
      };
      // prettier-ignore
      const traffic = '-t-b-n-d',
            toScope = '---b-n-d';

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
      // prettier-ignore
      const traffic = '-t-p-d-n-g',
            toScope = '-------n-g',
            toCcd   = '----------';

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
        g: msg(kstars, getProperties()),
        d: msg(scope, delProperty(TELESCOPE)),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        r: msg(rival, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        m: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 20)),
      };
      // prettier-ignore
      const traffic  = '-t-g-d-n-r-m',
            toScope  = '---g--------',
            toRival  = '---g-------m',
            toKStars = '-----d---r--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(rival))).toBe(toRival, sent(events));
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('does not serve a second driver that defines a device already owned: its traffic for it reaches nobody', () => {
    const impostor = driver('indi_lx200generic');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        g: msg(ccd, getProperties(TELESCOPE)),
        i: msg(impostor, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 99)),
        j: msg(impostor, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 99)),
        m: msg(impostor, message(TELESCOPE, 'Mount parked')),
        l: msg(impostor, delProperty(TELESCOPE)),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
      };
      // The snooping CCD driver stands for every other recipient: it is sent the owner's traffic, not the impostor's.
      // prettier-ignore
      const traffic    = '-k-t-g-i-j-m-l-n-s',
            toKStars   = '---t-------------s',
            toCcd      = '-k---------------s',
            toScope    = '-k---g---------n--',
            toImpostor = '-k----------------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(impostor))).toBe(toImpostor, sent(events));
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
      // prettier-ignore
      const traffic = '-t-c-g-z-h-n',
            toScope = '-----g-|',
            toCcd   = '---------h--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });
});
