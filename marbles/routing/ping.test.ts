/**
 * libindi 2 ping: the server answers a `pingRequest` itself, with a
 * `pingReply` of the same uid, to the sender alone and in its place in what
 * that sender is being sent (indiserver queues the reply behind everything
 * already queued for it), so a client or driver can tell when the server has
 * caught up with it. Neither message travels any further.
 */
import { share } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { deliverTo } from '../../src/routing/deliver-to.js';
import { routeTraffic } from '../../src/routing/route-traffic.js';
import {
  client,
  defNumber,
  driver,
  getProperties,
  msg,
  ping,
  pingReply,
  sent,
  setNumber,
  testScheduler,
} from './helpers.js';

const TELESCOPE = 'Telescope Simulator';

const scope = driver('indi_simulator_telescope');
const ccd = driver('indi_simulator_ccd');
const kstars = client('KStars');
const phd2 = client('PHD2');

describe('ping', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it("answers a client's pingRequest with a pingReply of the same uid, to that client alone", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        h: msg(phd2, getProperties()),
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        p: msg(kstars, ping('42')),
      };
      // prettier-ignore
      const traffic  = '-(kh)-d-p',
            toKStars = '------d-P',
            toPhd2   = '------d--',
            toScope  = '-(kh)----';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, {
        ...sent(events),
        P: pingReply('42'),
      });
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
    });
  });

  it("answers a driver's pingRequest with a pingReply of the same uid, to that driver alone", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        p: msg(scope, ping('7')),
      };
      // prettier-ignore
      const traffic  = '-p',
            toScope  = '-P',
            toCcd    = '--',
            toKStars = '--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, { P: pingReply('7') });
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd);
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars);
    });
  });

  it('puts the reply after what the sender was sent before the request and before what comes after, within one frame', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        s: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        p: msg(kstars, ping('1')),
        t: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 11)),
        q: msg(kstars, ping('2')),
        u: msg(scope, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 12)),
      };
      // prettier-ignore
      const traffic  = '-k-(spt)-(qu)',
            toKStars = '---(sPt)-(Qu)';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, {
        ...sent(events),
        P: pingReply('1'),
        Q: pingReply('2'),
      });
    });
  });

  it('never forwards a pingReply, from a client or from a driver', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        h: msg(phd2, getProperties()),
        d: msg(scope, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        r: msg(kstars, pingReply('42')),
        s: msg(scope, pingReply('7')),
      };
      // prettier-ignore
      const traffic  = '-(kh)-d-r-s',
            toKStars = '------d----',
            toPhd2   = '------d----',
            toScope  = '-(kh)------',
            toCcd    = '-(kh)------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, sent(events));
      expectObservable(routed$.pipe(deliverTo(scope))).toBe(toScope, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });
});
