/**
 * The read-only mirror's operator (examples/read-only.ts) at serve()'s
 * `incoming` insertion point: a client's new*Vector never gets past it; in
 * its place, in the same frame, comes a refusal replied to that client alone.
 * Everything else, and everything from the upstream link, passes untouched.
 */
import { merge, share } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { readOnly, refusal } from '../examples/read-only.js';
import { deliverTo, reply, routeTraffic, tagTraffic } from '../src/index.js';
import {
  client,
  defSwitch,
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
const kstars = client('KStars');
const phd2 = client('PHD2');
const upstream = remote('observatory:7624');

describe('read-only mirror', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it("replaces a client's new* by a refusal replied to it, in the same frame, and passes the rest", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const requests = {
        g: getProperties(),
        n: newSwitch(SCOPE, 'CONNECTION'),
        b: enableBlob(SCOPE, 'Also'),
        v: newNumber(SCOPE, 'EQUATORIAL_EOD_COORD', 10),
        p: ping('1'),
      };
      // prettier-ignore
      const fromKStars = '-g-n-b-v-p-',
            kstarsIn   = '-g-r-b-q-p-';
      expectObservable(hot(fromKStars, requests).pipe(readOnly(kstars))).toBe(kstarsIn, {
        ...requests,
        r: reply(refusal(requests.n)),
        q: reply(refusal(requests.v)),
      });
    });
  });

  it('says which vector cannot be changed, as an INDI message from its device', () => {
    scheduler.run(({ hot, expectObservable }) => {
      expectObservable(hot('-n-', { n: newSwitch(SCOPE, 'CONNECTION') }).pipe(readOnly(phd2))).toBe('-r-', {
        r: reply({
          type: 'message',
          device: SCOPE,
          message: 'read-only mirror: Telescope Simulator.CONNECTION cannot be changed here',
        }),
      });
    });
  });

  it('leaves the upstream link alone', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const traffic = { s: setNumber(SCOPE, 'EQUATORIAL_EOD_COORD', 5), m: message(SCOPE, 'Slewing') };
      const fromUpstream = '-s-m-s-';
      expectObservable(hot(fromUpstream, traffic).pipe(readOnly(upstream))).toBe(fromUpstream, traffic);
    });
  });

  it('through the routing: the refusal reaches its sender only, the request reaches no one', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const fromClients = { g: getProperties(), n: newSwitch(SCOPE, 'CONNECTION') };
      const fromLink = { d: defSwitch(SCOPE, 'CONNECTION'), s: setNumber(SCOPE, 'EQUATORIAL_EOD_COORD', 5) };
      // prettier-ignore
      const kstarsSends   = '-g---n---',
            phd2Sends     = '--g------',
            upstreamSends = '---d---s-',
            toKStars      = '---d-r-s-',
            toPhd2        = '---d---s-',
            toUpstream    = '---------';

      const traffic$ = merge(
        hot(kstarsSends, fromClients).pipe(readOnly(kstars), tagTraffic(kstars)),
        hot(phd2Sends, fromClients).pipe(readOnly(phd2), tagTraffic(phd2)),
        hot(upstreamSends, fromLink).pipe(readOnly(upstream), tagTraffic(upstream)),
      );
      const routed$ = traffic$.pipe(routeTraffic(), share());
      const delivered = { ...fromLink, r: refusal(fromClients.n) };
      expectObservable(routed$.pipe(deliverTo(kstars))).toBe(toKStars, delivered);
      expectObservable(routed$.pipe(deliverTo(phd2))).toBe(toPhd2, delivered);
      expectObservable(routed$.pipe(deliverTo(upstream))).toBe(toUpstream);
    });
  });
});
