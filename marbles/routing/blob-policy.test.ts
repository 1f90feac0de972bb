/**
 * A client's BLOB policy (INDI 1.7 §enableBLOB): per device, or per vector,
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
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        m: msg(ccd, message(CCD, 'Exposure done')),
      };
      const traffic  = '-d-e-b-m';
      const toKStars = '-d-e---m';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('sends a client that enabled BLOBs Also for a device its BLOBs and everything else', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        a: msg(kstars, enableBlob(CCD, 'Also')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        m: msg(ccd, message(CCD, 'Exposure done')),
      };
      const traffic  = '-a-d-e-b-m';
      const toKStars = '---d-e-b-m';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('sends a client that enabled BLOBs Only for a device only its BLOBs', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        o: msg(kstars, enableBlob(CCD, 'Only')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        m: msg(ccd, message(CCD, 'Exposure done')),
        c: msg(ccd, setBlob(CCD, 'CCD2')),
      };
      const traffic  = '-o-d-e-b-m-c';
      const toKStars = '-------b---c';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('applies the latest enableBLOB: Never after Also turns BLOBs off again', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        a: msg(kstars, enableBlob(CCD, 'Also')),
        b: msg(ccd, setBlob(CCD, 'CCD1', 'AAAA')),
        n: msg(kstars, enableBlob(CCD, 'Never')),
        c: msg(ccd, setBlob(CCD, 'CCD1', 'BBBB')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
      };
      const traffic  = '-a-b-n-c-e';
      const toKStars = '---b-----e';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it("lets a vector's mode override its device's mode for that vector alone", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        a: msg(kstars, enableBlob(CCD, 'Also')),
        o: msg(kstars, enableBlob(CCD, 'Only', 'CCD1')),
        d: msg(ccd, defBlob(CCD, 'CCD1')),
        f: msg(ccd, defBlob(CCD, 'CCD2')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        c: msg(ccd, setBlob(CCD, 'CCD2')),
      };
      // CCD1 is Only (its definition held back); CCD2 and the rest follow the device's Also.
      const traffic  = '-a-o-d-f-e-b-c';
      const toKStars = '-------f-e-b-c';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });

  it('sends an image connection that asked for CCD1 alone, in Only mode for it, nothing but CCD1 BLOBs', () => {
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
      const traffic  = '-g-n-o-h-x-d-f-e-b-c';
      const toImages = '-----------------b--';
      const toKStars = '---------x-d-f-e----';

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
      const traffic  = '-h-x-d-f-o-e-b-c-m';
      const toImages = '---x-d-f---e-b---m';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(images))).toBe(toImages, sent(events));
    });
  });

  it('holds back device-wide messages from a connection that asked for CCD1 alone, in Only mode for it', () => {
    // BUG: a device-wide `message` (no vector name) reaches a connection that
    // asked for CCD1 alone and chose Only for it. interest.ts counts a name-less
    // message as wanted when any vector of its device is, and blob-policy.ts then
    // judges it by the device's mode (Never, so non-BLOBs pass) rather than the
    // Only this connection chose for the one thing it asked for. indiserver does
    // not send it (ClInfo::findDevice: an entry with a property name never
    // matches a message without one).
    const images = client('KStars CCD1');
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        o: msg(images, enableBlob(CCD, 'Only', 'CCD1')),
        h: msg(images, getProperties(CCD, 'CCD1')),
        m: msg(ccd, message(CCD, 'Exposure done, downloading image...')),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
      };
      const traffic  = '-o-h-m-b';
      const toImages = '-------b';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(images))).toBe(toImages, sent(events));
    });
  });

  it('keeps Only for one device from affecting another', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        o: msg(kstars, enableBlob(CCD, 'Only')),
        e: msg(ccd, setNumber(CCD, 'CCD_EXPOSURE', 0)),
        b: msg(ccd, setBlob(CCD, 'CCD1')),
        f: msg(guider, setNumber(GUIDER, 'CCD_EXPOSURE', 0)),
        g: msg(guider, setBlob(GUIDER, 'CCD1')),
      };
      const traffic  = '-o-e-b-f-g';
      const toKStars = '-----b-f--';

      const routed$ = hot(traffic, events).pipe(routeTraffic(), share());
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, sent(events));
    });
  });
});
