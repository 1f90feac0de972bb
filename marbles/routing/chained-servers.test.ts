/**
 * Chained servers: this server's devices can live behind other servers.
 *
 * Two ways in. A *link* (channel kind `remote`) is a connection this server
 * opened to another server (`--remote`, `device@host:port`). A *peer* is a
 * server that connected to this one as a client and announced itself, as
 * indiserver does when it chains, with `getProperties device='*'`: it is
 * answered with a plain `getProperties version='1.7'` (so that it sends its
 * own devices) and from then on its def/set/del/message are device traffic,
 * as a driver's are.
 *
 * The rules that keep a network of servers (even a loop of them) quiet:
 *
 * - the first channel to define a device owns it; the same device from a
 *   second link reaches no one;
 * - requests for a device go to its owner alone; a `getProperties` for every
 *   device goes to the local drivers only, never across a link: the devices
 *   behind links are answered from the server's {@link DeviceCache};
 * - a `message` for everyone crosses at most one link: from a link or peer it
 *   reaches this server's own clients, not the other links and peers;
 * - nothing is sent back to the channel it came from.
 */
import { share, tap } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { deliverTo } from '../../src/routing/deliver-to.js';
import { DeviceCache } from '../../src/routing/device-cache.js';
import { routeTraffic } from '../../src/routing/route-traffic.js';
import {
  client,
  defNumber,
  delProperty,
  driver,
  getProperties,
  message,
  msg,
  newNumber,
  remote,
  sent,
  setNumber,
  testScheduler,
} from './helpers.js';

const TELESCOPE = 'Telescope Simulator';
const FOCUSER = 'Focuser Simulator';
const CCD = 'CCD Simulator';

const ccd = driver('indi_simulator_ccd');
const observatory = remote('observatory.local:7624');
const backup = remote('backup.local:7624');
const upstream = client('indiserver upstream');
const kstars = client('KStars');
const phd2 = client('PHD2');

/** What a linking server is answered with: a plain request for everything, so that it sends its devices. */
const handshake = { type: 'getProperties', version: '1.7' } as const;

describe('chained servers', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it("answers a client's getProperties device='*' with getProperties, and serves its devices from then on", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        x: msg(upstream, defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 1000)),
        s: msg(upstream, getProperties('*')),
        d: msg(upstream, defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 2000)),
        n: msg(kstars, newNumber(FOCUSER, 'ABS_FOCUS_POSITION', 5000)),
        u: msg(upstream, setNumber(FOCUSER, 'ABS_FOCUS_POSITION', 5000)),
      };
      // Before its handshake, the def of a client is nobody's business (x); after it, the client is a device source.
      // prettier-ignore
      const traffic    = '-k-x-s-d-n-u',
            toUpstream = '-----h---n--',
            toKStars   = '-------d---u',
            toCcd      = '-k---a------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(upstream))).toBe(toUpstream, { ...sent(events), h: handshake });
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      // Drivers understand no device, not '*'.
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, { ...sent(events), a: handshake });
    });
  });

  it("answers a client's getProperties for every device with the cached definitions of a link's devices, latest values merged in", () => {
    const cache = new DeviceCache();
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        d: msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 0)),
        f: msg(observatory, defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 0)),
        s: msg(observatory, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        g: msg(kstars, getProperties()),
        t: msg(observatory, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 20)),
      };
      // kstars asked after the definitions went by: it is sent them from the cache, in the frame of its request.
      // prettier-ignore
      const traffic       = '-d-f-s-g----t',
            toKStars      = '-------(TF)-t',
            toObservatory = '-------------',
            toCcd         = '-------g-----';

      const routed$ = hot(traffic, events).pipe(
        routeTraffic(),
        tap((routed) => cache.learn(routed)),
        share(),
      );
      expectObservable(routed$.pipe(deliverTo(kstars, cache))).toBe(toKStars, {
        ...sent(events),
        // The definition with the set's value and state.
        T: { ...defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10), state: 'Ok' },
        F: defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 0),
      });
      expectObservable(routed$.pipe(deliverTo(observatory, cache))).toBe(toObservatory);
      expectObservable(routed$.pipe(deliverTo(ccd, cache))).toBe(toCcd, sent(events));
    });
  });

  it('sends a getProperties for every device, or for a device nobody defined, to the local drivers only, not to links or peers', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        u: msg(upstream, getProperties('*')),
        d: msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        g: msg(kstars, getProperties()),
        f: msg(kstars, getProperties(FOCUSER)),
        v: msg(phd2, getProperties(FOCUSER, 'ABS_FOCUS_POSITION')),
      };
      // The peer, which asked for everything, is sent the link's definition, but none of the requests.
      // prettier-ignore
      const traffic       = '-u-d-g-f-v',
            toCcd         = '-a---g-f-v',
            toObservatory = '----------',
            toUpstream    = '-h-d------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, { ...sent(events), a: handshake });
      expectObservable(routed$.pipe(deliverTo(observatory))).toBe(toObservatory);
      expectObservable(routed$.pipe(deliverTo(upstream))).toBe(toUpstream, { ...sent(events), h: handshake });
    });
  });

  it('sends requests for a device behind a link (getProperties, new*) to that link alone', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        d: msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        c: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        g: msg(kstars, getProperties(TELESCOPE)),
        v: msg(phd2, getProperties(TELESCOPE, 'EQUATORIAL_EOD_COORD')),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        e: msg(kstars, newNumber(CCD, 'CCD_EXPOSURE', 1)),
      };
      // prettier-ignore
      const traffic       = '-d-c-g-v-n-e',
            toObservatory = '-----g-v-n--',
            toBackup      = '------------',
            toCcd         = '-----------e';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(observatory))).toBe(toObservatory, sent(events));
      expectObservable(routed$.pipe(deliverTo(backup))).toBe(toBackup);
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, sent(events));
    });
  });

  it('serves a device defined by two links from the first one only: the second one reaches nobody, not even the cache', () => {
    const cache = new DeviceCache();
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        u: msg(upstream, getProperties('*')),
        k: msg(kstars, getProperties()),
        a: msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 1)),
        b: msg(backup, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 2)),
        s: msg(backup, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 3)),
        m: msg(backup, message(TELESCOPE, 'Slew complete')),
        x: msg(backup, delProperty(TELESCOPE)),
        n: msg(kstars, newNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        t: msg(observatory, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 4)),
        g: msg(phd2, getProperties()),
      };
      // prettier-ignore
      const traffic       = '-u-k-a-b-s-m-x-n-t-g',
            toUpstream    = '-h---a-----------t--',
            toKStars      = '-----a-----------t--',
            toPhd2        = '-------------------T',
            toObservatory = '---------------n----',
            toBackup      = '--------------------';

      const routed$ = hot(traffic, events).pipe(
        routeTraffic(),
        tap((routed) => cache.learn(routed)),
        share(),
      );
      const delivered = {
        ...sent(events),
        h: handshake,
        T: { ...defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 4), state: 'Ok' },
      };
      expectObservable(routed$.pipe(deliverTo(upstream, cache))).toBe(toUpstream, delivered);
      expectObservable(routed$.pipe(deliverTo(kstars, cache))).toBe(toKStars, delivered);
      expectObservable(routed$.pipe(deliverTo(phd2, cache))).toBe(toPhd2, delivered);
      expectObservable(routed$.pipe(deliverTo(observatory, cache))).toBe(toObservatory, delivered);
      expectObservable(routed$.pipe(deliverTo(backup, cache))).toBe(toBackup, delivered);
    });
  });

  it('lets a message for everyone cross one link at most: from a link or peer to plain clients only, from a driver to links and peers too', () => {
    const scope = driver('indi_simulator_telescope');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        u: msg(upstream, getProperties('*')),
        l: msg(observatory, message(undefined, 'Dome closing: rain')),
        p: msg(upstream, message(undefined, 'Upstream server restarting')),
        d: msg(scope, message(undefined, 'Telescope driver restarting')),
        c: msg(phd2, message(undefined, 'A client has nothing to say to everyone')),
      };
      // prettier-ignore
      const traffic       = '-u-l-p-d-c',
            toKStars      = '---l-p-d--',
            toUpstream    = '-h-----d--',
            toObservatory = '-------d--',
            toBackup      = '-------d--',
            toCcd         = '-a--------';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
      expectObservable(routed$.pipe(deliverTo(upstream))).toBe(toUpstream, { ...sent(events), h: handshake });
      expectObservable(routed$.pipe(deliverTo(observatory))).toBe(toObservatory, sent(events));
      expectObservable(routed$.pipe(deliverTo(backup))).toBe(toBackup, sent(events));
      expectObservable(routed$.pipe(deliverTo(ccd))).toBe(toCcd, { ...sent(events), a: handshake });
    });
  });

  it('never sends a link or a peer its own traffic back, not even from the cache', () => {
    const cache = new DeviceCache();
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        u: msg(upstream, getProperties('*')),
        r: msg(observatory, getProperties()),
        f: msg(upstream, defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 0)),
        d: msg(observatory, defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 0)),
        s: msg(upstream, setNumber(FOCUSER, 'ABS_FOCUS_POSITION', 100)),
        t: msg(observatory, setNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10)),
        m: msg(upstream, message(FOCUSER, 'Focuser moving')),
        n: msg(observatory, message(TELESCOPE, 'Slewing')),
        o: msg(upstream, message(undefined, 'Upstream note')),
        p: msg(observatory, message(undefined, 'Observatory note')),
        v: msg(upstream, getProperties('*')),
        w: msg(observatory, getProperties()),
      };
      // Each is sent the other's device traffic and, asking again, the other's devices from the cache; never its own.
      // prettier-ignore
      const traffic       = '-u-r-f-d-s-t-m-n-o-p-v---w',
            toUpstream    = '-h-----d---t---n-----(hT)-',
            toObservatory = '-----f---s---m-----------F';

      const routed$ = hot(traffic, events).pipe(
        routeTraffic(),
        tap((routed) => cache.learn(routed)),
        share(),
      );
      const delivered = {
        ...sent(events),
        h: handshake,
        T: { ...defNumber(TELESCOPE, 'EQUATORIAL_EOD_COORD', 10), state: 'Ok' },
        F: { ...defNumber(FOCUSER, 'ABS_FOCUS_POSITION', 100), state: 'Ok' },
      };
      expectObservable(routed$.pipe(deliverTo(upstream, cache))).toBe(toUpstream, delivered);
      expectObservable(routed$.pipe(deliverTo(observatory, cache))).toBe(toObservatory, delivered);
    });
  });
});
