/**
 * The device filter's operator (examples/device-filter-operator.ts) at
 * serve()'s `incoming` insertion point, with only the telescope allowed. On
 * the upstream link, everything naming another device is dropped before the
 * server learns of it; from a client, a request naming one is answered, in
 * the same frame and to that client alone, with a refusal.
 */
import { merge, share } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { deviceFilter, notServed } from '../examples/device-filter-operator.js';
import { deliverTo, reply, routeTraffic, tagTraffic } from '../src/index.js';
import {
  client,
  defNumber,
  defSwitch,
  delProperty,
  enableBlob,
  getProperties,
  message,
  newNumber,
  newSwitch,
  ping,
  remote,
  setNumber,
  testScheduler,
} from './routing/helpers.js';

const SCOPE = 'Telescope Simulator';
const FOCUS = 'Focuser Simulator';
const onlyScope = deviceFilter([SCOPE]);
const kstars = client('KStars');
const phd2 = client('PHD2');
const upstream = remote('observatory:7624');

describe('device filter', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it('from the upstream link passes the allowed device and notes for everyone, and drops every other device', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const traffic = {
        d: defSwitch(SCOPE, 'CONNECTION'),
        f: defNumber(FOCUS, 'ABS_FOCUS_POSITION'),
        s: setNumber(SCOPE, 'EQUATORIAL_EOD_COORD', 5),
        t: setNumber(FOCUS, 'ABS_FOCUS_POSITION', 7),
        m: message(SCOPE, 'Slewing'),
        n: message(FOCUS, 'Moving'),
        w: message(undefined, 'indiserver restarting a driver'),
        e: newSwitch(FOCUS, 'CONNECTION'), // indiserver echoes its other clients' requests
        c: newSwitch(SCOPE, 'CONNECTION'),
        x: delProperty(FOCUS),
      };
      // prettier-ignore
      const fromUpstream = '-d-f-s-t-m-n-w-e-c-x-',
            upstreamIn   = '-d---s---m---w---c---';
      expectObservable(hot(fromUpstream, traffic).pipe(onlyScope(upstream))).toBe(upstreamIn, traffic);
    });
  });

  it("replaces a client's request for a hidden device by a refusal replied to it, in the same frame", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const requests = {
        g: getProperties(),
        a: getProperties(SCOPE),
        h: getProperties(FOCUS),
        l: getProperties('*'), // a server linking to this one asks for every device
        n: newSwitch(SCOPE, 'CONNECTION'),
        o: newNumber(FOCUS, 'ABS_FOCUS_POSITION', 100),
        c: enableBlob(SCOPE, 'Also'),
        b: enableBlob(FOCUS, 'Also'),
        p: ping('1'),
      };
      // prettier-ignore
      const fromKStars = '-g-a-h-l-n-o-c-b-p-',
            kstarsIn   = '-g-a-r-l-n-r-c-r-p-';
      expectObservable(hot(fromKStars, requests).pipe(onlyScope(kstars))).toBe(kstarsIn, {
        ...requests,
        r: reply(notServed(FOCUS, [SCOPE])),
      });
    });
  });

  it('says which device is not served and which are, in a note naming no device', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const request = { o: newSwitch(FOCUS, 'CONNECTION') };
      expectObservable(hot('-o-', request).pipe(deviceFilter([SCOPE, 'CCD Simulator'])(phd2))).toBe('-r-', {
        r: reply({
          type: 'message',
          message:
            'device filter: Focuser Simulator is not served here; this server shows only Telescope Simulator, CCD Simulator',
        }),
      });
    });
  });

  it('through the routing: clients see the telescope only, each refusal reaches its sender only', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const fromClients = {
        g: getProperties(),
        h: getProperties(FOCUS),
        n: newSwitch(SCOPE, 'CONNECTION'),
        o: newSwitch(FOCUS, 'CONNECTION'),
      };
      const fromLink = {
        d: defSwitch(SCOPE, 'CONNECTION'),
        f: defNumber(FOCUS, 'ABS_FOCUS_POSITION'),
        s: setNumber(SCOPE, 'EQUATORIAL_EOD_COORD', 5),
        t: setNumber(FOCUS, 'ABS_FOCUS_POSITION', 7),
        w: message(undefined, 'indiserver restarting a driver'),
      };
      // prettier-ignore
      const kstarsSends   = '-g------n-o---',
            phd2Sends     = '--g-h---------',
            upstreamSends = '---d-f-s----tw',
            toKStars      = '---d---s--r--w',
            toPhd2        = '---dr--sn----w',
            toUpstream    = '--------n-----';

      const traffic$ = merge(
        hot(kstarsSends, fromClients).pipe(onlyScope(kstars), tagTraffic(kstars)),
        hot(phd2Sends, fromClients).pipe(onlyScope(phd2), tagTraffic(phd2)),
        hot(upstreamSends, fromLink).pipe(onlyScope(upstream), tagTraffic(upstream)),
      );
      const routed$ = traffic$.pipe(routeTraffic(), share());
      const delivered = { ...fromLink, ...fromClients, r: notServed(FOCUS, [SCOPE]) };
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, delivered);
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, delivered);
      expectObservable(routed$.pipe(deliverTo(upstream))).toBe(toUpstream, delivered);
    });
  });
});
