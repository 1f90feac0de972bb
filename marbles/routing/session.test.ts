/**
 * A whole session in one diagram, every channel's view of it.
 *
 * Two drivers start (a telescope and a CCD), KStars and PHD2 connect and ask
 * for everything; the drivers define their properties and the CCD driver
 * snoops the mount's coordinates (for its FITS headers). KStars turns BLOBs on
 * for the CCD, slews the mount and starts an exposure; the mount reports its
 * new position, the CCD sends its image. Then the CCD driver dies: its channel
 * says goodbye with a `delProperty` for its device (process-channel.ts does
 * this) and closes, and the mount carries on.
 */
import { share } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { deliverTo } from '../../src/routing/deliver-to.js';
import { routeTraffic } from '../../src/routing/route-traffic.js';
import {
  client,
  close,
  defBlob,
  defNumber,
  delProperty,
  driver,
  enableBlob,
  getProperties,
  msg,
  newNumber,
  open,
  sent,
  setBlob,
  setNumber,
  testScheduler,
} from './helpers.js';

const TELESCOPE = 'Telescope Simulator';
const CCD = 'CCD Simulator';

const scope = driver('indi_simulator_telescope');
const ccd = driver('indi_simulator_ccd');
const kstars = client('KStars');
const phd2 = client('PHD2');

describe('a session', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it('routes two clients, a telescope and a CCD that dies, each channel receiving exactly its share', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        S: open(scope),
        C: open(ccd),
        K: open(kstars),
        P: open(phd2),
        g: msg(kstars, getProperties()),
        p: msg(phd2, getProperties()),
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        x: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        o: msg(ccd, getProperties(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        a: msg(kstars, enableBlob(CCD, 'Also')),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        e: msg(kstars, newNumber(CCD, 'CCD_EXPOSURE', 1)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        k: msg(ccd, delProperty(CCD)),
        z: close(ccd),
        u: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 20)),
      };
      // prettier-ignore
      const traffic  = '-(SC)-(KP)-g-p-t-(xdo)-a-n-s-e-b-(kz)-u',
            toKStars = '---------------t-(xd)------s---b-k----u',
            toPhd2   = '---------------t-(xd)----n-s-e---k----u',
            toScope  = '-----------g-p---o-------n-------------',
            toCcd    = '-----------g-p-------------s-e---|';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });
});
