/**
 * A client's BLOB policy (INDI 1.7 enableBLOB): per device, or per vector,
 * which overrides its device; `Never` (the default) holds back BLOBs, `Also`
 * lets them through with everything else, `Only` lets through only BLOBs.
 *
 * KStars depends on the per-vector rule: its main connection keeps BLOBs off,
 * and one extra connection per image property (its BlobManager) watches the
 * camera and enables `Only` for that property alone, so that each image
 * travels once, on its own connection. If the mode leaked to the device or to
 * another vector, images would go missing or arrive twice.
 */
import { share } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { deliverTo } from '../../src/routing/deliver-to.js';
import { routeTraffic } from '../../src/routing/route-traffic.js';
import {
  client,
  defBlob,
  defNumber,
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

const CCD = 'CCD Simulator';
const GUIDER = 'Guide Simulator';

const ccd = driver('indi_simulator_ccd');
const guider = driver('indi_simulator_guide');
const kstars = client('KStars');

describe('BLOB policy', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it('sends a client no BLOBs by default (Never), and everything else', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        m: msg(ccd, message(CCD, 'Exposure done')),
      };
      // prettier-ignore
      const traffic  = '-k-d-e-b-m',
            toKStars = '---d-e---m';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('sends a client that enabled BLOBs Also for a device its BLOBs and everything else', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        a: msg(kstars, enableBlob(CCD, 'Also')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        m: msg(ccd, message(CCD, 'Exposure done')),
      };
      // prettier-ignore
      const traffic  = '-k-a-d-e-b-m',
            toKStars = '-----d-e-b-m';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('sends a client that enabled BLOBs Only for a device only its BLOBs', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        o: msg(kstars, enableBlob(CCD, 'Only')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        m: msg(ccd, message(CCD, 'Exposure done')),
        c: msg(ccd, setBlob(CCD, 'CCD2')),
      };
      // prettier-ignore
      const traffic  = '-k-o-d-e-b-m-c',
            toKStars = '---------b---c';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('applies the latest enableBLOB: Never after Also turns BLOBs off again', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        a: msg(kstars, enableBlob(CCD, 'Also')),
        b: msg(ccd, setBlob(CCD, 'CCD1', 'AAAA')),
        n: msg(kstars, enableBlob(CCD, 'Never')),
        c: msg(ccd, setBlob(CCD, 'CCD1', 'BBBB')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
      };
      // prettier-ignore
      const traffic  = '-k-a-b-n-c-e',
            toKStars = '-----b-----e';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it("lets a vector's mode override its device's mode for that vector alone", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        a: msg(kstars, enableBlob(CCD, 'Also')),
        o: msg(kstars, enableBlob(CCD, 'Only', 'CCD1')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        f: msg(ccd, defBlob(CCD, 'CCD2')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        c: msg(ccd, setBlob(CCD, 'CCD2')),
      };
      // CCD1 is Only: its BLOBs still arrive, and its definition too (a vector's Only
      // concerns BLOBs alone); CCD2 and the rest follow the device's Also.
      // prettier-ignore
      const traffic  = '-k-a-o-d-f-e-b-c',
            toKStars = '-------d-f-e-b-c';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('sends an image connection that asked for CCD1 alone, in Only mode for it, CCD1 and its BLOBs, nothing else', () => {
    const images = client('KStars CCD1');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        g: msg(kstars, getProperties()),
        n: msg(kstars, enableBlob(CCD, 'Never')),
        o: msg(images, enableBlob(CCD, 'Only', 'CCD1')),
        h: msg(images, getProperties(CCD, 'CCD1')),
        x: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        f: msg(ccd, defBlob(CCD, 'CCD2')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        c: msg(ccd, setBlob(CCD, 'CCD2')),
      };
      // prettier-ignore
      const traffic  = '-g-n-o-h-x-d-f-e-b-c',
            toImages = '-----------d-----b--',
            toKStars = '---------x-d-f-e----';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(images))).toBe(toImages, sent(events));
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it("sends KStars' image connection (whole device asked for, then CCD1 Only) CCD1 BLOBs, no other BLOB, and all the rest", () => {
    // KStars' BlobManager watches the device, and sends enableBLOB once the device appears.
    const images = client('KStars CCD1');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        h: msg(images, getProperties(CCD)),
        x: msg(ccd, defNumber(CCD, 'CCD_EXPOSURE')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        f: msg(ccd, defBlob(CCD, 'CCD2')),
        o: msg(images, enableBlob(CCD, 'Only', 'CCD1')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        c: msg(ccd, setBlob(CCD, 'CCD2')),
        m: msg(ccd, message(CCD, 'Exposure done')),
      };
      // prettier-ignore
      const traffic  = '-h-x-d-f-o-e-b-c-m',
            toImages = '---x-d-f---e-b---m';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(images))).toBe(toImages, sent(events));
    });
  });

  it('holds back device-wide messages from a connection that asked for CCD1 alone, in Only mode for it', () => {
    const images = client('KStars CCD1');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        o: msg(images, enableBlob(CCD, 'Only', 'CCD1')),
        h: msg(images, getProperties(CCD, 'CCD1')),
        m: msg(ccd, message(CCD, 'Exposure done, downloading image...')),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
      };
      // prettier-ignore
      const traffic  = '-o-h-m-b',
            toImages = '-------b';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(images))).toBe(toImages, sent(events));
    });
  });

  it('keeps Only for one device from affecting another', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        k: msg(kstars, getProperties()),
        o: msg(kstars, enableBlob(CCD, 'Only')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        f: msg(guider, setNumber(GUIDER, 'CCD_EXPOSURE', 0)),
        g: msg(guider, setBlob(GUIDER, 'CCD1')),
      };
      // prettier-ignore
      const traffic  = '-k-o-e-b-f-g',
            toKStars = '-------b-f--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });
});
