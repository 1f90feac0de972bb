/**
 * A channel that goes away takes its devices with it: as indiserver does when
 * a driver ends, every device the closing channel still owns is deleted with
 * a `delProperty device=X` (no name: the whole device), sent to whoever asked
 * for that device, in the frame of the close and in the order the devices
 * were defined. Then that channel's own deliveries complete.
 *
 * The same holds for a link to another server and for a server linked to this
 * one (a peer). A plain client owns nothing, so its going changes nothing for
 * anyone else; and a device its driver already deleted is not deleted twice.
 */
import { share, tap } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { deliverTo } from '../../src/routing/deliver-to.js';
import { DeviceCache } from '../../src/routing/device-cache.js';
import { routeTraffic } from '../../src/routing/route-traffic.js';
import {
  client,
  close,
  defNumber,
  delProperty,
  driver,
  getProperties,
  msg,
  newNumber,
  remote,
  sent,
  setNumber,
  testScheduler,
} from './helpers.js';

// indi_asi_ccd defines one device per camera plugged in.
const GUIDE_CAM = 'ZWO CCD ASI120MM';
const MAIN_CAM = 'ZWO CCD ASI294MC';
const TELESCOPE = 'Telescope Simulator';
const FOCUSER = 'Focuser Simulator';

const asi = driver('indi_asi_ccd');
const scope = driver('indi_simulator_telescope');
const solver = driver('indi_astrometry');
const observatory = remote('observatory.local:7624');
const upstream = client('indiserver upstream');
const kstars = client('KStars');
const phd2 = client('PHD2');
const getprop = client('indi_getprop');

describe('closing channels', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it('deletes every device of a driver that closes, for each client and snooper that asked for it, then completes its deliveries', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        p: msg(phd2, getProperties(GUIDE_CAM)),
        o: msg(solver, getProperties(MAIN_CAM)),
        a: msg(asi, defNumber(GUIDE_CAM, 'CCD_EXPOSURE')),
        b: msg(asi, defNumber(MAIN_CAM, 'CCD_EXPOSURE')),
        c: msg(asi, defNumber(MAIN_CAM, 'CCD_TEMPERATURE')),
        z: close(asi),
      };
      // One delProperty per device (x: the guide camera, y: the main camera), however many vectors it had.
      // prettier-ignore
      const traffic   = '-k-p-o-a-b-c-z----',
            toKStars  = '-------a-b-c-(xy)-',
            toPhd2    = '-------a-----x----',
            toSolver  = '-k-p-----b-c-y----',
            toGetprop = '------------------',
            toAsi     = '-k-p-o-------|';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      const delivered = { ...sent(events), x: delProperty(GUIDE_CAM), y: delProperty(MAIN_CAM) };
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, delivered);
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, delivered);
      expectObservable(routed$.pipe(deliverTo(solver))).toBe(toSolver, delivered);
      expectObservable(routed$.pipe(deliverTo(getprop))).toBe(toGetprop);
      expectObservable(routed$.pipe(deliverTo(asi))).toBe(toAsi, delivered);
    });
  });

  it('frees the devices of a closed driver: requests for them reach nobody, and another driver may define them', () => {
    const rival = driver('indi_asi_single_ccd');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        a: msg(asi, defNumber(GUIDE_CAM, 'CCD_EXPOSURE')),
        z: close(asi),
        n: msg(kstars, newNumber(GUIDE_CAM, 'CCD_EXPOSURE', 1)),
        r: msg(rival, defNumber(GUIDE_CAM, 'CCD_EXPOSURE')),
        m: msg(kstars, newNumber(GUIDE_CAM, 'CCD_EXPOSURE', 2)),
      };
      // prettier-ignore
      const traffic  = '-k-a-z-n-r-m',
            toKStars = '---a-x---r--',
            toRival  = '-k---------m';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      const delivered = { ...sent(events), x: delProperty(GUIDE_CAM) };
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, delivered);
      expectObservable(routed$.pipe(deliverTo(rival))).toBe(toRival, delivered);
    });
  });

  it('deletes the devices of a link that closes, and the cache forgets them', () => {
    const cache = new DeviceCache();
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        d: msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        f: msg(observatory, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
        z: close(observatory),
        g: msg(phd2, getProperties()),
      };
      // phd2 asks after the link is gone: nothing is left in the cache to answer it with.
      // prettier-ignore
      const traffic       = '-k-d-f-z----g',
            toKStars      = '---d-f-(xy)--',
            toPhd2        = '-------------',
            toObservatory = '-------|';

      const routed$ = hot(traffic, events).pipe(
        routeTraffic(),
        tap((routed) => cache.learn(routed)),
        share(),
      );
      const delivered = { ...sent(events), x: delProperty(TELESCOPE), y: delProperty(FOCUSER) };
      expectObservable(routed$.pipe(deliverTo(kstars, cache))).toBe(toKStars, delivered);
      expectObservable(routed$.pipe(deliverTo(phd2, cache))).toBe(toPhd2);
      expectObservable(routed$.pipe(deliverTo(observatory, cache))).toBe(toObservatory);
    });
  });

  it('deletes the devices of a linked server (a peer) that closes', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        u: msg(upstream, getProperties('*')),
        f: msg(upstream, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
        z: close(upstream),
      };
      // prettier-ignore
      const traffic    = '-k-u-f-z',
            toKStars   = '-----f-x',
            toScope    = '-k-a----',
            toUpstream = '---h---|';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      const handshake = { type: 'getProperties', version: '1.7' };
      const delivered = { ...sent(events), a: handshake, h: handshake, x: delProperty(FOCUSER) };
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, delivered);
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, delivered);
      expectObservable(routed$.pipe(deliverTo(upstream))).toBe(toUpstream, delivered);
    });
  });

  it('changes nothing for anyone else when a client closes, even one that sent a definition', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        p: msg(phd2, getProperties()),
        t: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        f: msg(kstars, defNumber(FOCUSER, 'ABS_FOCUS_POSITION')),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        z: close(kstars),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
      };
      // A plain client is no device source: its def (f) reaches no one, and it owns nothing to delete.
      // prettier-ignore
      const traffic  = '-k-p-t-f-n-z-s',
            toKStars = '-----t-----|',
            toPhd2   = '-----t---n---s',
            toScope  = '-k-p-----n----';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
    });
  });

  it('does not delete again a device its driver deleted, but does one of which only a vector was deleted', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        a: msg(asi, defNumber(GUIDE_CAM, 'CCD_EXPOSURE')),
        b: msg(asi, defNumber(MAIN_CAM, 'CCD_EXPOSURE')),
        c: msg(asi, defNumber(MAIN_CAM, 'CCD_TEMPERATURE')),
        d: msg(asi, delProperty(GUIDE_CAM)),
        e: msg(asi, delProperty(MAIN_CAM, 'CCD_TEMPERATURE')),
        z: close(asi),
      };
      // prettier-ignore
      const traffic  = '-k-a-b-c-d-e-z',
            toKStars = '---a-b-c-d-e-y';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, {
        ...sent(events),
        y: delProperty(MAIN_CAM),
      });
    });
  });

  it('does not delete, with a closing driver, a device it deleted and another driver then defined', () => {
    const rival = driver('indi_asi_single_ccd');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        a: msg(asi, defNumber(GUIDE_CAM, 'CCD_EXPOSURE')),
        d: msg(asi, delProperty(GUIDE_CAM)),
        r: msg(rival, defNumber(GUIDE_CAM, 'CCD_EXPOSURE')),
        z: close(asi),
        s: msg(rival, setNumber(GUIDE_CAM, 'CCD_EXPOSURE', 1)),
      };
      // prettier-ignore
      const traffic  = '-k-a-d-r-z-s',
            toKStars = '---a-d-r---s';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });
});
