/**
 * Snooping (INDI 1.7, libindi IDSnoopDevice): a driver that sends
 * `getProperties device=X [name=Y]` is sent X's `def*`, `set*`, `delProperty`
 * and `message`, as a client would be; BLOBs only once it sent `enableBLOB`
 * for X. A CCD driver snoops the mount for the coordinates it writes into
 * FITS headers; an astrometry driver snoops the CCD's images.
 */
import { share } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { deliverTo } from '../../src/routing/deliver-to.js';
import { routeTraffic } from '../../src/routing/route-traffic.js';
import {
  defBlob,
  defNumber,
  delProperty,
  driver,
  enableBlob,
  getProperties,
  message,
  msg,
  sent,
  setBlob,
  setNumber,
  testScheduler,
} from './helpers.js';

const TELESCOPE = 'Telescope Simulator';
const CCD = 'CCD Simulator';

const scope = driver('indi_simulator_telescope');
const ccd = driver('indi_simulator_ccd');
const focuser = driver('indi_simulator_focus');
const solver = driver('indi_astrometry');

describe('snooping drivers', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it("sends a driver that snoops device X X's def, set, message and delProperty", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(ccd, getProperties(TELESCOPE)),
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        m: msg(scope, message(TELESCOPE, 'Slew complete')),
        v: msg(scope, delProperty(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        x: msg(scope, delProperty(TELESCOPE)),
      };
      // prettier-ignore
      const traffic = '-g-d-s-m-v-x',
            toCcd   = '---d-s-m-v-x';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it('sends a driver that snoops X.Y only that vector', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(ccd, getProperties(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        p: msg(scope, defNumber(TELESCOPE, 'TELESCOPE_PARK')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        q: msg(scope, setNumber(TELESCOPE, 'TELESCOPE_PARK', 1)),
        v: msg(scope, delProperty(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        w: msg(scope, delProperty(TELESCOPE, 'TELESCOPE_PARK')),
      };
      // prettier-ignore
      const traffic = '-g-d-p-s-q-v-w',
            toCcd   = '---d---s---v--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it('sends a snooping driver no BLOBs until it enables them (Also) for the device', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(solver, getProperties(CCD, 'CCD1')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        b: msg(ccd, setBlob(CCD, 'CCD1', 'AAAA')),
        a: msg(solver, enableBlob(CCD, 'Also')),
        c: msg(ccd, setBlob(CCD, 'CCD1', 'BBBB')),
        e: msg(ccd, delProperty(CCD, 'CCD1')),
      };
      // prettier-ignore
      const traffic  = '-g-d-b-a-c-e',
            toSolver = '---d-----c-e';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(solver))).toBe(toSolver, sent(events));
    });
  });

  it('sends a snooping driver that enabled BLOBs Only for the device nothing but its BLOBs', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(solver, getProperties(CCD)),
        o: msg(solver, enableBlob(CCD, 'Only')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
      };
      // prettier-ignore
      const traffic  = '-g-o-d-e-b',
            toSolver = '---------b';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(solver))).toBe(toSolver, sent(events));
    });
  });

  it('never sends a driver its own traffic back, even for a device it snoops', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        g: msg(scope, getProperties(TELESCOPE)),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        m: msg(scope, message(TELESCOPE, 'Slew complete')),
      };
      // prettier-ignore
      const traffic = '-d-g-s-m',
            toScope = '--------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope);
    });
  });

  it("sends a driver that snoops nothing none of the other drivers' traffic", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        m: msg(scope, message(TELESCOPE, 'Slew complete')),
        n: msg(scope, message(undefined, 'Telescope driver restarting')),
        x: msg(scope, delProperty(TELESCOPE)),
      };
      // prettier-ignore
      const traffic   = '-d-s-m-n-x',
            toFocuser = '----------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(focuser))).toBe(toFocuser);
    });
  });

  it("forwards a snoop getProperties to the device's owner alone, as version 1.7", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        g: msg(ccd, { type: 'getProperties', device: TELESCOPE, name: 'EQUATORIAL_EOD_COORD' }),
      };
      // prettier-ignore
      const traffic   = '-d-g',
            toScope   = '---g',
            toFocuser = '----';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, {
        g: { type: 'getProperties', version: '1.7', device: TELESCOPE, name: 'EQUATORIAL_EOD_COORD' },
      });
      expectObservable(routed$.pipe(deliverTo(focuser))).toBe(toFocuser);
    });
  });

  it('forwards a snoop getProperties for a device nobody has defined yet to every other driver', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(ccd, getProperties(TELESCOPE)),
      };
      // prettier-ignore
      const traffic   = '-g',
            toScope   = '-g',
            toFocuser = '-g',
            toCcd     = '--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(focuser))).toBe(toFocuser, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd);
    });
  });
});
